package dev.jcnn.testing.oracle;

import dev.jcnn.tensor.Shape;

/**
 * Softmax and log-softmax over axis 1 of (N, C, ...) in double; the backward pass multiplies
 * dy by the explicit Jacobian ∂y_j/∂x_i.
 */
public final class SoftmaxOracle {

    private SoftmaxOracle() {
    }

    public static double[] forward(float[] x, Shape s, boolean log) {
        int classes = s.dim(1);
        int inner = s.size() / (s.dim(0) * classes);
        double[] y = new double[x.length];
        for (int n = 0; n < s.dim(0); n++) {
            for (int i = 0; i < inner; i++) {
                int base = n * classes * inner + i;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, x[base + c * inner]);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(x[base + c * inner] - max);
                }
                for (int c = 0; c < classes; c++) {
                    double shifted = x[base + c * inner] - max;
                    y[base + c * inner] = log ? shifted - Math.log(sum) : Math.exp(shifted) / sum;
                }
            }
        }
        return y;
    }

    /** dx from the forward output y (softmax, or log-softmax when log). */
    public static double[] backward(float[] y, float[] dy, Shape s, boolean log) {
        int classes = s.dim(1);
        int inner = s.size() / (s.dim(0) * classes);
        double[] dx = new double[y.length];
        for (int n = 0; n < s.dim(0); n++) {
            for (int i = 0; i < inner; i++) {
                int base = n * classes * inner + i;
                for (int xi = 0; xi < classes; xi++) {
                    double p = log ? Math.exp(y[base + xi * inner]) : y[base + xi * inner];
                    double sum = 0;
                    for (int yj = 0; yj < classes; yj++) {
                        double delta = xi == yj ? 1 : 0;
                        // softmax: ∂p_j/∂x_i = p_j (δ − p_i); log-softmax: ∂y_j/∂x_i = δ − p_i
                        double jacobian = log ? delta - p : y[base + yj * inner] * (delta - p);
                        sum += dy[base + yj * inner] * jacobian;
                    }
                    dx[base + xi * inner] = sum;
                }
            }
        }
        return dx;
    }
}
