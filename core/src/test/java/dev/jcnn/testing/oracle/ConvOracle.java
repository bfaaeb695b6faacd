package dev.jcnn.testing.oracle;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.tensor.Shape;

/**
 * Convolution by nested loops with double accumulation, like Caffe's {@code caffe_conv}: the
 * obviously correct definition every backend is checked against. The backward passes are
 * the forward loop with each multiply-add turned around (its adjoint), not derived formulas.
 */
public final class ConvOracle {

    private ConvOracle() {
    }

    /** Output size along one axis: floor((I + before + after − F) / S) + 1, computed here independently of core. */
    public static int outSize(int input, int window, int stride, int before, int after) {
        return Math.floorDiv(input + before + after - window, stride) + 1;
    }

    /** Output shape (N, K, OH, OW). */
    public static Shape outputShape(Shape x, int filters, ConvSpec s) {
        Padding2D p = s.padding();
        return Shape.of(x.dim(0), filters, outSize(x.dim(2), s.kernelH(), s.strideH(), p.top(), p.bottom()),
                outSize(x.dim(3), s.kernelW(), s.strideW(), p.left(), p.right()));
    }

    /** y = x ⋆ w + b; x (N, C, H, W), w (K, C, kh, kw), b (K) or null. */
    public static double[] forward(float[] x, Shape xs, float[] w, int filters, float[] b, ConvSpec s) {
        Shape ys = outputShape(xs, filters, s);
        double[] y = new double[ys.size()];
        Loop loop = new Loop(xs, ys, s);
        for (int n = 0; n < loop.batch; n++) {
            for (int k = 0; k < filters; k++) {
                for (int oy = 0; oy < loop.oh; oy++) {
                    for (int ox = 0; ox < loop.ow; ox++) {
                        double sum = b == null ? 0 : b[k];
                        for (int c = 0; c < loop.channels; c++) {
                            for (int ky = 0; ky < s.kernelH(); ky++) {
                                for (int kx = 0; kx < s.kernelW(); kx++) {
                                    int xi = loop.inputIndex(n, c, oy, ky, ox, kx);
                                    if (xi >= 0) {
                                        sum += (double) x[xi] * w[loop.weightIndex(k, c, ky, kx)];
                                    }
                                }
                            }
                        }
                        y[loop.outputIndex(n, k, oy, ox)] = sum;
                    }
                }
            }
        }
        return y;
    }

    /** dx: every y += x·w of the forward loop contributes dy·w to dx. */
    public static double[] backwardData(float[] dy, float[] w, Shape xs, int filters, ConvSpec s) {
        Shape ys = outputShape(xs, filters, s);
        double[] dx = new double[xs.size()];
        Loop loop = new Loop(xs, ys, s);
        for (int n = 0; n < loop.batch; n++) {
            for (int k = 0; k < filters; k++) {
                for (int oy = 0; oy < loop.oh; oy++) {
                    for (int ox = 0; ox < loop.ow; ox++) {
                        double g = dy[loop.outputIndex(n, k, oy, ox)];
                        for (int c = 0; c < loop.channels; c++) {
                            for (int ky = 0; ky < s.kernelH(); ky++) {
                                for (int kx = 0; kx < s.kernelW(); kx++) {
                                    int xi = loop.inputIndex(n, c, oy, ky, ox, kx);
                                    if (xi >= 0) {
                                        dx[xi] += g * w[loop.weightIndex(k, c, ky, kx)];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** dw: every y += x·w of the forward loop contributes dy·x to dw. */
    public static double[] backwardFilter(float[] x, Shape xs, float[] dy, int filters, ConvSpec s) {
        Shape ys = outputShape(xs, filters, s);
        double[] dw = new double[filters * xs.dim(1) * s.kernelH() * s.kernelW()];
        Loop loop = new Loop(xs, ys, s);
        for (int n = 0; n < loop.batch; n++) {
            for (int k = 0; k < filters; k++) {
                for (int oy = 0; oy < loop.oh; oy++) {
                    for (int ox = 0; ox < loop.ow; ox++) {
                        double g = dy[loop.outputIndex(n, k, oy, ox)];
                        for (int c = 0; c < loop.channels; c++) {
                            for (int ky = 0; ky < s.kernelH(); ky++) {
                                for (int kx = 0; kx < s.kernelW(); kx++) {
                                    int xi = loop.inputIndex(n, c, oy, ky, ox, kx);
                                    if (xi >= 0) {
                                        dw[loop.weightIndex(k, c, ky, kx)] += g * x[xi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dw;
    }

    /** db[c] = Σ dy over every axis but 1; dy is (N, C, ...) of any rank ≥ 2. */
    public static double[] biasBackward(float[] dy, Shape dys) {
        int batch = dys.dim(0);
        int channels = dys.dim(1);
        int inner = dys.size() / (batch * channels);
        double[] db = new double[channels];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < inner; i++) {
                    db[c] += dy[(n * channels + c) * inner + i];
                }
            }
        }
        return db;
    }

    /** Index arithmetic of one convolution, shared by the three loops. */
    private static final class Loop {
        final int batch;
        final int channels;
        final int h;
        final int w;
        final int oh;
        final int ow;
        final int filters;
        final ConvSpec s;

        Loop(Shape xs, Shape ys, ConvSpec s) {
            this.batch = xs.dim(0);
            this.channels = xs.dim(1);
            this.h = xs.dim(2);
            this.w = xs.dim(3);
            this.filters = ys.dim(1);
            this.oh = ys.dim(2);
            this.ow = ys.dim(3);
            this.s = s;
        }

        /** Flat index of the input cell under kernel cell (ky, kx) at output (oy, ox), or -1 in the padding. */
        int inputIndex(int n, int c, int oy, int ky, int ox, int kx) {
            int iy = oy * s.strideH() - s.padding().top() + ky;
            int ix = ox * s.strideW() - s.padding().left() + kx;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                return -1;
            }
            return ((n * channels + c) * h + iy) * w + ix;
        }

        int weightIndex(int k, int c, int ky, int kx) {
            return ((k * channels + c) * s.kernelH() + ky) * s.kernelW() + kx;
        }

        int outputIndex(int n, int k, int oy, int ox) {
            return ((n * filters + k) * oh + oy) * ow + ox;
        }
    }
}
