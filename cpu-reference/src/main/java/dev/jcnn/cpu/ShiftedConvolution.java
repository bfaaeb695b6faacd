package dev.jcnn.cpu;

import java.util.Arrays;

/**
 * Stride-1 convolution as an implicit matrix product, with no patch matrix. A group of
 * samples is copied into zero-padded planes laid out channel by channel ([channel][sample]
 * [row][column]); then the row of the patch matrix for kernel cell (c, i, j) is simply the
 * planes of channel c read from offset i·width + j, so {@link Gemm} reads it in place through
 * its table of row offsets. The product covers every position of the planes, and only the
 * valid ones are copied out: a few wasted columns buy the removal of thousands of short copies
 * per image.
 *
 * <p>Neighbouring rows and samples share their zero padding ({@link Planes}): reading past
 * the right edge of a row lands in the left padding of the next one, and past the last row
 * in the top padding of the next sample, so a valid 5×5 convolution of a 14×14 image works
 * on 14×14 planes, not 18×18. The gradient with respect to the input is the same kind of
 * product over the output gradient, with the kernel flipped; the gradient with respect to the
 * weights is a set of long dot products between the output gradient's planes and the
 * shifted input planes. Groups have a size fixed by the shapes alone, and each sum runs in a
 * fixed order, so the results do not depend on the thread count.
 */
final class ShiftedConvolution {

    /** A group's planes should fit in about half a megabyte, to stay in the core's cache. */
    private static final long GROUP_FLOATS = 128 * 1024;

    /** At least this many groups when the batch allows, so that every thread gets work. */
    private static final int MIN_GROUPS = 8;

    private ShiftedConvolution() {
    }

    /** Forward and weight gradient: any stride-1 convolution. */
    static boolean applies(Convolution.Dims d) {
        return d.sh() == 1 && d.sw() == 1;
    }

    /** Input gradient: stride 1 and padding smaller than the kernel on every side, so the flipped product needs no cropping. */
    static boolean appliesToInputGradient(Convolution.Dims d) {
        Planes p = Planes.of(d, 1);
        return applies(d) && d.padTop() < d.kh() && d.padLeft() < d.kw() && p.padBottom() < d.kh()
                && p.padRight() < d.kw();
    }

    /**
     * The planes of one convolution: height × width per sample, g samples per group, and a
     * channel stride that leaves one zero plane after each channel's samples, where reads past
     * the last sample land.
     */
    record Planes(int height, int width, int g, int padBottom, int padRight) {

        static Planes of(Convolution.Dims d, int g) {
            int padBottom = d.oh() + d.kh() - 1 - d.h() - d.padTop();
            int padRight = d.ow() + d.kw() - 1 - d.w() - d.padLeft();
            // The padding between neighbours is the larger of the two sides, and a plane holds the whole output.
            return new Planes(Math.max(d.h() + Math.max(d.padTop(), padBottom), d.oh()),
                    Math.max(d.w() + Math.max(d.padLeft(), padRight), d.ow()), g, padBottom, padRight);
        }

        int plane() {
            return height * width;
        }

        int channelStride() {
            return (g + 1) * plane();
        }

        /** Columns of a product over count samples whose outputs are rows × cols at the top left of each plane. */
        int columns(int count, int rows, int cols) {
            return (count - 1) * plane() + (rows - 1) * width + cols;
        }

        /**
         * Copies samples [first, first + count) of an NCHW tensor of h × w images into the
         * planes, each image at (top, left) of its plane, zeroing everything else.
         */
        void place(float[] src, int first, int count, int channels, int h, int w, float[] dst, int top, int left) {
            int plane = plane();
            Arrays.fill(dst, 0, channels * channelStride(), 0f);
            for (int ch = 0; ch < channels; ch++) {
                for (int t = 0; t < count; t++) {
                    int base = ch * channelStride() + t * plane + top * width + left;
                    int from = ((first + t) * channels + ch) * h * w;
                    if (w == width) {
                        System.arraycopy(src, from, dst, base, h * w);
                        continue;
                    }
                    for (int y = 0; y < h; y++) {
                        System.arraycopy(src, from + y * w, dst, base + y * width, w);
                    }
                }
            }
        }

        /**
         * {@link #place}, with the channels last in panels of {@code panel} channels: plane position
         * q of channel ch at dst[(ch / panel)·channelStride·panel + q·panel + ch % panel], so that
         * a position's channels of one panel lie side by side, and a panel's positions one after
         * the other.
         */
        void placeChannelsLast(float[] src, int first, int count, int channels, int panel, int h, int w, float[] dst,
                int top, int left) {
            Arrays.fill(dst, 0, channels * channelStride(), 0f);
            for (int t = 0; t < count; t++) {
                for (int ch = 0; ch < channels; ch++) {
                    int from = ((first + t) * channels + ch) * h * w;
                    int at = ch / panel * channelStride() * panel + ch % panel;
                    for (int y = 0; y < h; y++) {
                        int base = at + (t * plane() + (top + y) * width + left) * panel;
                        int in = from + y * w;
                        for (int xx = 0; xx < w; xx++) {
                            dst[base + xx * panel] = src[in + xx];
                        }
                    }
                }
            }
        }

        /**
         * Copies the rows × cols outputs at the top left of each plane of a product (row ch of
         * out, columns as {@link #columns}) into samples [first, first + count) of an NCHW
         * tensor, adding bias[ch] when bias is not null.
         */
        void extract(float[] out, int cols, int first, int count, int channels, int rows, int w, float[] bias,
                float[] dst, Kernels kr) {
            for (int t = 0; t < count; t++) {
                for (int ch = 0; ch < channels; ch++) {
                    int src = ch * cols + t * plane();
                    int to = ((first + t) * channels + ch) * rows * w;
                    if (bias == null && w == width) {
                        System.arraycopy(out, src, dst, to, rows * w);
                        continue;
                    }
                    for (int y = 0; y < rows; y++) {
                        if (bias == null) {
                            System.arraycopy(out, src + y * width, dst, to + y * w, w);
                        } else {
                            kr.copyAdding(out, src + y * width, dst, to + y * w, w, bias[ch]);
                        }
                    }
                }
            }
        }

        /** The offset of each kernel cell (ch, i, j), in the weights' order: ch·channelStride + i·width + j. */
        int[] shifts(int[] rows, int channels, int kh, int kw) {
            for (int ch = 0; ch < channels; ch++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        rows[(ch * kh + i) * kw + j] = ch * channelStride() + i * width + j;
                    }
                }
            }
            return rows;
        }
    }

    /** y = x ⋆ w + b; b may be null. */
    static void forward(float[] x, float[] w, float[] b, float[] y, Convolution.Dims d, Parallel par, Kernels kr) {
        int patch = d.patch();
        int k = d.k();
        Planes p = Planes.of(d, groupSize(d.n(), (long) Math.max(d.c(), k) * Planes.of(d, 1).plane()));
        int g = p.g();
        Scratch shared = par.scratch();
        float[] packedW = shared.get(Scratch.Slot.SHARED_A, Gemm.packedSize(k, patch));
        Gemm.packA(w, 0, patch, false, k, patch, null, packedW);
        int[] rows = p.shifts(shared.rows(Scratch.Rows.SHARED, patch), d.c(), d.kh(), d.kw());
        par.forRange(Gemm.blocks(d.n(), g), (from, to) -> {
            Scratch scratch = par.scratch();
            float[] planes = scratch.get(Scratch.Slot.COLS, d.c() * p.channelStride());
            float[] out = scratch.get(Scratch.Slot.DCOLS, k * g * p.plane());
            for (int group = from; group < to; group++) {
                int first = group * g;
                int count = Math.min(d.n(), first + g) - first;
                p.place(x, first, count, d.c(), d.h(), d.w(), planes, d.padTop(), d.padLeft());
                int cols = p.columns(count, d.oh(), d.ow());
                Gemm.multiply(kr, k, cols, patch, packedW, planes, 0, rows, out, 0, cols, false, scratch);
                p.extract(out, cols, first, count, k, d.oh(), d.ow(), b, y, kr);
            }
        });
    }

    /** dx = the gradient with respect to the input: dy shifted by kernel − 1 − padding, times the flipped weights. */
    static void backwardData(float[] dy, float[] w, float[] dx, Convolution.Dims d, Parallel par, Kernels kr) {
        int kh = d.kh();
        int kw = d.kw();
        int k = d.k();
        int c = d.c();
        int steps = k * kh * kw;
        Planes p = Planes.of(d, groupSize(d.n(), (long) Math.max(c, k) * Planes.of(d, 1).plane()));
        int g = p.g();
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
        int[] rows = p.shifts(shared.rows(Scratch.Rows.SHARED, steps), k, kh, kw);
        par.forRange(Gemm.blocks(d.n(), g), (from, to) -> {
            Scratch scratch = par.scratch();
            float[] planes = scratch.get(Scratch.Slot.COLS, k * p.channelStride());
            float[] out = scratch.get(Scratch.Slot.DCOLS, c * g * p.plane());
            for (int group = from; group < to; group++) {
                int first = group * g;
                int count = Math.min(d.n(), first + g) - first;
                p.place(dy, first, count, k, d.oh(), d.ow(), planes, kh - 1 - d.padTop(), kw - 1 - d.padLeft());
                int cols = p.columns(count, d.h(), d.w());
                Gemm.multiply(kr, c, cols, steps, packed, planes, 0, rows, out, 0, cols, false, scratch);
                p.extract(out, cols, first, count, c, d.h(), d.w(), null, dx, kr);
            }
        });
    }

    /**
     * dw = Σ over samples of dy ⋆ x: by matrix products when the input channels fill whole
     * tiles of the kernels and there are 16 filters or more ({@link #backwardFilterByProducts}),
     * by dot products otherwise.
     */
    static void backwardFilter(float[] x, float[] dy, float[] dw, Convolution.Dims d, Parallel par, Kernels kr) {
        // products need whole tiles of channels, and pay from about 16 filters (ConvolutionAbMeasure: 16 -> 16
        // channels 1.7x the dot products, 16 -> 8 0.9x)
        if (d.c() % kr.nr() == 0 && d.k() >= 16) {
            backwardFilterByProducts(x, dy, dw, d, par, kr);
        } else {
            backwardFilterByDots(x, dy, dw, d, par, kr);
        }
    }

    /**
     * dw by dot products, for any channel count: per group, dot products of dy's planes with x's
     * shifted ones, in 4 × 4 blocks; filters and kernel cells are padded to whole blocks (zero
     * rows of dy, repeated cells of x) whose results are dropped.
     */
    static void backwardFilterByDots(float[] x, float[] dy, float[] dw, Convolution.Dims d, Parallel par,
            Kernels kr) {
        int patch = d.patch();
        int k = d.k();
        int mr = Kernels.DOTS;
        int kRows = Gemm.blocks(k, mr) * mr;
        int cells = Gemm.blocks(patch, mr) * mr;
        int size = kRows * cells;
        Planes p = Planes.of(d, groupSize(d.n(), (long) (d.c() + k) * Planes.of(d, 1).plane()));
        int g = p.g();
        int groups = Gemm.blocks(d.n(), g);
        Scratch shared = par.scratch();
        int[] rows = p.shifts(shared.rows(Scratch.Rows.SHARED, cells), d.c(), d.kh(), d.kw());
        Arrays.fill(rows, patch, cells, rows[0]);
        float[] partials = shared.get(Scratch.Slot.SHARED_B, groups * size);
        par.forRange(groups, (from, to) -> {
            Scratch scratch = par.scratch();
            float[] planes = scratch.get(Scratch.Slot.COLS, d.c() * p.channelStride());
            float[] grads = scratch.get(Scratch.Slot.DCOLS, kRows * p.channelStride());
            for (int group = from; group < to; group++) {
                int first = group * g;
                int count = Math.min(d.n(), first + g) - first;
                p.place(x, first, count, d.c(), d.h(), d.w(), planes, d.padTop(), d.padLeft());
                p.place(dy, first, count, k, d.oh(), d.ow(), grads, 0, 0);
                Arrays.fill(grads, k * p.channelStride(), kRows * p.channelStride(), 0f);
                int len = p.columns(count, d.oh(), d.ow());
                int part = group * size;
                Arrays.fill(partials, part, part + size, 0f);
                for (int q = 0; q < cells; q += mr) {
                    for (int kk = 0; kk < kRows; kk += mr) {
                        kr.dots(len, grads, kk * p.channelStride(), p.channelStride(), planes, 0, rows, q, mr, mr,
                                partials, part + kk * cells + q, cells);
                    }
                }
            }
        });
        for (int kk = 0; kk < k; kk++) {
            System.arraycopy(partials, kk * cells, dw, kk * patch, patch);
            for (int group = 1; group < groups; group++) {
                kr.addTo(partials, group * size + kk * cells, dw, kk * patch, patch);
            }
        }
    }

    /**
     * dw by matrix products, for input channel counts that fill whole tiles: per group and kernel
     * cell (i, j), dw_ij (filters × channels) = dY (filters × positions) · X_ij (positions ×
     * channels), where row q of X_ij is position q + i·width + j of the input planes laid out
     * channels last, so the product reads it in place through its row offsets; one product per
     * panel of {@link Kernels#nr()} channels, each panel's positions one after the other, so
     * that a tile streams through memory in order. dY is packed once
     * per group for the nine products; each tile of dw then sums over the group's positions in
     * order in registers, the kernels' fastest loop. The groups' sums are added in order.
     */
    static void backwardFilterByProducts(float[] x, float[] dy, float[] dw, Convolution.Dims d, Parallel par,
            Kernels kr) {
        int c = d.c();
        int k = d.k();
        int cells = d.kh() * d.kw();
        int size = cells * k * c;
        int nr = kr.nr();
        Planes p = Planes.of(d, groupSize(d.n(), (long) (c + k) * Planes.of(d, 1).plane()));
        int g = p.g();
        int groups = Gemm.blocks(d.n(), g);
        float[] partials = par.scratch().get(Scratch.Slot.SHARED_B, groups * size);
        par.forRange(groups, (from, to) -> {
            Scratch scratch = par.scratch();
            float[] lastX = scratch.get(Scratch.Slot.COLS, c * p.channelStride());
            float[] grads = scratch.get(Scratch.Slot.DCOLS, k * p.channelStride());
            for (int group = from; group < to; group++) {
                int first = group * g;
                int count = Math.min(d.n(), first + g) - first;
                p.placeChannelsLast(x, first, count, c, nr, d.h(), d.w(), lastX, d.padTop(), d.padLeft());
                p.place(dy, first, count, k, d.oh(), d.ow(), grads, 0, 0);
                int len = p.columns(count, d.oh(), d.ow());
                float[] packed = scratch.get(Scratch.Slot.TASK_A, Gemm.packedSize(k, len));
                Gemm.packA(grads, 0, p.channelStride(), false, k, len, null, packed);
                int[] rows = scratch.strided(Scratch.Rows.TASK, len, nr);
                for (int i = 0; i < d.kh(); i++) {
                    for (int j = 0; j < d.kw(); j++) {
                        int cell = i * d.kw() + j;
                        for (int panel = 0; panel < c / nr; panel++) {
                            Gemm.multiply(kr, k, nr, len, packed, lastX,
                                    (panel * p.channelStride() + i * p.width() + j) * nr, rows, partials,
                                    group * size + cell * k * c + panel * nr, c, false, scratch);
                        }
                    }
                }
            }
        });
        for (int kk = 0; kk < k; kk++) {
            for (int ch = 0; ch < c; ch++) {
                for (int cell = 0; cell < cells; cell++) {
                    int at = cell * k * c + kk * c + ch;
                    float sum = partials[at];
                    for (int group = 1; group < groups; group++) {
                        sum += partials[group * size + at];
                    }
                    dw[(kk * c + ch) * cells + cell] = sum;
                }
            }
        }
    }

    /**
     * Samples per group: few enough that a group's planes (floatsPerSample each) stay within
     * {@link #GROUP_FLOATS}, and at least {@link #MIN_GROUPS} groups when the batch allows.
     * It depends on the shapes alone, never on the thread count.
     */
    static int groupSize(int n, long floatsPerSample) {
        return groupSize(n, floatsPerSample, GROUP_FLOATS);
    }

    /** The same with a group's budget of floats. */
    static int groupSize(int n, long floatsPerSample, long groupFloats) {
        int byCache = (int) Math.max(1, Math.min(n, groupFloats / floatsPerSample));
        int groups = Math.max(Gemm.blocks(n, byCache), Math.min(n, MIN_GROUPS));
        return Gemm.blocks(n, groups);
    }
}
