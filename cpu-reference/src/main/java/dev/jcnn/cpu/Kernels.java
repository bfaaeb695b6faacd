package dev.jcnn.cpu;

/**
 * The innermost loops of the CPU backend, in two implementations: {@link ScalarKernels} in
 * plain Java, and {@code VectorKernels} on the JDK's Vector API, which the JVM only offers
 * with {@code --add-modules jdk.incubator.vector}. {@link Vectorization} picks one. Everything
 * around these loops (shapes, packing, im2col, threads) is shared, so both give the same
 * results up to float rounding, and each is deterministic.
 *
 * <p>Matrix tiles: a tile is {@link #MR} rows × {@link #nr()} columns of C. Its A operand is
 * packed ({@link Gemm#packA}): for each step p of the sum, the MR values A[row][p] lie side
 * by side. Its B operand is read in place, row p starting at bOff + bRows[p]: rows may lie
 * anywhere, which lets a convolution read shifted rows of a padded image as the rows of B
 * ({@link ShiftedConvolution}) instead of copying them into a patch matrix.
 */
interface Kernels {

    /** Rows of C per tile. */
    int MR = 6;

    /** Rows of A and of B per block of {@link #dots}. */
    int DOTS = 4;

    /** Columns of C per tile: a multiple of the vector length. */
    int nr();

    /** A short description for logs and benchmark reports, e.g. "Vector API, 512-bit". */
    String describe();

    /** The floats one fused multiply-add of {@link #fmaLoop} works on: the vector length, or 1. */
    int fmaLanes();

    /**
     * Runs {@code iterations} × {@link #FMA_CHAINS} independent fused multiply-adds of {@link #fmaLanes} floats
     * each, as fast as these kernels can issue them, for measuring the processor's peak; returns a value of the
     * result so that the work cannot be dropped.
     */
    float fmaLoop(long iterations);

    /** Independent accumulators in {@link #fmaLoop}: enough to cover an FMA's latency on two pipes. */
    int FMA_CHAINS = 12;

    /**
     * One full tile: C[r][q] = (accumulate ? C[r][q] : 0) + Σ_{p &lt; k} A[p][r]·B[p][q] for
     * r &lt; MR, q &lt; nr(), with A packed from aOff, row p of B at bOff + bRows[p], and row r
     * of C at cOff + r·ldc. The sum runs over p in order.
     */
    void tile(int k, float[] a, int aOff, float[] b, int bOff, int[] bRows, float[] c, int cOff, int ldc,
            boolean accumulate);

    /**
     * One row of a product, as {@link #tile} sums it: c[cOff + q] = Σ_{t &lt; len} a[aOff + t]·b[bOff + q·ldb + t]
     * for q &lt; cols, each sum from zero over t in order with tile's rounding at every step, so that the values
     * are those a tile gives for the same row and columns to the bit (for small batches of a dense layer, whose
     * weights this reads in place instead of transposed).
     */
    void rowProducts(int len, float[] a, int aOff, float[] b, int bOff, int ldb, int cols, float[] c, int cOff);

    /**
     * {@link #rowProducts} for both implementations: fused, one {@link Math#fma} per step (what each lane of the
     * vector tile does), or not, the product rounded and then added (the scalar tile). Eight sums at a time, enough
     * to cover a step's latency, each in order of t.
     */
    static void rowProductsInOrder(boolean fused, int len, float[] a, int aOff, float[] b, int bOff, int ldb,
            int cols, float[] c, int cOff) {
        int q = 0;
        for (; q + 8 <= cols; q += 8) {
            int b0 = bOff + q * ldb;
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            float s4 = 0f;
            float s5 = 0f;
            float s6 = 0f;
            float s7 = 0f;
            for (int t = 0; t < len; t++) {
                float av = a[aOff + t];
                int bt = b0 + t;
                s0 = step(fused, av, b[bt], s0);
                s1 = step(fused, av, b[bt + ldb], s1);
                s2 = step(fused, av, b[bt + 2 * ldb], s2);
                s3 = step(fused, av, b[bt + 3 * ldb], s3);
                s4 = step(fused, av, b[bt + 4 * ldb], s4);
                s5 = step(fused, av, b[bt + 5 * ldb], s5);
                s6 = step(fused, av, b[bt + 6 * ldb], s6);
                s7 = step(fused, av, b[bt + 7 * ldb], s7);
            }
            c[cOff + q] = s0;
            c[cOff + q + 1] = s1;
            c[cOff + q + 2] = s2;
            c[cOff + q + 3] = s3;
            c[cOff + q + 4] = s4;
            c[cOff + q + 5] = s5;
            c[cOff + q + 6] = s6;
            c[cOff + q + 7] = s7;
        }
        for (; q < cols; q++) {
            int b0 = bOff + q * ldb;
            float s0 = 0f;
            for (int t = 0; t < len; t++) {
                s0 = step(fused, a[aOff + t], b[b0 + t], s0);
            }
            c[cOff + q] = s0;
        }
    }

    /** acc + a·b, fused or with the product rounded first. */
    private static float step(boolean fused, float a, float b, float acc) {
        return fused ? Math.fma(a, b, acc) : acc + a * b;
    }

    /**
     * Dot products of rows: C[r][q] += Σ_{t &lt; len} A[r][t]·B[q][t] for r &lt; rows, q &lt; cols
     * (each at most DOTS), row r of A at aOff + r·lda, row q of B at bOff + bRows[q0 + q],
     * C[r][q] at cOff + r·ldc + q. Each sum runs in a fixed order.
     */
    void dots(int len, float[] a, int aOff, int lda, float[] b, int bOff, int[] bRows, int q0, int rows, int cols,
            float[] c, int cOff, int ldc);

    /**
     * Weighted sums of shifted rows, the inner loop of a depthwise convolution:
     * y[yOff + r·ldy + i] += Σ_{t &lt; taps} tw[t]·x[xo[t] + r·ldx + i] for r &lt; rows, i &lt; len,
     * each value's sum starting from y's value and running over t in order.
     */
    void taps(int rows, int len, int taps, float[] tw, float[] x, int[] xo, int ldx, float[] y, int yOff, int ldy);

    /**
     * Dot products of one block of rows with shifted blocks, a depthwise weight gradient:
     * c[cOff + t] += Σ_{r &lt; rows, i &lt; len} a[aOff + r·lda + i]·x[xo[t] + r·ldx + i] for
     * t &lt; taps, each sum in a fixed order.
     */
    void tapDots(int rows, int len, int taps, float[] a, int aOff, int lda, float[] x, int[] xo, int ldx, float[] c,
            int cOff);

    /**
     * The input transform of Winograd's F(2×2, 3×3) for one row of tiles ({@link WinogradConvolution}):
     * tile t &lt; tiles is the 4 × 4 block d of a padded plane whose rows r &lt; 4 start at src[off + r·ld],
     * their even columns 2t … at +t and their odd columns 2t + 1 … at +odd + t. Writes V = Bᵀ·d·B,
     * value (i, j) to dst[dOff + (4i + j)·dStride + t], each by the same adds in the same order.
     */
    void winogradInput(float[] src, int off, int ld, int odd, int tiles, float[] dst, int dOff, int dStride);

    /**
     * The output transform of Winograd's F(2×2, 3×3) for one row of tiles: tile t's 4 × 4 products
     * M, value (i, j) at m[mOff + (4i + j)·mStride + t], become the 2 × 2 outputs Aᵀ·M·A + bias,
     * written as four runs of tiles values: out[t] = y(0, 0), out[tiles + t] = y(0, 1),
     * out[2·tiles + t] = y(1, 0), out[3·tiles + t] = y(1, 1).
     */
    void winogradOutput(float[] m, int mOff, int mStride, int tiles, float bias, float[] out);

    /** dst[dstOff + i] = src[srcOff + i] + add for i &lt; len. */
    void copyAdding(float[] src, int srcOff, float[] dst, int dstOff, int len, float add);

    /** dst[dstOff + i] += src[srcOff + i] for i &lt; len. */
    void addTo(float[] src, int srcOff, float[] dst, int dstOff, int len);

    /** The sum of x[from..to), in a fixed order. */
    float sum(float[] x, int from, int to);

    /** y[i] = x[i] &gt; 0 ? x[i] : 0 on [from, to); y may be x. NaN gives 0. */
    void relu(float[] x, float[] y, int from, int to);

    /** dx[i] = x[i] &gt; 0 ? dy[i] : 0 on [from, to); dx may be dy. */
    void reluBackward(float[] x, float[] dy, float[] dx, int from, int to);
}
