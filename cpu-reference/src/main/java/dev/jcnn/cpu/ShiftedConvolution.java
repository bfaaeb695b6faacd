package dev.jcnn.cpu;

import java.util.Arrays;

/**
 * Stride-1 convolution as an implicit matrix product, with no patch matrix. A group of
 * samples is copied into zero-padded planes laid out channel by channel ([channel][sample]
 * [row][column]); then the row of the patch matrix for kernel cell (c, i, j) is simply the
 * padded planes of channel c read from offset i·width + j, so {@link Gemm} reads it in place
 * through its table of row offsets. The product covers every position of the padded planes,
 * and only the valid ones are copied out: a few wasted columns buy the removal of thousands of
 * short copies per image.
 *
 * <p>The gradient with respect to the input is the same kind of product over the output
 * gradient padded by kernel − 1 − padding, with the kernel flipped; the gradient with respect
 * to the weights is a set of long dot products between the padded output gradient and the
 * shifted input planes. Groups have a size fixed by the shapes alone, and each sum runs in a
 * fixed order, so the results do not depend on the thread count.
 */
final class ShiftedConvolution {

    /** A group's planes should fit in about half a megabyte, to stay in the core's cache. */
    private static final long GROUP_FLOATS = 128 * 1024;

    /** At least this many groups when the batch allows, so that every thread gets work. */
    private static final int MIN_GROUPS = 16;

    private ShiftedConvolution() {
    }

    /** Forward and weight gradient: any stride-1 convolution. */
    static boolean applies(Convolution.Dims d) {
        return d.sh() == 1 && d.sw() == 1;
    }

    /** Input gradient: stride 1 and leading padding smaller than the kernel, so the flipped product needs no cropping. */
    static boolean appliesToInputGradient(Convolution.Dims d) {
        return applies(d) && d.padTop() < d.kh() && d.padLeft() < d.kw();
    }

    /** y = x ⋆ w + b; b may be null. */
    static void forward(float[] x, float[] w, float[] b, float[] y, Convolution.Dims d, Parallel par, Kernels kr) {
        int hp = d.oh() + d.kh() - 1;
        int wp = d.ow() + d.kw() - 1;
        int plane = hp * wp;
        int patch = d.patch();
        int k = d.k();
        int g = groupSize(d.n(), (long) Math.max(d.c(), k) * plane);
        Scratch shared = par.scratch();
        float[] packedW = shared.get(Scratch.Slot.SHARED_A, Gemm.packedSize(k, patch));
        Gemm.packA(w, 0, patch, false, k, patch, null, packedW);
        int[] rows = shifts(shared.rows(Scratch.Rows.SHARED, patch), d.c(), d.kh(), d.kw(), g * plane, wp);
        par.forRange(Gemm.blocks(d.n(), g), (from, to) -> {
            Scratch scratch = par.scratch();
            float[] planes = scratch.get(Scratch.Slot.COLS, d.c() * g * plane);
            float[] out = scratch.get(Scratch.Slot.DCOLS, k * g * plane);
            for (int group = from; group < to; group++) {
                int first = group * g;
                int count = Math.min(d.n(), first + g) - first;
                place(x, first, count, d.c(), d.h(), d.w(), planes, g, hp, wp, d.padTop(), d.padLeft());
                int cols = (count - 1) * plane + (d.oh() - 1) * wp + d.ow();
                Gemm.multiply(kr, k, cols, patch, packedW, planes, 0, rows, out, 0, cols, false, scratch);
                for (int t = 0; t < count; t++) {
                    for (int kk = 0; kk < k; kk++) {
                        int src = kk * cols + t * plane;
                        int dst = ((first + t) * k + kk) * d.oh() * d.ow();
                        for (int oy = 0; oy < d.oh(); oy++) {
                            if (b == null) {
                                System.arraycopy(out, src + oy * wp, y, dst + oy * d.ow(), d.ow());
                            } else {
                                kr.copyAdding(out, src + oy * wp, y, dst + oy * d.ow(), d.ow(), b[kk]);
                            }
                        }
                    }
                }
            }
        });
    }

    /** dx = the gradient with respect to the input: dy padded by kernel − 1 − padding, times the flipped weights. */
    static void backwardData(float[] dy, float[] w, float[] dx, Convolution.Dims d, Parallel par, Kernels kr) {
        int kh = d.kh();
        int kw = d.kw();
        int hq = d.h() + kh - 1;
        int wq = d.w() + kw - 1;
        int plane = hq * wq;
        int k = d.k();
        int c = d.c();
        int steps = k * kh * kw;
        int g = groupSize(d.n(), (long) Math.max(c, k) * plane);
        Scratch shared = par.scratch();
        // A[ch][(kk, i, j)] = w[kk][ch][kh − 1 − i][kw − 1 − j]: the weights flipped, input channels as rows.
        float[] flipped = shared.get(Scratch.Slot.SHARED_B, c * steps);
        for (int ch = 0; ch < c; ch++) {
            for (int kk = 0; kk < k; kk++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        flipped[ch * steps + (kk * kh + i) * kw + j] = w[((kk * c + ch) * kh + kh - 1 - i) * kw + kw - 1 - j];
                    }
                }
            }
        }
        float[] packed = shared.get(Scratch.Slot.SHARED_A, Gemm.packedSize(c, steps));
        Gemm.packA(flipped, 0, steps, false, c, steps, null, packed);
        int[] rows = shifts(shared.rows(Scratch.Rows.SHARED, steps), k, kh, kw, g * plane, wq);
        par.forRange(Gemm.blocks(d.n(), g), (from, to) -> {
            Scratch scratch = par.scratch();
            float[] planes = scratch.get(Scratch.Slot.COLS, k * g * plane);
            float[] out = scratch.get(Scratch.Slot.DCOLS, c * g * plane);
            for (int group = from; group < to; group++) {
                int first = group * g;
                int count = Math.min(d.n(), first + g) - first;
                place(dy, first, count, k, d.oh(), d.ow(), planes, g, hq, wq, kh - 1 - d.padTop(), kw - 1 - d.padLeft());
                int cols = (count - 1) * plane + (d.h() - 1) * wq + d.w();
                Gemm.multiply(kr, c, cols, steps, packed, planes, 0, rows, out, 0, cols, false, scratch);
                for (int t = 0; t < count; t++) {
                    for (int ch = 0; ch < c; ch++) {
                        int src = ch * cols + t * plane;
                        int dst = ((first + t) * c + ch) * d.h() * d.w();
                        for (int iy = 0; iy < d.h(); iy++) {
                            System.arraycopy(out, src + iy * wq, dx, dst + iy * d.w(), d.w());
                        }
                    }
                }
            }
        });
    }

    /** dw = Σ over samples of dy ⋆ x: per group, dot products of dy's padded planes with x's shifted ones. */
    static void backwardFilter(float[] x, float[] dy, float[] dw, Convolution.Dims d, Parallel par, Kernels kr) {
        int hp = d.oh() + d.kh() - 1;
        int wp = d.ow() + d.kw() - 1;
        int plane = hp * wp;
        int patch = d.patch();
        int k = d.k();
        int size = k * patch;
        int g = groupSize(d.n(), (long) (d.c() + k) * plane);
        int groups = Gemm.blocks(d.n(), g);
        Scratch shared = par.scratch();
        int[] rows = shifts(shared.rows(Scratch.Rows.SHARED, patch), d.c(), d.kh(), d.kw(), g * plane, wp);
        float[] partials = shared.get(Scratch.Slot.SHARED_B, groups * size);
        par.forRange(groups, (from, to) -> {
            Scratch scratch = par.scratch();
            float[] planes = scratch.get(Scratch.Slot.COLS, d.c() * g * plane);
            float[] grads = scratch.get(Scratch.Slot.DCOLS, k * g * plane);
            for (int group = from; group < to; group++) {
                int first = group * g;
                int count = Math.min(d.n(), first + g) - first;
                place(x, first, count, d.c(), d.h(), d.w(), planes, g, hp, wp, d.padTop(), d.padLeft());
                place(dy, first, count, k, d.oh(), d.ow(), grads, g, hp, wp, 0, 0);
                int len = (count - 1) * plane + (d.oh() - 1) * wp + d.ow();
                int part = group * size;
                Arrays.fill(partials, part, part + size, 0f);
                for (int q = 0; q < patch; q += Kernels.MR) {
                    for (int kk = 0; kk < k; kk += Kernels.MR) {
                        kr.dots(len, grads, kk * g * plane, g * plane, planes, 0, rows, q, Math.min(Kernels.MR, k - kk),
                                Math.min(Kernels.MR, patch - q), partials, part + kk * patch + q, patch);
                    }
                }
            }
        });
        System.arraycopy(partials, 0, dw, 0, size);
        for (int group = 1; group < groups; group++) {
            kr.addTo(partials, group * size, dw, 0, size);
        }
    }

    /**
     * Samples per group: few enough that a group's planes (floatsPerSample each) stay within
     * {@link #GROUP_FLOATS}, and at least {@link #MIN_GROUPS} groups when the batch allows.
     * It depends on the shapes alone, never on the thread count.
     */
    static int groupSize(int n, long floatsPerSample) {
        int byCache = (int) Math.max(1, Math.min(n, GROUP_FLOATS / floatsPerSample));
        int groups = Math.max(Gemm.blocks(n, byCache), Math.min(n, MIN_GROUPS));
        return Gemm.blocks(n, groups);
    }

    /**
     * The offset of each kernel cell (ch, i, j), in the weights' order, within planes laid
     * out [ch][sample][row][column]: ch·channelStride + i·width + j.
     */
    private static int[] shifts(int[] rows, int channels, int kh, int kw, int channelStride, int width) {
        for (int ch = 0; ch < channels; ch++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    rows[(ch * kh + i) * kw + j] = ch * channelStride + i * width + j;
                }
            }
        }
        return rows;
    }

    /**
     * Copies samples [first, first + count) of an NCHW tensor into zeroed planes of ph × pw,
     * [channel][slot][row][column] with g slots per channel, each image at row top and column
     * left of its plane (cut off where it would pass the plane's edge).
     */
    private static void place(float[] src, int first, int count, int channels, int h, int w, float[] dst, int g, int ph,
            int pw, int top, int left) {
        int plane = ph * pw;
        int rows = Math.min(h, ph - top);
        int cols = Math.min(w, pw - left);
        for (int ch = 0; ch < channels; ch++) {
            for (int t = 0; t < count; t++) {
                int base = (ch * g + t) * plane;
                Arrays.fill(dst, base, base + plane, 0f);
                int from = ((first + t) * channels + ch) * h * w;
                for (int iy = 0; iy < rows; iy++) {
                    System.arraycopy(src, from + iy * w, dst, base + (top + iy) * pw + left, cols);
                }
            }
        }
    }
}
