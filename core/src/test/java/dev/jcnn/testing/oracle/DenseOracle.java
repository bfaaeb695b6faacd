package dev.jcnn.testing.oracle;

/** Fully connected layer by nested loops in double: y = x·wᵀ + b, w (out, in); and the plain matrix product. */
public final class DenseOracle {

    private DenseOracle() {
    }

    public static double[] forward(float[] x, int batch, int in, float[] w, int out, float[] b) {
        double[] y = new double[batch * out];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
                double sum = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) {
                    sum += (double) x[n * in + i] * w[o * in + i];
                }
                y[n * out + o] = sum;
            }
        }
        return y;
    }

    /** dx = dy·w. */
    public static double[] backwardData(float[] dy, float[] w, int batch, int in, int out) {
        double[] dx = new double[batch * in];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    dx[n * in + i] += (double) dy[n * out + o] * w[o * in + i];
                }
            }
        }
        return dx;
    }

    /** dw = dyᵀ·x. */
    public static double[] backwardWeights(float[] x, float[] dy, int batch, int in, int out) {
        double[] dw = new double[out * in];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    dw[o * in + i] += (double) dy[n * out + o] * x[n * in + i];
                }
            }
        }
        return dw;
    }

    /**
     * The matrix product C = (accumulate ? c0 : 0) + A·B, A (m × k), B (k × n), row-major: what
     * the dense layer's passes and im2col reduce to, for tests of a backend's GEMM kernels.
     */
    public static double[] matmul(float[] a, float[] b, float[] c0, int m, int n, int k, boolean accumulate) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int q = 0; q < n; q++) {
                double sum = accumulate ? c0[i * n + q] : 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) a[i * k + p] * b[p * n + q];
                }
                c[i * n + q] = sum;
            }
        }
        return c;
    }
}
