package dev.jcnn.cpu;

import java.util.Arrays;

/**
 * The kernels in plain Java: used when the Vector API is not enabled, and as the second
 * implementation that the tests hold the vector one to. Loops are written so that the JIT
 * can unroll and, where it is able, vectorize them; they do not reach the vector kernels' speed.
 */
final class ScalarKernels implements Kernels {

    static final ScalarKernels INSTANCE = new ScalarKernels();

    private static final int NR = 16;

    private ScalarKernels() {
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public String describe() {
        return "scalar Java";
    }

    @Override
    public int fmaLanes() {
        return 1;
    }

    @Override
    public float fmaLoop(long iterations) {
        float m = 0.999999f;
        float add = 1e-7f;
        float a0 = 0f;
        float a1 = 0.01f;
        float a2 = 0.02f;
        float a3 = 0.03f;
        float a4 = 0.04f;
        float a5 = 0.05f;
        float a6 = 0.06f;
        float a7 = 0.07f;
        float a8 = 0.08f;
        float a9 = 0.09f;
        float a10 = 0.10f;
        float a11 = 0.11f;
        for (long i = 0; i < iterations; i++) {
            a0 = Math.fma(a0, m, add);
            a1 = Math.fma(a1, m, add);
            a2 = Math.fma(a2, m, add);
            a3 = Math.fma(a3, m, add);
            a4 = Math.fma(a4, m, add);
            a5 = Math.fma(a5, m, add);
            a6 = Math.fma(a6, m, add);
            a7 = Math.fma(a7, m, add);
            a8 = Math.fma(a8, m, add);
            a9 = Math.fma(a9, m, add);
            a10 = Math.fma(a10, m, add);
            a11 = Math.fma(a11, m, add);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
    }

    @Override
    public void tile(int k, float[] a, int aOff, float[] b, int bOff, int[] bRows, float[] c, int cOff, int ldc,
            boolean accumulate) {
        if (!accumulate) {
            for (int r = 0; r < MR; r++) {
                Arrays.fill(c, cOff + r * ldc, cOff + r * ldc + NR, 0f);
            }
        }
        // Step by step, each row of the tile gets a[r]·(row p of B): a loop over 16 columns the JIT vectorizes.
        for (int p = 0; p < k; p++) {
            int bp = bOff + bRows[p];
            int ap = aOff + p * MR;
            for (int r = 0; r < MR; r++) {
                float av = a[ap + r];
                int row = cOff + r * ldc;
                for (int q = 0; q < NR; q++) {
                    c[row + q] += av * b[bp + q];
                }
            }
        }
    }

    /** As {@link #tile} sums: a product rounded, then added, step by step. */
    @Override
    public void rowProducts(int len, float[] a, int aOff, float[] b, int bOff, int ldb, int cols, float[] c,
            int cOff) {
        Kernels.rowProductsInOrder(false, len, a, aOff, b, bOff, ldb, cols, c, cOff);
    }

    @Override
    public void dots(int len, float[] a, int aOff, int lda, float[] b, int bOff, int[] bRows, int q0, int rows,
            int cols, float[] c, int cOff, int ldc) {
        if (rows == DOTS && cols == DOTS) {
            dots4x4(len, a, aOff, lda, b, bOff + bRows[q0], bOff + bRows[q0 + 1], bOff + bRows[q0 + 2],
                    bOff + bRows[q0 + 3], c, cOff, ldc);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int ar = aOff + r * lda;
            for (int q = 0; q < cols; q++) {
                int bq = bOff + bRows[q0 + q];
                double acc = 0.0;
                for (int t = 0; t < len; t++) {
                    acc += (double) a[ar + t] * b[bq + t];
                }
                c[cOff + r * ldc + q] += (float) acc;
            }
        }
    }

    /**
     * Sixteen sums side by side, so that they do not wait on one another, each in double:
     * one long sequential sum per value would lose more to rounding than the vector
     * kernels' sixteen lanes do.
     */
    private static void dots4x4(int len, float[] a, int a0, int lda, float[] b, int b0, int b1, int b2, int b3,
            float[] c, int cOff, int ldc) {
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        double s00 = 0.0;
        double s01 = 0.0;
        double s02 = 0.0;
        double s03 = 0.0;
        double s10 = 0.0;
        double s11 = 0.0;
        double s12 = 0.0;
        double s13 = 0.0;
        double s20 = 0.0;
        double s21 = 0.0;
        double s22 = 0.0;
        double s23 = 0.0;
        double s30 = 0.0;
        double s31 = 0.0;
        double s32 = 0.0;
        double s33 = 0.0;
        for (int t = 0; t < len; t++) {
            float x0 = a[a0 + t];
            float x1 = a[a1 + t];
            float x2 = a[a2 + t];
            float x3 = a[a3 + t];
            float y0 = b[b0 + t];
            float y1 = b[b1 + t];
            float y2 = b[b2 + t];
            float y3 = b[b3 + t];
            s00 += (double) x0 * y0;
            s01 += (double) x0 * y1;
            s02 += (double) x0 * y2;
            s03 += (double) x0 * y3;
            s10 += (double) x1 * y0;
            s11 += (double) x1 * y1;
            s12 += (double) x1 * y2;
            s13 += (double) x1 * y3;
            s20 += (double) x2 * y0;
            s21 += (double) x2 * y1;
            s22 += (double) x2 * y2;
            s23 += (double) x2 * y3;
            s30 += (double) x3 * y0;
            s31 += (double) x3 * y1;
            s32 += (double) x3 * y2;
            s33 += (double) x3 * y3;
        }
        int c1 = cOff + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        c[cOff] += (float) s00;
        c[cOff + 1] += (float) s01;
        c[cOff + 2] += (float) s02;
        c[cOff + 3] += (float) s03;
        c[c1] += (float) s10;
        c[c1 + 1] += (float) s11;
        c[c1 + 2] += (float) s12;
        c[c1 + 3] += (float) s13;
        c[c2] += (float) s20;
        c[c2 + 1] += (float) s21;
        c[c2 + 2] += (float) s22;
        c[c2 + 3] += (float) s23;
        c[c3] += (float) s30;
        c[c3 + 1] += (float) s31;
        c[c3 + 2] += (float) s32;
        c[c3 + 3] += (float) s33;
    }

    @Override
    public void taps(int rows, int len, int taps, float[] tw, float[] x, int[] xo, int ldx, float[] y, int yOff,
            int ldy) {
        // tap by tap along the row: each value still sums its taps in order, and the inner loop vectorizes
        for (int r = 0; r < rows; r++) {
            int yr = yOff + r * ldy;
            for (int t = 0; t < taps; t++) {
                float wt = tw[t];
                int xr = xo[t] + r * ldx;
                for (int i = 0; i < len; i++) {
                    y[yr + i] += wt * x[xr + i];
                }
            }
        }
    }

    /** Each sum in double, as {@link #dots} does: one long sequential float sum would lose more to rounding. */
    @Override
    public void tapDots(int rows, int len, int taps, float[] a, int aOff, int lda, float[] x, int[] xo, int ldx,
            float[] c, int cOff) {
        for (int t = 0; t < taps; t++) {
            double acc = 0.0;
            for (int r = 0; r < rows; r++) {
                int ar = aOff + r * lda;
                int xr = xo[t] + r * ldx;
                for (int i = 0; i < len; i++) {
                    acc += (double) a[ar + i] * x[xr + i];
                }
            }
            c[cOff + t] += (float) acc;
        }
    }

    @Override
    public void addTo(float[] src, int srcOff, float[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] += src[srcOff + i];
        }
    }

    @Override
    public void winogradInput(float[] src, int off, int ld, int odd, int tiles, float[] dst, int dOff, int dStride) {
        for (int t = 0; t < tiles; t++) {
            WinogradConvolution.inputTile(src, off + t, ld, odd, dst, dOff + t, dStride);
        }
    }

    @Override
    public void winogradOutput(float[] m, int mOff, int mStride, int tiles, float bias, float[] out) {
        for (int t = 0; t < tiles; t++) {
            WinogradConvolution.outputTile(m, mOff + t, mStride, bias, out, t, tiles);
        }
    }

    @Override
    public void copyAdding(float[] src, int srcOff, float[] dst, int dstOff, int len, float add) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = src[srcOff + i] + add;
        }
    }

    @Override
    public float sum(float[] x, int from, int to) {
        float acc = 0f;
        for (int i = from; i < to; i++) {
            acc += x[i];
        }
        return acc;
    }

    @Override
    public void relu(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            int bits = Float.floatToRawIntBits(x[i]);
            y[i] = Float.intBitsToFloat(bits & positive(bits));
        }
    }

    /**
     * All ones when the float with these bits is &gt; 0 (not NaN), else 0, without a branch:
     * random signs would mispredict half of them. Such floats are exactly the bits in
     * [1, 0x7f800000] (up to +infinity); both differences below are ≥ 0 only there.
     */
    private static int positive(int bits) {
        return ~(((bits - 1) | (0x7f800000 - bits)) >> 31);
    }

    @Override
    public void reluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            int mask = positive(Float.floatToRawIntBits(x[i]));
            dx[i] = Float.intBitsToFloat(Float.floatToRawIntBits(dy[i]) & mask);
        }
    }
}
