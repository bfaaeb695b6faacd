package dev.jcnn.cpu;

import dev.jcnn.backend.SoftmaxOps;

/**
 * Softmax and log-softmax over axis 1, for each sample and, for NCHW input, each pixel.
 * The input's maximum is subtracted first and the sums are taken in double.
 *
 * <p>Layout: n samples, each holding {@code classes} blocks of {@code inner} values (inner = 1
 * for (n, classes), h·w for NCHW); the values of one softmax lie {@code inner} apart.
 */
final class Softmax extends SoftmaxOps<CpuTensor> {

    private final Parallel parallel;

    Softmax(CpuBackend backend, Parallel parallel) {
        super(backend, CpuTensor.class);
        this.parallel = parallel;
    }

    @Override
    protected void computeForward(CpuTensor x, boolean log, CpuTensor y) {
        int classes = x.shape().dim(1);
        forward(x.data(), log, y.data(), x.shape().batch(), classes, x.shape().sampleSize() / classes, parallel);
    }

    @Override
    protected void computeBackward(CpuTensor y, CpuTensor dy, boolean log, CpuTensor dx) {
        int classes = y.shape().dim(1);
        backward(y.data(), dy.data(), log, dx.data(), y.shape().batch(), classes, y.shape().sampleSize() / classes,
                parallel);
    }

    static void forward(float[] x, boolean log, float[] y, int n, int classes, int inner, Parallel par) {
        par.forRange(n, (long) n * classes * inner * 16, (from, to) -> {
            for (int s = from; s < to; s++) {
                for (int q = 0; q < inner; q++) {
                    int base = s * classes * inner + q;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int c = 0; c < classes; c++) {
                        max = Math.max(max, x[base + c * inner]);
                    }
                    double sum = 0.0;
                    for (int c = 0; c < classes; c++) {
                        sum += Math.exp((double) x[base + c * inner] - max);
                    }
                    double logSum = Math.log(sum);
                    for (int c = 0; c < classes; c++) {
                        double shifted = (double) x[base + c * inner] - max;
                        y[base + c * inner] = (float) (log ? shifted - logSum : Math.exp(shifted) / sum);
                    }
                }
            }
        });
    }

    /**
     * From the forward output y: softmax dx = y·(dy − Σ dy·y); log-softmax dx = dy − e^y·Σ dy.
     */
    static void backward(float[] y, float[] dy, boolean log, float[] dx, int n, int classes, int inner, Parallel par) {
        par.forRange(n, (long) n * classes * inner * 16, (from, to) -> {
            for (int s = from; s < to; s++) {
                for (int q = 0; q < inner; q++) {
                    int base = s * classes * inner + q;
                    double dot = 0.0;
                    for (int c = 0; c < classes; c++) {
                        int k = base + c * inner;
                        dot += log ? dy[k] : (double) dy[k] * y[k];
                    }
                    for (int c = 0; c < classes; c++) {
                        int k = base + c * inner;
                        dx[k] = (float) (log ? dy[k] - Math.exp(y[k]) * dot : y[k] * (dy[k] - dot));
                    }
                }
            }
        });
    }
}
