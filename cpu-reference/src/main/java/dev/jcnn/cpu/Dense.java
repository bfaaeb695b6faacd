package dev.jcnn.cpu;

import java.util.Arrays;

/**
 * Fully connected layer on the CPU: y = x·wᵀ + b with x (n, in) and w (out, in). Dot
 * products and the sums over the batch are accumulated in double.
 */
final class Dense {

    private Dense() {
    }

    /** y[s, o] = b[o] + Σ_i x[s, i]·w[o, i]; b may be null. */
    static void forward(float[] x, float[] w, float[] b, float[] y, int n, int in, int out, Parallel par) {
        par.forRange(n, (from, to) -> {
            for (int s = from; s < to; s++) {
                int xRow = s * in;
                for (int o = 0; o < out; o++) {
                    int wRow = o * in;
                    double acc = 0.0;
                    for (int i = 0; i < in; i++) {
                        acc += (double) x[xRow + i] * w[wRow + i];
                    }
                    y[s * out + o] = (float) (acc + (b == null ? 0.0 : b[o]));
                }
            }
        });
    }

    /** dx[s, i] = Σ_o dy[s, o]·w[o, i]. */
    static void backwardData(float[] dy, float[] w, float[] dx, int n, int in, int out, Parallel par) {
        par.forRange(n, (from, to) -> {
            double[] acc = new double[in];
            for (int s = from; s < to; s++) {
                Arrays.fill(acc, 0.0);
                for (int o = 0; o < out; o++) {
                    double g = dy[s * out + o];
                    int wRow = o * in;
                    for (int i = 0; i < in; i++) {
                        acc[i] += g * w[wRow + i];
                    }
                }
                for (int i = 0; i < in; i++) {
                    dx[s * in + i] = (float) acc[i];
                }
            }
        });
    }

    /** dw[o, i] = Σ_s dy[s, o]·x[s, i], summed over the batch in order; parallel over the rows o. */
    static void backwardWeights(float[] x, float[] dy, float[] dw, int n, int in, int out, Parallel par) {
        par.forRange(out, (from, to) -> {
            double[] acc = new double[in];
            for (int o = from; o < to; o++) {
                Arrays.fill(acc, 0.0);
                for (int s = 0; s < n; s++) {
                    double g = dy[s * out + o];
                    int xRow = s * in;
                    for (int i = 0; i < in; i++) {
                        acc[i] += g * x[xRow + i];
                    }
                }
                for (int i = 0; i < in; i++) {
                    dw[o * in + i] = (float) acc[i];
                }
            }
        });
    }
}
