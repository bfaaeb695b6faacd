package dev.jcnn.cpu;

import dev.jcnn.backend.DenseOps;
import java.util.Arrays;

/**
 * Fully connected layer on the CPU: y = x·wᵀ + b with x (n, in) and w (out, in), and its two
 * gradients, each one matrix product on the {@link Kernels} ({@link Gemm}), spread over the
 * threads by tiles of the result. Sums are in float, in a fixed order.
 */
final class Dense extends DenseOps<CpuTensor> {

    private final Parallel parallel;
    private final Kernels kernels;

    Dense(CpuBackend backend, Parallel parallel, Kernels kernels) {
        super(backend, CpuTensor.class);
        this.parallel = parallel;
        this.kernels = kernels;
    }

    @Override
    protected void computeForward(CpuTensor x, CpuTensor w, CpuTensor b, CpuTensor y) {
        forward(x.data(), w.data(), b == null ? null : b.data(), y.data(), x.shape().batch(), w.shape().dim(1),
                w.shape().dim(0), parallel, kernels);
    }

    @Override
    protected void computeBackwardData(CpuTensor dy, CpuTensor w, CpuTensor dx) {
        backwardData(dy.data(), w.data(), dx.data(), dx.shape().batch(), w.shape().dim(1), w.shape().dim(0), parallel,
                kernels);
    }

    @Override
    protected void computeBackwardWeights(CpuTensor x, CpuTensor dy, CpuTensor dw) {
        backwardWeights(x.data(), dy.data(), dw.data(), x.shape().batch(), dw.shape().dim(1), dw.shape().dim(0),
                parallel, kernels);
    }

    /**
     * Batches below this many samples take {@link #forwardByRows}: the product's transpose of the weights costs the
     * same at any batch size, and for one LeNet-5 image it was 80% of the layer's time.
     */
    static final int ROWS_BELOW = 16;

    /**
     * y[s, o] = b[o] + Σ_i x[s, i]·w[o, i]; b may be null. As a product: [x | 1] · [wᵀ; b], or for small batches
     * row by row on the weights in place, to the same bits: a sample's outputs do not depend on the batch size.
     */
    static void forward(float[] x, float[] w, float[] b, float[] y, int n, int in, int out, Parallel par,
            Kernels kr) {
        if (n < ROWS_BELOW) {
            forwardByRows(x, w, b, y, n, in, out, par, kr);
            return;
        }
        Scratch scratch = par.scratch();
        int steps = b == null ? in : in + 1;
        float[] ones = null;
        if (b != null) {
            ones = scratch.get(Scratch.Slot.SHARED_C, n);
            Arrays.fill(ones, 0, n, 1f);
        }
        float[] packedX = scratch.get(Scratch.Slot.SHARED_A, Gemm.packedSize(n, steps));
        Gemm.packA(x, 0, in, false, n, in, ones, packedX);
        int ld = skewed(out);
        float[] wt = scratch.get(Scratch.Slot.SHARED_B, steps * ld);
        transpose(w, out, in, wt, ld);
        if (b != null) {
            System.arraycopy(b, 0, wt, in * ld, out);
        }
        Gemm.multiply(kr, n, out, steps, packedX, wt, 0, scratch.strided(Scratch.Rows.SHARED, steps, ld), y, 0, out,
                false, par);
    }

    /**
     * The forward pass sample by sample on the weights' rows in place ({@link Kernels#rowProducts}), each sum in the
     * order and with the rounding of the product's tiles, the bias added last as the product's last step adds it.
     */
    static void forwardByRows(float[] x, float[] w, float[] b, float[] y, int n, int in, int out, Parallel par,
            Kernels kr) {
        int chunk = 8;
        par.forRange(Gemm.blocks(out, chunk), (long) n * in * out, (from, to) -> {
            for (int blk = from; blk < to; blk++) {
                int o0 = blk * chunk;
                int cols = Math.min(chunk, out - o0);
                for (int s = 0; s < n; s++) {
                    int at = s * out + o0;
                    kr.rowProducts(in, x, s * in, w, o0 * in, in, cols, y, at);
                    if (b != null) {
                        for (int q = 0; q < cols; q++) {
                            y[at + q] += b[o0 + q];
                        }
                    }
                }
            }
        });
    }

    /** Edge of the square blocks {@link #transpose} copies: 16 × 16 floats read and written stay in 32 cache lines. */
    private static final int BLOCK = 16;

    /** Below this many weights the transpose stays row by row: it fits the cache, and the blocks' loops cost more. */
    private static final int SMALL = 16 * 1024;

    /**
     * wt[i·out + o] = w[o·in + i], block by block: a row-by-row transpose writes each value into another cache line
     * and, for the CIFAR-style CNN's 4096 × 512 weights, took as long as the product itself; in blocks it runs 4.4x
     * faster there and 1.25x for LeNet's 400 × 120 (the best of 200 turns each, in one JVM, under load), with the
     * same values. Smaller ones (84 × 120: 0.86x in blocks) keep the plain loop.
     */
    static void transpose(float[] w, int out, int in, float[] wt, int ld) {
        if ((long) out * in < SMALL) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    wt[i * ld + o] = w[o * in + i];
                }
            }
            return;
        }
        for (int o0 = 0; o0 < out; o0 += BLOCK) {
            int o1 = Math.min(out, o0 + BLOCK);
            for (int i0 = 0; i0 < in; i0 += BLOCK) {
                int i1 = Math.min(in, i0 + BLOCK);
                for (int o = o0; o < o1; o++) {
                    int row = o * in;
                    for (int i = i0; i < i1; i++) {
                        wt[i * ld + o] = w[row + i];
                    }
                }
            }
        }
    }

    /**
     * A row length for a copy of rows of {@code len} floats: len itself, or one cache line more
     * when len is a multiple of 256 floats, whose rows would all fall into the same few sets of
     * the cache (4096 × 512 weights: the transpose ran at 4 ns a value and the product at a
     * quarter of its speed).
     */
    static int skewed(int len) {
        return len % 256 == 0 ? len + 16 : len;
    }

    /** dx[s, i] = Σ_o dy[s, o]·w[o, i]. */
    static void backwardData(float[] dy, float[] w, float[] dx, int n, int in, int out, Parallel par, Kernels kr) {
        Scratch scratch = par.scratch();
        float[] packedDy = scratch.get(Scratch.Slot.SHARED_A, Gemm.packedSize(n, out));
        Gemm.packA(dy, 0, out, false, n, out, null, packedDy);
        int ld = skewed(in);
        float[] b = skewedCopy(w, out, in, ld, scratch);
        Gemm.multiply(kr, n, in, out, packedDy, b, 0, scratch.strided(Scratch.Rows.SHARED, out, ld), dx, 0, in, false,
                par);
    }

    /**
     * The rows × len matrix m itself when its rows are {@link #skewed} already, else a copy in rows of ld floats:
     * the product reads a panel of B down its rows, and rows 4096 floats apart all land in one set of the cache
     * (the CIFAR-style CNN's 4096 × 512 weights: the input gradient ran 1.2–1.4x faster on the copy, in turns).
     */
    private static float[] skewedCopy(float[] m, int rows, int len, int ld, Scratch scratch) {
        if (ld == len) {
            return m;
        }
        float[] copy = scratch.get(Scratch.Slot.SHARED_B, rows * ld);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(m, r * len, copy, r * ld, len);
        }
        return copy;
    }

    /** dw[o, i] = Σ_s dy[s, o]·x[s, i], summed over the batch in order. */
    static void backwardWeights(float[] x, float[] dy, float[] dw, int n, int in, int out, Parallel par,
            Kernels kr) {
        Scratch scratch = par.scratch();
        float[] packedDyT = scratch.get(Scratch.Slot.SHARED_A, Gemm.packedSize(out, n));
        Gemm.packA(dy, 0, out, true, out, n, null, packedDyT);
        // x is read in place: its n rows are too few for the cache sets to matter (a skewed copy measured 0.9x)
        Gemm.multiply(kr, out, in, n, packedDyT, x, 0, scratch.strided(Scratch.Rows.SHARED, n, in), dw, 0, in, false,
                par);
    }
}
