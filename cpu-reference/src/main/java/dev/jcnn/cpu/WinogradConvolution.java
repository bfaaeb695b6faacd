package dev.jcnn.cpu;

import java.util.Arrays;

/**
 * Stride-1 3 × 3 convolution by Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray, "Fast
 * Algorithms for Convolutional Neural Networks", 2016). Each 2 × 2 block of outputs is
 * Aᵀ·[U ⊙ V]·A, with V = Bᵀ·d·B from the 4 × 4 block d of inputs around it and U = G·g·Gᵀ from
 * the 3 × 3 filter g:
 *
 * <pre>
 *      | 1  0 -1  0 |        | 1    0    0  |        | 1  1  1  0 |
 * Bᵀ = | 0  1  1  0 |    G = | 1/2  1/2  1/2|   Aᵀ = | 0  1 -1 -1 |
 *      | 0 -1  1  0 |        | 1/2 -1/2  1/2|
 *      | 0  1  0 -1 |        | 0    0    1  |
 * </pre>
 *
 * so 16 multiplies per tile, input and filter give 4 outputs, where the direct sum needs 36.
 * Summed over the input channels the element-wise products become 16 matrix products, one per
 * element ξ of the tile, M_ξ (filters × tiles) = U_ξ (filters × channels) · V_ξ (channels ×
 * tiles), on the same {@link Gemm} as the other convolutions. The input gradient is the same
 * convolution of the output gradient with the filters flipped and their two channel axes
 * swapped, padded by 2 − padding.
 *
 * <p>The transforms add and subtract inputs before they are multiplied, so the results round
 * differently from the direct sum (the tests bound the difference): the backend takes this path
 * only with {@code Numerics.FAST}. Groups of samples have a size fixed by the shapes, and every
 * sum runs in a fixed order, so results do not depend on the thread count.
 */
final class WinogradConvolution {

    /** Values in one transformed tile: 4 × 4. */
    static final int TILE = 16;

    /** A work item's transformed inputs and products should fit in about a megabyte, in the core's cache. */
    private static final long GROUP_FLOATS = 256 * 1024;

    /**
     * Fewer input or output channels than this and the transforms, which cost the same per tile
     * and channel whatever the other channel count, eat the multiplies saved: measured against
     * the direct product (ConvolutionAbMeasure, batch 64, AVX2, ranges over runs on a noisy
     * machine; docs/benchmarks.md), 16 channels in and out ran at 0.3–1.1× its speed, 8 and 12
     * at 0.4–0.8×, 32 at 0.7–1.9×, 64 at 0.8–1.7×.
     */
    static final int MIN_CHANNELS = 32;

    private WinogradConvolution() {
    }

    /** Whether the backend should take this path: {@link #supports} it, and it pays. */
    static boolean applies(Convolution.Dims d) {
        return supports(d) && d.c() >= MIN_CHANNELS && d.k() >= MIN_CHANNELS;
    }

    /** What this class computes: 3 × 3, stride 1, padding of 0 to 2 on every side, any channel counts. */
    static boolean supports(Convolution.Dims d) {
        int padBottom = d.oh() + 2 - d.h() - d.padTop();
        int padRight = d.ow() + 2 - d.w() - d.padLeft();
        return d.kh() == 3 && d.kw() == 3 && d.sh() == 1 && d.sw() == 1 && small(d.padTop()) && small(d.padLeft())
                && small(padBottom) && small(padRight);
    }

    private static boolean small(int pad) {
        return pad >= 0 && pad <= 2;
    }

    /** y = x ⋆ w + b; b may be null. */
    static void forward(float[] x, float[] w, float[] b, float[] y, Convolution.Dims d, Parallel par, Kernels kr) {
        float[] u = transformFilters(w, d.k(), d.c(), false, par.scratch());
        convolve(x, d.n(), d.c(), d.h(), d.w(), d.k(), d.oh(), d.ow(), d.padTop(), d.padLeft(), u, b, y, par, kr);
    }

    /** dx = dy convolved with the flipped filters, channels swapped, padded by 2 − padding. */
    static void backwardData(float[] dy, float[] w, float[] dx, Convolution.Dims d, Parallel par, Kernels kr) {
        float[] u = transformFilters(w, d.k(), d.c(), true, par.scratch());
        convolve(dy, d.n(), d.k(), d.oh(), d.ow(), d.c(), d.h(), d.w(), 2 - d.padTop(), 2 - d.padLeft(), u, null, dx,
                par, kr);
    }

    /**
     * U_ξ = G·g·Gᵀ of every filter (k filters of c channels, 3 × 3 each), in double and rounded
     * once, written straight into the product's packed layout ({@link Gemm#packA}): U_ξ (outputs
     * × inputs) from ξ·{@link Gemm#packedSize}, rows past the outputs zero. For the input
     * gradient (adjoint) the outputs are the c channels and g(i, j) is w(2 − i, 2 − j).
     */
    static float[] transformFilters(float[] w, int k, int c, boolean adjoint, Scratch shared) {
        int rows = adjoint ? c : k;
        int cols = adjoint ? k : c;
        int packed = Gemm.packedSize(rows, cols);
        float[] ap = shared.get(Scratch.Slot.SHARED_A, TILE * packed);
        Arrays.fill(ap, 0, TILE * packed, 0f);
        double[] g = new double[9];
        double[] q = new double[12];
        for (int kk = 0; kk < k; kk++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (kk * c + ch) * 9;
                for (int i = 0; i < 9; i++) {
                    g[i] = w[base + (adjoint ? 8 - i : i)];
                }
                // G·g: four rows of three
                for (int j = 0; j < 3; j++) {
                    q[j] = g[j];
                    q[3 + j] = 0.5 * (g[j] + g[3 + j] + g[6 + j]);
                    q[6 + j] = 0.5 * (g[j] - g[3 + j] + g[6 + j]);
                    q[9 + j] = g[6 + j];
                }
                int row = adjoint ? ch : kk;
                int col = adjoint ? kk : ch;
                // value (row, col) of a packed operand: its block of MR rows, the step col, the lane row % MR
                int at = ((row / Kernels.MR) * cols + col) * Kernels.MR + row % Kernels.MR;
                // (G·g)·Gᵀ, row by row
                for (int i = 0; i < 4; i++) {
                    double q0 = q[3 * i];
                    double q1 = q[3 * i + 1];
                    double q2 = q[3 * i + 2];
                    int xi = 4 * i * packed + at;
                    ap[xi] = (float) q0;
                    ap[xi + packed] = (float) (0.5 * (q0 + q1 + q2));
                    ap[xi + 2 * packed] = (float) (0.5 * (q0 - q1 + q2));
                    ap[xi + 3 * packed] = (float) q2;
                }
            }
        }
        return ap;
    }

    /**
     * The convolution of src (n × cin × h × w) with the transformed filters u into dst (n × cout
     * × oh × ow), the input padded by padTop and padLeft (and whatever the output size implies
     * at the bottom and right), plus bias[cout] when bias is not null.
     */
    private static void convolve(float[] src, int n, int cin, int h, int w, int cout, int oh, int ow, int padTop,
            int padLeft, float[] u, float[] bias, float[] dst, Parallel par, Kernels kr) {
        int tileRows = (oh + 1) / 2;
        int tileCols = (ow + 1) / 2;
        int packed = Gemm.packedSize(cout, cin);
        // the products run over whole blocks of Kernels.MR filters (U's padding rows are zero), so that
        // no tile of M takes the edge path, whose copies cost as much as a short product
        int mRows = Gemm.blocks(cout, Kernels.MR) * Kernels.MR;
        // Work items: groups of g samples, or for large images bands of tile rows of one sample, so
        // that an item's V and M stay within GROUP_FLOATS, in the core's cache.
        long perRow = (long) TILE * (cin + mRows) * tileCols;
        int wanted = (int) Math.min(tileRows, Math.max(1, (perRow * tileRows + GROUP_FLOATS - 1) / GROUP_FLOATS));
        int bandRows = Gemm.blocks(tileRows, wanted);
        int bands = Gemm.blocks(tileRows, bandRows);
        int g = bands > 1 ? 1 : ShiftedConvolution.groupSize(n, perRow * tileRows, GROUP_FLOATS);
        int perSample = bandRows * tileCols;
        // A band's padded plane holds 2·bandRows + 2 rows, each its even columns, then its odd ones: half values each.
        int half = tileCols + 1;
        int ld = 2 * half;
        int planeRows = 2 * bandRows + 2;
        par.forRange(Gemm.blocks(n, g) * bands, (from, to) -> {
            Scratch scratch = par.scratch();
            // the plane, and after the products the four output runs of a row of tiles
            float[] plane = scratch.get(Scratch.Slot.COLS, Math.max(planeRows * ld, 4 * tileCols));
            float[] v = scratch.get(Scratch.Slot.TILES, TILE * skewed(cin * g * perSample));
            float[] m = scratch.get(Scratch.Slot.DCOLS, TILE * skewed(mRows * g * perSample));
            for (int item = from; item < to; item++) {
                int first = item / bands * g;
                int count = Math.min(n, first + g) - first;
                int ty0 = item % bands * bandRows;
                int rowsHere = Math.min(tileRows, ty0 + bandRows) - ty0;
                int tiles = count * rowsHere * tileCols;
                int vStride = skewed(cin * tiles);
                int mStride = skewed(mRows * tiles);
                for (int s = 0; s < count; s++) {
                    for (int ch = 0; ch < cin; ch++) {
                        place(src, ((first + s) * cin + ch) * h * w, h, w, 2 * ty0 - padTop, 2 * rowsHere + 2,
                                padLeft, plane, half);
                        int at = ch * tiles + s * rowsHere * tileCols;
                        for (int ty = 0; ty < rowsHere; ty++) {
                            kr.winogradInput(plane, 2 * ty * ld, ld, half, tileCols, v, at + ty * tileCols, vStride);
                        }
                    }
                }
                int[] rows = scratch.strided(Scratch.Rows.TASK, cin, tiles);
                for (int xi = 0; xi < TILE; xi++) {
                    Gemm.multiply(kr, mRows, tiles, cin, u, xi * packed, v, xi * vStride, rows, m, xi * mStride, tiles,
                            false, scratch);
                }
                for (int s = 0; s < count; s++) {
                    for (int kk = 0; kk < cout; kk++) {
                        float b = bias == null ? 0f : bias[kk];
                        int out = ((first + s) * cout + kk) * oh * ow;
                        int at = kk * tiles + s * rowsHere * tileCols;
                        for (int ty = 0; ty < rowsHere; ty++) {
                            kr.winogradOutput(m, at + ty * tileCols, mStride, tileCols, b, plane);
                            int y = 2 * (ty0 + ty);
                            store(plane, 0, tileCols, dst, out + y * ow, ow);
                            if (y + 1 < oh) {
                                store(plane, 2 * tileCols, tileCols, dst, out + (y + 1) * ow, ow);
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * The distance between the 16 runs of a transformed tile's values: size rounded up to a
     * cache line, plus one line, so that the runs (often a multiple of 4 KB apart otherwise) do
     * not all fall into the same cache sets.
     */
    private static int skewed(int size) {
        return (size + 15) / 16 * 16 + 16;
    }

    /**
     * Copies rows [firstRow, firstRow + rows) of one h × w image (rows outside it are zero) into a
     * zeroed padded plane of that many rows, column x at padded column x + padLeft: the even
     * padded columns to the first run of a row, the odd ones to the second.
     */
    private static void place(float[] src, int from, int h, int w, int firstRow, int rows, int padLeft,
            float[] plane, int half) {
        int ld = 2 * half;
        Arrays.fill(plane, 0, rows * ld, 0f);
        int firstEven = padLeft % 2;
        int firstOdd = 1 - firstEven;
        int evens = (w - firstEven + 1) / 2;
        int odds = (w - firstOdd + 1) / 2;
        int evenAt = (firstEven + padLeft) / 2;
        int oddAt = half + (firstOdd + padLeft) / 2;
        for (int r = Math.max(0, -firstRow); r < rows && firstRow + r < h; r++) {
            int row = r * ld;
            int in = from + (firstRow + r) * w;
            int e = row + evenAt;
            int ie = in + firstEven;
            for (int j = 0; j < evens; j++) {
                plane[e + j] = src[ie + 2 * j];
            }
            int o = row + oddAt;
            int io = in + firstOdd;
            for (int j = 0; j < odds; j++) {
                plane[o + j] = src[io + 2 * j];
            }
        }
    }

    /** One output row from the even-column run at runs[off] and the odd one after it: ow values. */
    private static void store(float[] runs, int off, int tileCols, float[] dst, int to, int ow) {
        int pairs = ow / 2;
        for (int t = 0; t < pairs; t++) {
            dst[to + 2 * t] = runs[off + t];
            dst[to + 2 * t + 1] = runs[off + tileCols + t];
        }
        if (ow % 2 == 1) {
            dst[to + ow - 1] = runs[off + pairs];
        }
    }

    /**
     * One tile's input transform V = Bᵀ·d·B, the reference for both kernels: rows r &lt; 4 of d at
     * src[at + r·ld], columns 0 and 2 at +0 and +1, columns 1 and 3 at +odd and +odd + 1.
     * Value (i, j) goes to dst[d + (4i + j)·stride].
     */
    static void inputTile(float[] src, int at, int ld, int odd, float[] dst, int d, int stride) {
        int r1 = at + ld;
        int r2 = r1 + ld;
        int r3 = r2 + ld;
        // rows of Bᵀ·d, then each row times B
        inputRow(src[at] - src[r2], src[at + 1] - src[r2 + 1], src[at + odd] - src[r2 + odd],
                src[at + odd + 1] - src[r2 + odd + 1], dst, d, stride);
        inputRow(src[r1] + src[r2], src[r1 + 1] + src[r2 + 1], src[r1 + odd] + src[r2 + odd],
                src[r1 + odd + 1] + src[r2 + odd + 1], dst, d + 4 * stride, stride);
        inputRow(src[r2] - src[r1], src[r2 + 1] - src[r1 + 1], src[r2 + odd] - src[r1 + odd],
                src[r2 + odd + 1] - src[r1 + odd + 1], dst, d + 8 * stride, stride);
        inputRow(src[r1] - src[r3], src[r1 + 1] - src[r3 + 1], src[r1 + odd] - src[r3 + odd],
                src[r1 + odd + 1] - src[r3 + odd + 1], dst, d + 12 * stride, stride);
    }

    private static void inputRow(float e0, float e1, float o0, float o1, float[] dst, int d, int stride) {
        dst[d] = e0 - e1;
        dst[d + stride] = o0 + e1;
        dst[d + 2 * stride] = e1 - o0;
        dst[d + 3 * stride] = o0 - o1;
    }

    /**
     * One tile's output transform Aᵀ·M·A + bias, the reference for both kernels: M(i, j) at
     * m[at + (4i + j)·stride]; y(r, c) goes to out[(2r + c)·tiles + t].
     */
    static void outputTile(float[] m, int at, int stride, float bias, float[] out, int t, int tiles) {
        int p1 = at + 4 * stride;
        int p2 = p1 + 4 * stride;
        int p3 = p2 + 4 * stride;
        float a0 = m[at] + m[at + stride] + m[at + 2 * stride];
        float b0 = m[at + stride] - m[at + 2 * stride] - m[at + 3 * stride];
        float a1 = m[p1] + m[p1 + stride] + m[p1 + 2 * stride];
        float b1 = m[p1 + stride] - m[p1 + 2 * stride] - m[p1 + 3 * stride];
        float a2 = m[p2] + m[p2 + stride] + m[p2 + 2 * stride];
        float b2 = m[p2 + stride] - m[p2 + 2 * stride] - m[p2 + 3 * stride];
        float a3 = m[p3] + m[p3 + stride] + m[p3 + 2 * stride];
        float b3 = m[p3 + stride] - m[p3 + 2 * stride] - m[p3 + 3 * stride];
        out[t] = a0 + a1 + a2 + bias;
        out[tiles + t] = b0 + b1 + b2 + bias;
        out[2 * tiles + t] = a1 - a2 - a3 + bias;
        out[3 * tiles + t] = b1 - b2 - b3 + bias;
    }
}
