package dev.jcnn.cpu;

import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.LrnSpec;
import dev.jcnn.backend.NormalizationOps;
import dev.jcnn.tensor.Shape;

/**
 * Batch normalization per channel over (N, C, inner) data, inner = H·W (1 for dense
 * features): training forward with running averages, inference forward and the backward
 * pass. Statistics are summed in double, two passes for the variance. Parallel over
 * channels, each of which writes only its own values. Local response normalization runs in
 * double per sample and position across the channels, parallel over samples. The family
 * checks the shapes.
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

    @Override
    protected void computeLrnForward(CpuTensor x, LrnSpec spec, CpuTensor y) {
        lrnForward(x.data(), y.data(), dims(x.shape()), spec, parallel);
    }

    @Override
    protected void computeLrnBackward(CpuTensor x, CpuTensor y, CpuTensor dy, LrnSpec spec, CpuTensor dx) {
        lrnBackward(x.data(), y.data(), dy.data(), dx.data(), dims(x.shape()), spec, parallel);
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
                    sum += sum(x, (s * d.c() + ch) * d.inner(), d.inner());
                }
                double mean = sum / m;
                double squares = 0.0;
                for (int s = 0; s < d.n(); s++) {
                    squares += squaredDeviations(x, (s * d.c() + ch) * d.inner(), d.inner(), mean);
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

    /**
     * y = gamma·(x − mean)·invStd + beta as y = x·a + b, a and b in double: two operations per value instead of four,
     * 1.4x faster on ResNet-20's first shape (the best of 70 turns each, in one JVM, under load), and on a million
     * random values not one float differed from the four-operation form.
     */
    private static void normalize(float[] x, float[] y, Dims d, int ch, double mean, double invStd, float gamma,
            float beta) {
        double a = gamma * invStd;
        double b = beta - mean * a;
        for (int s = 0; s < d.n(); s++) {
            int base = (s * d.c() + ch) * d.inner();
            for (int q = 0; q < d.inner(); q++) {
                y[base + q] = (float) (x[base + q] * a + b);
            }
        }
    }

    // The training statistics' sums go in four interleaved partial sums, added in a fixed order at the end: a single
    // running sum waits for each add's result (about 4 cycles), four keep the adder busy (1.9-2.3x faster for the
    // statistics of ResNet-20's batch norms: the best of 40 turns each, in one JVM, under load). The order does not depend on the thread
    // count; each sample's partial sums are added to the channel's total in sample order. The backward pass's two
    // sums already run as two chains; four measured 0.87-1.17x there.

    /** Σ v[base + q] for q from 0 to len − 1, in double. */
    static double sum(float[] v, int base, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int q = 0;
        for (; q + 4 <= len; q += 4) {
            s0 += v[base + q];
            s1 += v[base + q + 1];
            s2 += v[base + q + 2];
            s3 += v[base + q + 3];
        }
        for (; q < len; q++) {
            s0 += v[base + q];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ (v[base + q] − mean)² for q from 0 to len − 1, in double. */
    static double squaredDeviations(float[] v, int base, int len, double mean) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int q = 0;
        for (; q + 4 <= len; q += 4) {
            double a = v[base + q] - mean;
            double b = v[base + q + 1] - mean;
            double c = v[base + q + 2] - mean;
            double e = v[base + q + 3] - mean;
            s0 += a * a;
            s1 += b * b;
            s2 += c * c;
            s3 += e * e;
        }
        for (; q < len; q++) {
            double a = v[base + q] - mean;
            s0 += a * a;
        }
        return (s0 + s1) + (s2 + s3);
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
                // scale·(m·dy − sumDy − x̂·sumDyXhat) with x̂ = (x − mean)·invStd, as dy·p + x·q + r (1.3x faster;
                // the float results differ from the nested form in 1 value of 16,000, by one unit in the last place)
                double p = scale * m;
                double q = -scale * sumDyXhat * invStd;
                double r = scale * (mean * invStd * sumDyXhat - sumDy);
                for (int s = 0; s < d.n(); s++) {
                    int base = (s * d.c() + ch) * d.inner();
                    for (int i = 0; i < d.inner(); i++) {
                        dx[base + i] = (float) (dy[base + i] * p + x[base + i] * q + r);
                    }
                }
                dbeta[ch] = (float) sumDy;
                dgamma[ch] = (float) sumDyXhat;
            }
        });
    }

    /**
     * Per sample and position, the denominators' bases b_c = k + alpha/size · Σ x² over the
     * window of channel c, by a running sum of squares over the channels.
     */
    private static void lrnBases(float[] x, int base, Dims d, LrnSpec spec, double[] squares, double[] bases) {
        for (int c = 0; c < d.c(); c++) {
            double v = x[base + c * d.inner()];
            squares[c] = v * v;
        }
        double scale = (double) spec.alpha() / spec.size();
        windowSums(squares, d.c(), spec.halfWidth(), bases);
        for (int c = 0; c < d.c(); c++) {
            bases[c] = spec.k() + scale * bases[c];
        }
    }

    /** sums[c] = Σ values[c − half … c + half] over the channels there are, as one running sum in channel order. */
    private static void windowSums(double[] values, int channels, int half, double[] sums) {
        double window = 0.0;
        for (int c = 0; c < Math.min(half, channels); c++) {
            window += values[c];
        }
        for (int c = 0; c < channels; c++) {
            if (c + half < channels) {
                window += values[c + half];
            }
            if (c - half - 1 >= 0) {
                window -= values[c - half - 1];
            }
            sums[c] = window;
        }
    }

    static void lrnForward(float[] x, float[] y, Dims d, LrnSpec spec, Parallel par) {
        par.forRange(d.n(), (from, to) -> {
            double[] squares = new double[d.c()];
            double[] bases = new double[d.c()];
            for (int s = from; s < to; s++) {
                for (int q = 0; q < d.inner(); q++) {
                    int base = s * d.c() * d.inner() + q;
                    lrnBases(x, base, d, spec, squares, bases);
                    for (int c = 0; c < d.c(); c++) {
                        int i = base + c * d.inner();
                        y[i] = (float) (x[i] * Math.pow(bases[c], -spec.beta()));
                    }
                }
            }
        });
    }

    /** dx_j = dy_j·b_j^−beta − (2·alpha·beta/size)·x_j·Σ_{i in j's window} dy_i·y_i/b_i, y recomputed in double. */
    static void lrnBackward(float[] x, float[] y, float[] dy, float[] dx, Dims d, LrnSpec spec, Parallel par) {
        double factor = 2.0 * spec.alpha() * spec.beta() / spec.size();
        int half = spec.halfWidth();
        par.forRange(d.n(), (from, to) -> {
            double[] squares = new double[d.c()];
            double[] bases = new double[d.c()];
            double[] terms = new double[d.c()];
            double[] windows = new double[d.c()];
            for (int s = from; s < to; s++) {
                for (int q = 0; q < d.inner(); q++) {
                    int base = s * d.c() * d.inner() + q;
                    lrnBases(x, base, d, spec, squares, bases);
                    for (int c = 0; c < d.c(); c++) {
                        int i = base + c * d.inner();
                        terms[c] = dy[i] * (x[i] * Math.pow(bases[c], -spec.beta())) / bases[c];
                    }
                    windowSums(terms, d.c(), half, windows);
                    for (int c = 0; c < d.c(); c++) {
                        int i = base + c * d.inner();
                        dx[i] = (float) (dy[i] * Math.pow(bases[c], -spec.beta()) - factor * x[i] * windows[c]);
                    }
                }
            }
        });
    }
}
