package dev.jcnn.testing.oracle;

import dev.jcnn.backend.LrnSpec;
import dev.jcnn.tensor.Shape;

/**
 * Cross-channel local response normalization of (N, C, ...) data by its definition in double.
 * The backward pass scatters each output's partial derivatives ∂y_i/∂x_j onto the inputs of its
 * window, rather than gathering per input as the backends do.
 */
public final class LrnOracle {

    private LrnOracle() {
    }

    /** k + alpha/size · Σ x² over the window of channel c at sample s and position q. */
    private static double denominatorBase(float[] x, Shape xs, LrnSpec spec, int s, int c, int q) {
        int channels = xs.dim(1);
        int inner = xs.sampleSize() / channels;
        double sum = 0;
        for (int j = c - spec.halfWidth(); j <= c + spec.halfWidth(); j++) {
            if (j >= 0 && j < channels) {
                double v = x[(s * channels + j) * inner + q];
                sum += v * v;
            }
        }
        return spec.k() + (double) spec.alpha() / spec.size() * sum;
    }

    public static double[] forward(float[] x, Shape xs, LrnSpec spec) {
        int channels = xs.dim(1);
        int inner = xs.sampleSize() / channels;
        double[] y = new double[x.length];
        for (int s = 0; s < xs.dim(0); s++) {
            for (int c = 0; c < channels; c++) {
                for (int q = 0; q < inner; q++) {
                    int i = (s * channels + c) * inner + q;
                    y[i] = x[i] / Math.pow(denominatorBase(x, xs, spec, s, c, q), spec.beta());
                }
            }
        }
        return y;
    }

    /** dx_j = Σ_i dy_i · ∂y_i/∂x_j, ∂y_i/∂x_j = [i = j]·b_i^−β − β·x_i·b_i^(−β−1)·(2·α/size)·x_j. */
    public static double[] backward(float[] x, Shape xs, float[] dy, LrnSpec spec) {
        int channels = xs.dim(1);
        int inner = xs.sampleSize() / channels;
        double[] dx = new double[x.length];
        double twoAlphaOverSize = 2.0 * spec.alpha() / spec.size();
        for (int s = 0; s < xs.dim(0); s++) {
            for (int c = 0; c < channels; c++) {
                for (int q = 0; q < inner; q++) {
                    int i = (s * channels + c) * inner + q;
                    double b = denominatorBase(x, xs, spec, s, c, q);
                    dx[i] += dy[i] * Math.pow(b, -spec.beta());
                    double common = dy[i] * spec.beta() * x[i] * Math.pow(b, -spec.beta() - 1) * twoAlphaOverSize;
                    for (int j = c - spec.halfWidth(); j <= c + spec.halfWidth(); j++) {
                        if (j >= 0 && j < channels) {
                            int at = (s * channels + j) * inner + q;
                            dx[at] -= common * x[at];
                        }
                    }
                }
            }
        }
        return dx;
    }
}
