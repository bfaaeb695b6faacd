package dev.jcnn.cpu;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.tensor.Shape;

/**
 * 2-D convolution (cross-correlation) on the CPU: forward, gradient with respect to the
 * input, to the weights and to the bias. Every sum is accumulated in double and rounded once.
 *
 * <p>The forward pass copies each sample's receptive fields into a patch matrix (one row
 * per output pixel, im2col transposed) and takes dot products with the filters, so a faster
 * GEMM can replace {@link #filterPatches} without touching the rest. The backward passes are
 * direct loops: each output element gathers its own sum, which keeps them obviously correct
 * and free of races.
 */
final class Convolution {

    private Convolution() {
    }

    /** Sizes of one convolution: input (n, c, h, w), k filters of kh × kw, strides, leading padding, output oh × ow. */
    record Dims(int n, int c, int h, int w, int k, int kh, int kw, int sh, int sw, int padTop, int padLeft,
            int oh, int ow) {

        static Dims of(Shape x, int filters, ConvSpec spec) {
            Shape y = spec.outputShape(x, filters);
            return new Dims(x.dim(0), x.dim(1), x.dim(2), x.dim(3), filters, spec.kernelH(), spec.kernelW(),
                    spec.strideH(), spec.strideW(), spec.padding().top(), spec.padding().left(), y.dim(2), y.dim(3));
        }

        /** Values in one receptive field: c · kh · kw. */
        int patch() {
            return c * kh * kw;
        }

        /** Output pixels per filter: oh · ow. */
        int pixels() {
            return oh * ow;
        }
    }

    /** y = x ⋆ w + b; b may be null. */
    static void forward(float[] x, float[] w, float[] b, float[] y, Dims d, Parallel par) {
        int patch = d.patch();
        int pixels = d.pixels();
        par.forRange(d.n(), (from, to) -> {
            float[] patches = new float[pixels * patch];
            for (int s = from; s < to; s++) {
                gatherPatches(x, s, d, patches);
                filterPatches(patches, w, b, y, s * d.k() * pixels, d);
            }
        });
    }

    /**
     * Row p of patches (p = oy·ow + ox) receives the receptive field of output pixel (oy, ox)
     * of sample s, in the weights' (c, i, j) order; cells in the padding are zero.
     */
    static void gatherPatches(float[] x, int s, Dims d, float[] patches) {
        int patch = d.patch();
        for (int oy = 0; oy < d.oh(); oy++) {
            for (int ox = 0; ox < d.ow(); ox++) {
                int row = (oy * d.ow() + ox) * patch;
                for (int c = 0; c < d.c(); c++) {
                    int plane = (s * d.c() + c) * d.h();
                    for (int i = 0; i < d.kh(); i++) {
                        int iy = oy * d.sh() - d.padTop() + i;
                        int dst = row + (c * d.kh() + i) * d.kw();
                        for (int j = 0; j < d.kw(); j++) {
                            int ix = ox * d.sw() - d.padLeft() + j;
                            boolean inside = iy >= 0 && iy < d.h() && ix >= 0 && ix < d.w();
                            patches[dst + j] = inside ? x[(plane + iy) * d.w() + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** y[yBase + kk·pixels + p] = b[kk] + the dot product of filter kk with patch row p. */
    static void filterPatches(float[] patches, float[] w, float[] b, float[] y, int yBase, Dims d) {
        int patch = d.patch();
        int pixels = d.pixels();
        for (int kk = 0; kk < d.k(); kk++) {
            int wRow = kk * patch;
            double bias = b == null ? 0.0 : b[kk];
            int out = yBase + kk * pixels;
            for (int p = 0; p < pixels; p++) {
                int row = p * patch;
                double acc = 0.0;
                for (int q = 0; q < patch; q++) {
                    acc += (double) w[wRow + q] * patches[row + q];
                }
                y[out + p] = (float) (acc + bias);
            }
        }
    }

    /** dx[s, c, iy, ix] = Σ over every (filter, kernel cell) whose window covers (iy, ix) of dy · w. */
    static void backwardData(float[] dy, float[] w, float[] dx, Dims d, Parallel par) {
        par.forRange(d.n(), (from, to) -> {
            for (int s = from; s < to; s++) {
                for (int c = 0; c < d.c(); c++) {
                    for (int iy = 0; iy < d.h(); iy++) {
                        for (int ix = 0; ix < d.w(); ix++) {
                            dx[((s * d.c() + c) * d.h() + iy) * d.w() + ix] = (float) inputGradient(dy, w, d, s, c, iy, ix);
                        }
                    }
                }
            }
        });
    }

    private static double inputGradient(float[] dy, float[] w, Dims d, int s, int c, int iy, int ix) {
        double acc = 0.0;
        for (int i = 0; i < d.kh(); i++) {
            int ty = iy + d.padTop() - i;
            if (ty < 0 || ty % d.sh() != 0 || ty / d.sh() >= d.oh()) {
                continue;
            }
            int oy = ty / d.sh();
            for (int j = 0; j < d.kw(); j++) {
                int tx = ix + d.padLeft() - j;
                if (tx < 0 || tx % d.sw() != 0 || tx / d.sw() >= d.ow()) {
                    continue;
                }
                int ox = tx / d.sw();
                for (int kk = 0; kk < d.k(); kk++) {
                    acc += (double) dy[((s * d.k() + kk) * d.oh() + oy) * d.ow() + ox]
                            * w[((kk * d.c() + c) * d.kh() + i) * d.kw() + j];
                }
            }
        }
        return acc;
    }

    /** dw[k, c, i, j] = Σ over samples and output pixels of dy · the input under kernel cell (i, j); parallel over filters. */
    static void backwardFilter(float[] x, float[] dy, float[] dw, Dims d, Parallel par) {
        par.forRange(d.k(), (from, to) -> {
            for (int kk = from; kk < to; kk++) {
                for (int c = 0; c < d.c(); c++) {
                    for (int i = 0; i < d.kh(); i++) {
                        for (int j = 0; j < d.kw(); j++) {
                            dw[((kk * d.c() + c) * d.kh() + i) * d.kw() + j] = (float) weightGradient(x, dy, d, kk, c, i, j);
                        }
                    }
                }
            }
        });
    }

    private static double weightGradient(float[] x, float[] dy, Dims d, int kk, int c, int i, int j) {
        // Output columns whose kernel cell j falls inside the input: 0 <= ox·sw − padLeft + j < w.
        int oxFrom = Math.max(0, ceilDiv(d.padLeft() - j, d.sw()));
        int oxTo = Math.min(d.ow(), Math.floorDiv(d.w() - 1 + d.padLeft() - j, d.sw()) + 1);
        double acc = 0.0;
        for (int s = 0; s < d.n(); s++) {
            int xPlane = (s * d.c() + c) * d.h();
            int dyPlane = (s * d.k() + kk) * d.oh();
            for (int oy = 0; oy < d.oh(); oy++) {
                int iy = oy * d.sh() - d.padTop() + i;
                if (iy < 0 || iy >= d.h()) {
                    continue;
                }
                int xRow = (xPlane + iy) * d.w() - d.padLeft() + j;
                int dyRow = (dyPlane + oy) * d.ow();
                for (int ox = oxFrom; ox < oxTo; ox++) {
                    acc += (double) dy[dyRow + ox] * x[xRow + ox * d.sw()];
                }
            }
        }
        return acc;
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /**
     * db[c] = Σ of dy over every axis but 1.
     *
     * @param n the batch size, channels the size of axis 1, inner the product of the remaining axes
     */
    static void biasBackward(float[] dy, int n, int channels, int inner, float[] db, Parallel par) {
        par.forRange(channels, (from, to) -> {
            for (int c = from; c < to; c++) {
                double acc = 0.0;
                for (int s = 0; s < n; s++) {
                    int base = (s * channels + c) * inner;
                    for (int q = 0; q < inner; q++) {
                        acc += dy[base + q];
                    }
                }
                db[c] = (float) acc;
            }
        });
    }
}
