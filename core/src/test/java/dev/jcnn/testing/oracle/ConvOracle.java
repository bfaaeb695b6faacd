package dev.jcnn.testing.oracle;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.tensor.Shape;

/**
 * Convolution by nested loops with double accumulation, like Caffe's {@code caffe_conv}: the
 * obviously correct definition every backend is checked against. One loop enumerates every
 * multiply-add y[o] += x[i]·w[j] of the forward pass; the backward passes run the same loop
 * with each multiply-add turned around (its adjoint), not derived formulas.
 */
public final class ConvOracle {

    private ConvOracle() {
    }

    /** One multiply-add of the forward pass: output, input and weight flat indices. */
    @FunctionalInterface
    private interface Tap {
        void at(int out, int in, int weight);
    }

    /** Output size along one axis: floor((I + before + after − F) / S) + 1, computed here independently of core. */
    public static int outSize(int input, int window, int stride, int before, int after) {
        return Math.floorDiv(input + before + after - window, stride) + 1;
    }

    /** Output shape (N, K, OH, OW). */
    public static Shape outputShape(Shape x, int filters, ConvSpec s) {
        Padding2D p = s.padding();
        // a dilated kernel spans d·(F − 1) + 1 cells
        return Shape.of(x.dim(0), filters,
                outSize(x.dim(2), s.dilationH() * (s.kernelH() - 1) + 1, s.strideH(), p.top(), p.bottom()),
                outSize(x.dim(3), s.dilationW() * (s.kernelW() - 1) + 1, s.strideW(), p.left(), p.right()));
    }

    /** y = x ⋆ w + b; x (N, C, H, W), w (K, C/groups, kh, kw), b (K) or null. */
    public static double[] forward(float[] x, Shape xs, float[] w, int filters, float[] b, ConvSpec s) {
        Shape ys = outputShape(xs, filters, s);
        double[] y = new double[ys.size()];
        if (b != null) {
            int plane = ys.dim(2) * ys.dim(3);
            for (int i = 0; i < y.length; i++) {
                y[i] = b[(i / plane) % filters];
            }
        }
        forEachTap(xs, filters, s, (o, i, j) -> y[o] += (double) x[i] * w[j]);
        return y;
    }

    /** dx: every y[o] += x[i]·w[j] contributes dy[o]·w[j] to dx[i]. */
    public static double[] backwardData(float[] dy, float[] w, Shape xs, int filters, ConvSpec s) {
        double[] dx = new double[xs.size()];
        forEachTap(xs, filters, s, (o, i, j) -> dx[i] += (double) dy[o] * w[j]);
        return dx;
    }

    /** dw: every y[o] += x[i]·w[j] contributes dy[o]·x[i] to dw[j]. */
    public static double[] backwardFilter(float[] x, Shape xs, float[] dy, int filters, ConvSpec s) {
        double[] dw = new double[filters * (xs.dim(1) / s.groups()) * s.kernelH() * s.kernelW()];
        forEachTap(xs, filters, s, (o, i, j) -> dw[j] += (double) dy[o] * x[i]);
        return dw;
    }

    /** db[c] = Σ dy over every axis but 1; dy is (N, C, ...) of any rank ≥ 2. */
    public static double[] biasBackward(float[] dy, Shape dys) {
        int channels = dys.dim(1);
        int inner = dys.size() / (dys.dim(0) * channels);
        double[] db = new double[channels];
        for (int i = 0; i < dy.length; i++) {
            db[(i / inner) % channels] += dy[i];
        }
        return db;
    }

    /**
     * Calls tap for every (output, input, weight) product of the convolution, skipping the zero
     * padding: filter k of group k / (K/G) sees that group's C/G input channels, its taps d apart.
     */
    private static void forEachTap(Shape xs, int filters, ConvSpec s, Tap tap) {
        Shape ys = outputShape(xs, filters, s);
        int channels = xs.dim(1);
        int groupChannels = channels / s.groups();
        int groupFilters = filters / s.groups();
        int h = xs.dim(2);
        int w = xs.dim(3);
        int kh = s.kernelH();
        int kw = s.kernelW();
        for (int n = 0; n < xs.dim(0); n++) {
            for (int k = 0; k < filters; k++) {
                int firstChannel = (k / groupFilters) * groupChannels;
                for (int oy = 0; oy < ys.dim(2); oy++) {
                    for (int ox = 0; ox < ys.dim(3); ox++) {
                        int out = ((n * filters + k) * ys.dim(2) + oy) * ys.dim(3) + ox;
                        for (int gc = 0; gc < groupChannels; gc++) {
                            int c = firstChannel + gc;
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int iy = oy * s.strideH() - s.padding().top() + ky * s.dilationH();
                                    int ix = ox * s.strideW() - s.padding().left() + kx * s.dilationW();
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        tap.at(out, ((n * channels + c) * h + iy) * w + ix,
                                                ((k * groupChannels + gc) * kh + ky) * kw + kx);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
