package dev.jcnn.cpu;

import java.util.Arrays;

/**
 * Single-precision matrix products C = A·B (or C += A·B) over {@link Kernels} tiles, the way
 * BLIS arranges them: A is packed into row blocks of {@link Kernels#MR} rows, B is read in
 * place by column panels of {@link Kernels#nr()} (row p of B at bOff + bRows[p], wherever
 * the caller keeps it), and each tile of C is computed once, with
 * its sum over p in order. Results therefore do not depend on how tiles are spread over
 * threads. Tiles at the bottom and right edges go through small padded buffers, so that no
 * kernel reads or writes past a matrix.
 */
final class Gemm {

    /**
     * Steps of a sum per pass over the tiles, about: a tile's block of A (MR × KC) and panel of B
     * (KC × nr) then stay in the core's first-level cache while the tiles of one panel go by. Sums
     * of up to 2·KC steps run in one pass, since each pass stores and reloads all of C.
     */
    static final int KC = 256;

    private Gemm() {
    }

    /** The floats {@link #packA} writes for m rows and k steps. */
    static int packedSize(int m, int k) {
        return blocks(m, Kernels.MR) * Kernels.MR * k;
    }

    /**
     * Packs A (m × k, plus one more column when {@code lastColumn} is given) so that, for row
     * block i and step p, the MR values A[i·MR + r][p] lie at dst[(i·steps + p)·MR + r]; rows
     * past m are zero.
     *
     * @param transposed false: A[r][p] = src[off + r·ld + p]; true: the source holds Aᵀ,
     *                   A[r][p] = src[off + p·ld + r]
     * @param lastColumn null, or m values that become column k (a bias beside the weights)
     */
    static void packA(float[] src, int off, int ld, boolean transposed, int m, int k, float[] lastColumn,
            float[] dst) {
        packA(src, off, ld, transposed, m, k, lastColumn, dst, 0);
    }

    /** The same packing, written from dst[dstOff]: one of several packed operands side by side. */
    static void packA(float[] src, int off, int ld, boolean transposed, int m, int k, float[] lastColumn,
            float[] dst, int dstOff) {
        int mr = Kernels.MR;
        int steps = lastColumn == null ? k : k + 1;
        for (int i = 0; i < blocks(m, mr); i++) {
            int base = dstOff + i * steps * mr;
            for (int r = 0; r < mr; r++) {
                int row = i * mr + r;
                if (row >= m) {
                    for (int p = 0; p < steps; p++) {
                        dst[base + p * mr + r] = 0f;
                    }
                    continue;
                }
                if (transposed) {
                    for (int p = 0; p < k; p++) {
                        dst[base + p * mr + r] = src[off + p * ld + row];
                    }
                } else {
                    int s = off + row * ld;
                    for (int p = 0; p < k; p++) {
                        dst[base + p * mr + r] = src[s + p];
                    }
                }
                if (lastColumn != null) {
                    dst[base + k * mr + r] = lastColumn[row];
                }
            }
        }
    }

    /**
     * C (m × n) = A·B, or C += A·B when accumulating, on the calling thread.
     *
     * @param ap A packed by {@link #packA} with k steps
     * @param b  row p of B (at least n values) starts at bOff + bRows[p]
     */
    static void multiply(Kernels kr, int m, int n, int k, float[] ap, float[] b, int bOff, int[] bRows, float[] c,
            int cOff, int ldc, boolean accumulate, Scratch scratch) {
        multiply(kr, m, n, k, ap, 0, b, bOff, bRows, c, cOff, ldc, accumulate, scratch);
    }

    /** The same product with the packed A at ap[apOff...]: one of several packed side by side. */
    static void multiply(Kernels kr, int m, int n, int k, float[] ap, int apOff, float[] b, int bOff, int[] bRows,
            float[] c, int cOff, int ldc, boolean accumulate, Scratch scratch) {
        Product g = new Product(kr, m, n, k, ap, apOff, b, bOff, bRows, c, cOff, ldc, accumulate);
        g.tiles(0, g.tileCount(), scratch);
    }

    /** The same product with its tiles spread over the threads. */
    static void multiply(Kernels kr, int m, int n, int k, float[] ap, float[] b, int bOff, int[] bRows, float[] c,
            int cOff, int ldc, boolean accumulate, Parallel par) {
        Product g = new Product(kr, m, n, k, ap, 0, b, bOff, bRows, c, cOff, ldc, accumulate);
        par.forRange(g.tileCount(), (long) m * n * k, (from, to) -> g.tiles(from, to, par.scratch()));
    }

    static int blocks(int size, int block) {
        return (size + block - 1) / block;
    }

    /** One product's operands; tiles are numbered column panel first, so neighbours share a panel of B. */
    private record Product(Kernels kr, int m, int n, int k, float[] ap, int apOff, float[] b, int bOff, int[] bRows,
            float[] c, int cOff, int ldc, boolean accumulate) {

        int rowBlocks() {
            return blocks(m, Kernels.MR);
        }

        int tileCount() {
            return rowBlocks() * blocks(n, kr.nr());
        }

        void tiles(int from, int to, Scratch scratch) {
            if (k <= 2 * KC) {
                pass(from, to, 0, k, bRows, accumulate, scratch);
                return;
            }
            // Long sums in passes of about KC steps over the same tiles: each tile's sum runs on from
            // where the pass before stored it, in the same order, so the result is the same to the bit.
            int step = blocks(k, blocks(k, KC));
            int[] passRows = scratch.rows(Scratch.Rows.PASS, step);
            for (int k0 = 0; k0 < k; k0 += step) {
                int kc = Math.min(step, k - k0);
                System.arraycopy(bRows, k0, passRows, 0, kc);
                pass(from, to, k0, kc, passRows, accumulate || k0 > 0, scratch);
            }
        }

        /** Steps [k0, k0 + kc) of tiles [from, to), row p of B at bOff + rows[p − k0]. */
        private void pass(int from, int to, int k0, int kc, int[] rows, boolean acc, Scratch scratch) {
            int mr = Kernels.MR;
            int nr = kr.nr();
            int rowBlocks = rowBlocks();
            int edgePanel = -1;
            for (int t = from; t < to; t++) {
                int panel = t / rowBlocks;
                int block = t % rowBlocks;
                int col = panel * nr;
                int row = block * mr;
                int cols = Math.min(nr, n - col);
                int tileRows = Math.min(mr, m - row);
                int aOff = apOff + (block * k + k0) * mr;
                if (tileRows == mr && cols == nr) {
                    kr.tile(kc, ap, aOff, b, bOff + col, rows, c, cOff + row * ldc + col, ldc, acc);
                    continue;
                }
                // An edge tile: B's columns copied to a full-width panel if it is narrow, C through a full tile.
                float[] eb = b;
                int ebOff = bOff + col;
                int[] ebRows = rows;
                if (cols < nr) {
                    eb = scratch.get(Scratch.Slot.EDGE_B, kc * nr);
                    ebRows = scratch.rows(Scratch.Rows.EDGE, kc);
                    if (edgePanel != panel) {
                        packEdge(col, cols, kc, rows, eb);
                        scratch.strided(Scratch.Rows.EDGE, kc, nr);
                        edgePanel = panel;
                    }
                    ebOff = 0;
                }
                float[] ec = scratch.get(Scratch.Slot.EDGE_C, mr * nr);
                Arrays.fill(ec, 0, mr * nr, 0f);
                if (acc) {
                    for (int r = 0; r < tileRows; r++) {
                        System.arraycopy(c, cOff + (row + r) * ldc + col, ec, r * nr, cols);
                    }
                }
                kr.tile(kc, ap, aOff, eb, ebOff, ebRows, ec, 0, nr, acc);
                for (int r = 0; r < tileRows; r++) {
                    System.arraycopy(ec, r * nr, c, cOff + (row + r) * ldc + col, cols);
                }
            }
        }

        private void packEdge(int col, int cols, int kc, int[] rows, float[] eb) {
            int nr = kr.nr();
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, bOff + rows[p] + col, eb, p * nr, cols);
                Arrays.fill(eb, p * nr + cols, (p + 1) * nr, 0f);
            }
        }
    }
}
