package dev.jcnn.testing.oracle;

import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.tensor.Shape;

/**
 * Batch normalization per channel (axis 1) of (N, C) or (N, C, H, W) data, by its textbook
 * definition in double; the backward pass follows the chain rule step by step through the
 * variance and the mean (Ioffe and Szegedy's derivation), not the folded formula the backends use.
 */
public final class NormOracle {

    private NormOracle() {
    }

    /** Everything a training step computes. */
    public record Training(double[] y, double[] mean, double[] invStd, double[] runningMean, double[] runningVar) {
    }

    private static int inner(Shape xs) {
        return xs.sampleSize() / xs.dim(1);
    }

    private static int at(Shape xs, int s, int c, int q) {
        return (s * xs.dim(1) + c) * inner(xs) + q;
    }

    public static Training training(float[] x, Shape xs, float[] gamma, float[] beta, BatchNormSpec spec,
            float[] runningMean, float[] runningVar) {
        int n = xs.dim(0);
        int channels = xs.dim(1);
        int inner = inner(xs);
        int m = n * inner;
        double[] y = new double[x.length];
        double[] mean = new double[channels];
        double[] invStd = new double[channels];
        double[] rm = new double[channels];
        double[] rv = new double[channels];
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int s = 0; s < n; s++) {
                for (int q = 0; q < inner; q++) {
                    sum += x[at(xs, s, c, q)];
                }
            }
            double mu = sum / m;
            double sq = 0;
            for (int s = 0; s < n; s++) {
                for (int q = 0; q < inner; q++) {
                    sq += (x[at(xs, s, c, q)] - mu) * (x[at(xs, s, c, q)] - mu);
                }
            }
            double var = sq / m;
            mean[c] = mu;
            invStd[c] = 1 / Math.sqrt(var + spec.epsilon());
            for (int s = 0; s < n; s++) {
                for (int q = 0; q < inner; q++) {
                    int i = at(xs, s, c, q);
                    y[i] = gamma[c] * (x[i] - mu) * invStd[c] + beta[c];
                }
            }
            double f = spec.averageFactor();
            rm[c] = (1 - f) * runningMean[c] + f * mu;
            rv[c] = (1 - f) * runningVar[c] + f * sq / (m - 1);
        }
        return new Training(y, mean, invStd, rm, rv);
    }

    public static double[] inference(float[] x, Shape xs, float[] gamma, float[] beta, float[] runningMean,
            float[] runningVar, BatchNormSpec spec) {
        double[] y = new double[x.length];
        for (int s = 0; s < xs.dim(0); s++) {
            for (int c = 0; c < xs.dim(1); c++) {
                for (int q = 0; q < inner(xs); q++) {
                    int i = at(xs, s, c, q);
                    y[i] = gamma[c] * (x[i] - runningMean[c]) / Math.sqrt(runningVar[c] + (double) spec.epsilon()) + beta[c];
                }
            }
        }
        return y;
    }

    /** Gradients: dx, dgamma, dbeta, from the saved mean and 1/sqrt(var + ε). */
    public record Gradients(double[] dx, double[] dgamma, double[] dbeta) {
    }

    public static Gradients backward(float[] x, Shape xs, float[] dy, float[] gamma, float[] mean, float[] invStd) {
        int n = xs.dim(0);
        int channels = xs.dim(1);
        int inner = inner(xs);
        int m = n * inner;
        double[] dx = new double[x.length];
        double[] dgamma = new double[channels];
        double[] dbeta = new double[channels];
        for (int c = 0; c < channels; c++) {
            double mu = mean[c];
            double is = invStd[c];
            double dvar = 0;
            double dmu = 0;
            double centred = 0;
            for (int s = 0; s < n; s++) {
                for (int q = 0; q < inner; q++) {
                    int i = at(xs, s, c, q);
                    double dxhat = dy[i] * (double) gamma[c];
                    dgamma[c] += dy[i] * (x[i] - mu) * is;
                    dbeta[c] += dy[i];
                    dvar += dxhat * (x[i] - mu) * -0.5 * is * is * is;
                    dmu += -dxhat * is;
                    centred += -2 * (x[i] - mu);
                }
            }
            dmu += dvar * centred / m;
            for (int s = 0; s < n; s++) {
                for (int q = 0; q < inner; q++) {
                    int i = at(xs, s, c, q);
                    dx[i] = dy[i] * (double) gamma[c] * is + dvar * 2 * (x[i] - mu) / m + dmu / m;
                }
            }
        }
        return new Gradients(dx, dgamma, dbeta);
    }
}
