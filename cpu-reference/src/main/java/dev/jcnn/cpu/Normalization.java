package dev.jcnn.cpu;

import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.NormalizationOps;
import dev.jcnn.tensor.Shape;

/**
 * Batch normalization per channel over (N, C, inner) data, inner = H·W (1 for dense
 * features): training forward with running averages, inference forward and the backward
 * pass. Statistics are summed in double, two passes for the variance. Parallel over
 * channels, each of which writes only its own values. The family checks the shapes.
 */
final class Normalization extends NormalizationOps<CpuTensor> {

    private final Parallel parallel;

    Normalization(CpuBackend backend, Parallel parallel) {
        super(backend, CpuTensor.class);
        this.parallel = parallel;
    }

    @Override
    protected void computeForwardTraining(CpuTensor x, CpuTensor gamma, CpuTensor beta, BatchNormSpec spec,
            CpuTensor runningMean, CpuTensor runningVar, CpuTensor y, CpuTensor savedMean, CpuTensor savedInvStd) {
        forwardTraining(x.data(), gamma.data(), beta.data(), spec.epsilon(), spec.averageFactor(), runningMean.data(),
                runningVar.data(), y.data(), savedMean.data(), savedInvStd.data(), dims(x.shape()), parallel);
    }

    @Override
    protected void computeForwardInference(CpuTensor x, CpuTensor gamma, CpuTensor beta, CpuTensor runningMean,
            CpuTensor runningVar, BatchNormSpec spec, CpuTensor y) {
        forwardInference(x.data(), gamma.data(), beta.data(), runningMean.data(), runningVar.data(), spec.epsilon(),
                y.data(), dims(x.shape()), parallel);
    }

    @Override
    protected void computeBackward(CpuTensor x, CpuTensor dy, CpuTensor gamma, CpuTensor savedMean,
            CpuTensor savedInvStd, CpuTensor dx, CpuTensor dgamma, CpuTensor dbeta) {
        backward(x.data(), dy.data(), gamma.data(), savedMean.data(), savedInvStd.data(), dx.data(), dgamma.data(),
                dbeta.data(), dims(x.shape()), parallel);
    }

    private static Dims dims(Shape x) {
        int channels = x.dim(1);
        return new Dims(x.batch(), channels, x.sampleSize() / channels);
    }

    /** Sizes: n samples, c channels, inner values per channel and sample. */
    record Dims(int n, int c, int inner) {

        /** Values per channel in the batch: m = N·inner. */
        int count() {
            return n * inner;
        }
    }

    static void forwardTraining(float[] x, float[] gamma, float[] beta, float epsilon, float factor,
            float[] runningMean, float[] runningVar, float[] y, float[] savedMean, float[] savedInvStd, Dims d,
            Parallel par) {
        int m = d.count();
        par.forRange(d.c(), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double sum = 0.0;
                for (int s = 0; s < d.n(); s++) {
                    int base = (s * d.c() + ch) * d.inner();
                    for (int q = 0; q < d.inner(); q++) {
                        sum += x[base + q];
                    }
                }
                double mean = sum / m;
                double squares = 0.0;
                for (int s = 0; s < d.n(); s++) {
                    int base = (s * d.c() + ch) * d.inner();
                    for (int q = 0; q < d.inner(); q++) {
                        double v = x[base + q] - mean;
                        squares += v * v;
                    }
                }
                double variance = squares / m;
                double invStd = 1.0 / Math.sqrt(variance + epsilon);
                normalize(x, y, d, ch, mean, invStd, gamma[ch], beta[ch]);
                savedMean[ch] = (float) mean;
                savedInvStd[ch] = (float) invStd;
                double unbiased = squares / (m - 1);
                runningMean[ch] = (float) ((1.0 - factor) * runningMean[ch] + factor * mean);
                runningVar[ch] = (float) ((1.0 - factor) * runningVar[ch] + factor * unbiased);
            }
        });
    }

    static void forwardInference(float[] x, float[] gamma, float[] beta, float[] runningMean, float[] runningVar,
            float epsilon, float[] y, Dims d, Parallel par) {
        par.forRange(d.c(), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double invStd = 1.0 / Math.sqrt((double) runningVar[ch] + epsilon);
                normalize(x, y, d, ch, runningMean[ch], invStd, gamma[ch], beta[ch]);
            }
        });
    }

    private static void normalize(float[] x, float[] y, Dims d, int ch, double mean, double invStd, float gamma,
            float beta) {
        for (int s = 0; s < d.n(); s++) {
            int base = (s * d.c() + ch) * d.inner();
            for (int q = 0; q < d.inner(); q++) {
                y[base + q] = (float) (gamma * ((x[base + q] - mean) * invStd) + beta);
            }
        }
    }

    /** dbeta = Σ dy, dgamma = Σ dy·x̂, dx = gamma·invStd/m · (m·dy − dbeta − x̂·dgamma). */
    static void backward(float[] x, float[] dy, float[] gamma, float[] savedMean, float[] savedInvStd, float[] dx,
            float[] dgamma, float[] dbeta, Dims d, Parallel par) {
        int m = d.count();
        par.forRange(d.c(), (from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double mean = savedMean[ch];
                double invStd = savedInvStd[ch];
                double sumDy = 0.0;
                double sumDyXhat = 0.0;
                for (int s = 0; s < d.n(); s++) {
                    int base = (s * d.c() + ch) * d.inner();
                    for (int q = 0; q < d.inner(); q++) {
                        double g = dy[base + q];
                        sumDy += g;
                        sumDyXhat += g * (x[base + q] - mean) * invStd;
                    }
                }
                double scale = gamma[ch] * invStd / m;
                for (int s = 0; s < d.n(); s++) {
                    int base = (s * d.c() + ch) * d.inner();
                    for (int q = 0; q < d.inner(); q++) {
                        double xhat = (x[base + q] - mean) * invStd;
                        dx[base + q] = (float) (scale * (m * (double) dy[base + q] - sumDy - xhat * sumDyXhat));
                    }
                }
                dbeta[ch] = (float) sumDy;
                dgamma[ch] = (float) sumDyXhat;
            }
        });
    }
}
