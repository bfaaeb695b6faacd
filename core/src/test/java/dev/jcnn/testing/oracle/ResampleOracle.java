package dev.jcnn.testing.oracle;

import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.tensor.Shape;

/**
 * Upsampling as a separable linear map: per axis an explicit (out × in) interpolation matrix
 * A built from {@link UpsampleSpec}'s definition, y = A_h · x · A_wᵀ per plane, and the
 * gradient its transpose, dx = A_hᵀ · dy · A_w. Obviously linear, obviously adjoint.
 */
public final class ResampleOracle {

    private ResampleOracle() {
    }

    /**
     * Row o holds the weights of the input pixels for output pixel o: NEAREST picks floor(o/f);
     * BILINEAR puts 1 − λ on i0 and λ on i1 around src = max(0, (o + 0.5)/f − 0.5).
     */
    public static double[][] matrix(Interpolation mode, int in, int factor) {
        int out = in * factor;
        double[][] a = new double[out][in];
        for (int o = 0; o < out; o++) {
            if (mode == Interpolation.NEAREST) {
                a[o][o / factor] = 1;
                continue;
            }
            double src = Math.max(0, (o + 0.5) / factor - 0.5);
            int i0 = (int) Math.floor(src);
            if (i0 >= in - 1) {
                a[o][in - 1] = 1;
            } else {
                double lambda = src - i0;
                a[o][i0] += 1 - lambda;
                a[o][i0 + 1] += lambda;
            }
        }
        return a;
    }

    public static double[] forward(float[] x, Shape xs, UpsampleSpec spec) {
        Shape ys = spec.outputShape(xs);
        double[][] ah = matrix(spec.mode(), xs.dim(2), spec.factorH());
        double[][] aw = matrix(spec.mode(), xs.dim(3), spec.factorW());
        int planes = xs.dim(0) * xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        double[] y = new double[ys.size()];
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < ys.dim(2); oy++) {
                for (int ox = 0; ox < ys.dim(3); ox++) {
                    double sum = 0;
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            sum += ah[oy][i] * x[(p * h + i) * w + j] * aw[ox][j];
                        }
                    }
                    y[(p * ys.dim(2) + oy) * ys.dim(3) + ox] = sum;
                }
            }
        }
        return y;
    }

    /** dx = the transpose of the forward map applied to dy; xs is the input's shape. */
    public static double[] backward(float[] dy, Shape xs, UpsampleSpec spec) {
        Shape ys = spec.outputShape(xs);
        double[][] ah = matrix(spec.mode(), xs.dim(2), spec.factorH());
        double[][] aw = matrix(spec.mode(), xs.dim(3), spec.factorW());
        int planes = xs.dim(0) * xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        double[] dx = new double[xs.size()];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double sum = 0;
                    for (int oy = 0; oy < ys.dim(2); oy++) {
                        for (int ox = 0; ox < ys.dim(3); ox++) {
                            sum += ah[oy][i] * dy[(p * ys.dim(2) + oy) * ys.dim(3) + ox] * aw[ox][j];
                        }
                    }
                    dx[(p * h + i) * w + j] = sum;
                }
            }
        }
        return dx;
    }
}
