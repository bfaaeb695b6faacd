package dev.jcnn.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels on the JDK's Vector API ({@code jdk.incubator.vector}), at the widest vector
 * the processor offers (16 floats with AVX-512, 8 with AVX2). A matrix tile keeps 6 × 2
 * vectors of C in registers and adds one product per step with a fused multiply-add, so
 * each step loads 2 vectors of B and broadcasts 6 values of A for 12 FMAs. Dot products
 * go in blocks of 4 × 4, 16 vector sums, each step loading 4 + 4 vectors.
 *
 * <p>Only {@link Vectorization} loads this class, and only when the incubator module is
 * readable, so that a JVM without it never links the Vector API. Sums across lanes are
 * taken lane by lane in a fixed order, never with {@code reduceLanes}, whose order the API
 * leaves open: results must not depend on the JIT.
 */
final class VectorKernels implements Kernels {

    /** The widest vector the processor has. */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int NR = 2 * L;

    /** The kernels, or an exception saying why the vectors are too narrow to help. */
    static VectorKernels create() {
        int bits = VectorShape.preferredShape().vectorBitSize();
        if (bits < 128) {
            throw new UnsupportedOperationException("the preferred vector is only " + bits + " bits wide");
        }
        return new VectorKernels();
    }

    private VectorKernels() {
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public String describe() {
        return "Vector API, " + S.vectorBitSize() + "-bit (" + L + " floats)";
    }

    @Override
    public int fmaLanes() {
        return L;
    }

    @Override
    public float fmaLoop(long iterations) {
        // a = a·m + add converges to add / (1 − m) = 0.1: no overflow, no subnormals, however long it runs
        FloatVector m = FloatVector.broadcast(S, 0.999999f);
        FloatVector add = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, 0f);
        FloatVector a1 = FloatVector.broadcast(S, 0.01f);
        FloatVector a2 = FloatVector.broadcast(S, 0.02f);
        FloatVector a3 = FloatVector.broadcast(S, 0.03f);
        FloatVector a4 = FloatVector.broadcast(S, 0.04f);
        FloatVector a5 = FloatVector.broadcast(S, 0.05f);
        FloatVector a6 = FloatVector.broadcast(S, 0.06f);
        FloatVector a7 = FloatVector.broadcast(S, 0.07f);
        FloatVector a8 = FloatVector.broadcast(S, 0.08f);
        FloatVector a9 = FloatVector.broadcast(S, 0.09f);
        FloatVector a10 = FloatVector.broadcast(S, 0.10f);
        FloatVector a11 = FloatVector.broadcast(S, 0.11f);
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(m, add);
            a1 = a1.fma(m, add);
            a2 = a2.fma(m, add);
            a3 = a3.fma(m, add);
            a4 = a4.fma(m, add);
            a5 = a5.fma(m, add);
            a6 = a6.fma(m, add);
            a7 = a7.fma(m, add);
            a8 = a8.fma(m, add);
            a9 = a9.fma(m, add);
            a10 = a10.fma(m, add);
            a11 = a11.fma(m, add);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
        return sum.lane(0);
    }

    @Override
    public void tile(int k, float[] a, int aOff, float[] b, int bOff, int[] bRows, float[] c, int cOff, int ldc,
            boolean accumulate) {
        int c1 = cOff + ldc;
        int c2 = c1 + ldc;
        int c3 = c2 + ldc;
        int c4 = c3 + ldc;
        int c5 = c4 + ldc;
        FloatVector c00;
        FloatVector c01;
        FloatVector c10;
        FloatVector c11;
        FloatVector c20;
        FloatVector c21;
        FloatVector c30;
        FloatVector c31;
        FloatVector c40;
        FloatVector c41;
        FloatVector c50;
        FloatVector c51;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff);
            c01 = FloatVector.fromArray(S, c, cOff + L);
            c10 = FloatVector.fromArray(S, c, c1);
            c11 = FloatVector.fromArray(S, c, c1 + L);
            c20 = FloatVector.fromArray(S, c, c2);
            c21 = FloatVector.fromArray(S, c, c2 + L);
            c30 = FloatVector.fromArray(S, c, c3);
            c31 = FloatVector.fromArray(S, c, c3 + L);
            c40 = FloatVector.fromArray(S, c, c4);
            c41 = FloatVector.fromArray(S, c, c4 + L);
            c50 = FloatVector.fromArray(S, c, c5);
            c51 = FloatVector.fromArray(S, c, c5 + L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
            c40 = c00;
            c41 = c00;
            c50 = c00;
            c51 = c00;
        }
        int ap = aOff;
        for (int p = 0; p < k; p++) {
            int bp = bOff + bRows[p];
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ap + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ap + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ap + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ap + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ap + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            ap += MR;
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, c1);
        c11.intoArray(c, c1 + L);
        c20.intoArray(c, c2);
        c21.intoArray(c, c2 + L);
        c30.intoArray(c, c3);
        c31.intoArray(c, c3 + L);
        c40.intoArray(c, c4);
        c41.intoArray(c, c4 + L);
        c50.intoArray(c, c5);
        c51.intoArray(c, c5 + L);
    }

    /** As {@link #tile} sums: one fused multiply-add per step, which is what each lane of the tile does. */
    @Override
    public void rowProducts(int len, float[] a, int aOff, float[] b, int bOff, int ldb, int cols, float[] c,
            int cOff) {
        Kernels.rowProductsInOrder(true, len, a, aOff, b, bOff, ldb, cols, c, cOff);
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
            for (int q = 0; q < cols; q++) {
                c[cOff + r * ldc + q] += dot(len, a, aOff + r * lda, b, bOff + bRows[q0 + q]);
            }
        }
    }

    private static void dots4x4(int len, float[] a, int aOff, int lda, float[] b, int bOff, int b1, int b2, int b3,
            float[] c, int cOff, int ldc) {
        FloatVector s00 = FloatVector.zero(S);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        int a1 = aOff + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int bound = S.loopBound(len);
        int t = 0;
        for (; t < bound; t += L) {
            FloatVector va0 = FloatVector.fromArray(S, a, aOff + t);
            FloatVector va1 = FloatVector.fromArray(S, a, a1 + t);
            FloatVector va2 = FloatVector.fromArray(S, a, a2 + t);
            FloatVector va3 = FloatVector.fromArray(S, a, a3 + t);
            FloatVector vb = FloatVector.fromArray(S, b, bOff + t);
            s00 = va0.fma(vb, s00);
            s10 = va1.fma(vb, s10);
            s20 = va2.fma(vb, s20);
            s30 = va3.fma(vb, s30);
            vb = FloatVector.fromArray(S, b, b1 + t);
            s01 = va0.fma(vb, s01);
            s11 = va1.fma(vb, s11);
            s21 = va2.fma(vb, s21);
            s31 = va3.fma(vb, s31);
            vb = FloatVector.fromArray(S, b, b2 + t);
            s02 = va0.fma(vb, s02);
            s12 = va1.fma(vb, s12);
            s22 = va2.fma(vb, s22);
            s32 = va3.fma(vb, s32);
            vb = FloatVector.fromArray(S, b, b3 + t);
            s03 = va0.fma(vb, s03);
            s13 = va1.fma(vb, s13);
            s23 = va2.fma(vb, s23);
            s33 = va3.fma(vb, s33);
        }
        // Lanes are summed from memory: a vector passed to a helper that the JIT does not
        // inline would be boxed, which costs more than the whole loop above.
        float[] sums = LANES.get();
        s00.intoArray(sums, 0);
        s01.intoArray(sums, L);
        s02.intoArray(sums, 2 * L);
        s03.intoArray(sums, 3 * L);
        s10.intoArray(sums, 4 * L);
        s11.intoArray(sums, 5 * L);
        s12.intoArray(sums, 6 * L);
        s13.intoArray(sums, 7 * L);
        s20.intoArray(sums, 8 * L);
        s21.intoArray(sums, 9 * L);
        s22.intoArray(sums, 10 * L);
        s23.intoArray(sums, 11 * L);
        s30.intoArray(sums, 12 * L);
        s31.intoArray(sums, 13 * L);
        s32.intoArray(sums, 14 * L);
        s33.intoArray(sums, 15 * L);
        for (int r = 0; r < DOTS; r++) {
            int ar = aOff + r * lda;
            int cr = cOff + r * ldc;
            int sr = r * DOTS * L;
            c[cr] += laneSum(sums, sr) + tail(a, ar, b, bOff, t, len);
            c[cr + 1] += laneSum(sums, sr + L) + tail(a, ar, b, b1, t, len);
            c[cr + 2] += laneSum(sums, sr + 2 * L) + tail(a, ar, b, b2, t, len);
            c[cr + 3] += laneSum(sums, sr + 3 * L) + tail(a, ar, b, b3, t, len);
        }
    }

    /** Per thread, room for the lanes of 16 vectors. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[DOTS * DOTS * L]);

    /** The sum of the L values from sums[from], lane 0 first. */
    private static float laneSum(float[] sums, int from) {
        float acc = 0f;
        for (int i = from; i < from + L; i++) {
            acc += sums[i];
        }
        return acc;
    }

    private static float dot(int len, float[] a, int aOff, float[] b, int bOff) {
        FloatVector s = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int t = 0;
        for (; t < bound; t += L) {
            s = FloatVector.fromArray(S, a, aOff + t).fma(FloatVector.fromArray(S, b, bOff + t), s);
        }
        float[] sums = LANES.get();
        s.intoArray(sums, 0);
        return laneSum(sums, 0) + tail(a, aOff, b, bOff, t, len);
    }

    /** Σ a[aOff + t]·b[bOff + t] for t in [from, len), in order. */
    private static float tail(float[] a, int aOff, float[] b, int bOff, int from, int len) {
        float acc = 0f;
        for (int t = from; t < len; t++) {
            acc += a[aOff + t] * b[bOff + t];
        }
        return acc;
    }

    @Override
    public void taps(int rows, int len, int taps, float[] tw, float[] x, int[] xo, int ldx, float[] y, int yOff,
            int ldy) {
        int bound = S.loopBound(len);
        float[] ends = LANES.get();
        for (int r = 0; r < rows; r++) {
            int yr = yOff + r * ldy;
            int xr = r * ldx;
            // A row that does not end on a vector ends with one overlapping the one before: computed
            // first from y's values (kept in memory, so that no vector lives across the loop) and
            // stored last, it writes the overlap with the same values, since every lane adds the
            // same taps in the same order.
            int last = len - L;
            boolean overlap = bound < len && last >= 0;
            if (overlap) {
                FloatVector end = FloatVector.fromArray(S, y, yr + last);
                for (int t = 0; t < taps; t++) {
                    end = FloatVector.broadcast(S, tw[t]).fma(FloatVector.fromArray(S, x, xo[t] + xr + last), end);
                }
                end.intoArray(ends, 0);
            }
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector acc = FloatVector.fromArray(S, y, yr + i);
                for (int t = 0; t < taps; t++) {
                    acc = FloatVector.broadcast(S, tw[t]).fma(FloatVector.fromArray(S, x, xo[t] + xr + i), acc);
                }
                acc.intoArray(y, yr + i);
            }
            if (overlap) {
                System.arraycopy(ends, 0, y, yr + last, L);
                continue;
            }
            // a row shorter than a vector: fused as the lanes are, so a value does not depend on the row's length
            for (; i < len; i++) {
                float acc = y[yr + i];
                for (int t = 0; t < taps; t++) {
                    acc = Math.fma(tw[t], x[xo[t] + xr + i], acc);
                }
                y[yr + i] = acc;
            }
        }
    }

    /**
     * Taps in blocks of four, each with two vector sums taking alternate vectors of the row, so
     * that eight independent sums hide the latency of the fused multiply-adds; a last block of
     * fewer taps repeats its first tap's row and drops those sums. Each row's vector sums are
     * added to running sums in memory (vectors that lived across both loops would be boxed), and
     * their lanes summed in order at the end, the first sum's lanes before the second's.
     */
    @Override
    public void tapDots(int rows, int len, int taps, float[] a, int aOff, int lda, float[] x, int[] xo, int ldx,
            float[] c, int cOff) {
        int bound = S.loopBound(len);
        int pairs = bound - bound % (2 * L);
        float[] sums = LANES.get();
        for (int t = 0; t < taps; t += DOTS) {
            int used = Math.min(DOTS, taps - t);
            int x0 = xo[t];
            int x1 = used > 1 ? xo[t + 1] : x0;
            int x2 = used > 2 ? xo[t + 2] : x0;
            int x3 = used > 3 ? xo[t + 3] : x0;
            Arrays.fill(sums, 0, 2 * DOTS * L, 0f);
            float tail0 = 0f;
            float tail1 = 0f;
            float tail2 = 0f;
            float tail3 = 0f;
            for (int r = 0; r < rows; r++) {
                int ar = aOff + r * lda;
                int xr = r * ldx;
                FloatVector s0 = FloatVector.zero(S);
                FloatVector s1 = s0;
                FloatVector s2 = s0;
                FloatVector s3 = s0;
                FloatVector u0 = s0;
                FloatVector u1 = s0;
                FloatVector u2 = s0;
                FloatVector u3 = s0;
                int i = 0;
                for (; i < pairs; i += 2 * L) {
                    FloatVector va = FloatVector.fromArray(S, a, ar + i);
                    FloatVector vb = FloatVector.fromArray(S, a, ar + i + L);
                    s0 = va.fma(FloatVector.fromArray(S, x, x0 + xr + i), s0);
                    u0 = vb.fma(FloatVector.fromArray(S, x, x0 + xr + i + L), u0);
                    s1 = va.fma(FloatVector.fromArray(S, x, x1 + xr + i), s1);
                    u1 = vb.fma(FloatVector.fromArray(S, x, x1 + xr + i + L), u1);
                    s2 = va.fma(FloatVector.fromArray(S, x, x2 + xr + i), s2);
                    u2 = vb.fma(FloatVector.fromArray(S, x, x2 + xr + i + L), u2);
                    s3 = va.fma(FloatVector.fromArray(S, x, x3 + xr + i), s3);
                    u3 = vb.fma(FloatVector.fromArray(S, x, x3 + xr + i + L), u3);
                }
                if (i < bound) {
                    FloatVector va = FloatVector.fromArray(S, a, ar + i);
                    s0 = va.fma(FloatVector.fromArray(S, x, x0 + xr + i), s0);
                    s1 = va.fma(FloatVector.fromArray(S, x, x1 + xr + i), s1);
                    s2 = va.fma(FloatVector.fromArray(S, x, x2 + xr + i), s2);
                    s3 = va.fma(FloatVector.fromArray(S, x, x3 + xr + i), s3);
                    i += L;
                }
                FloatVector.fromArray(S, sums, 0).add(s0).intoArray(sums, 0);
                FloatVector.fromArray(S, sums, L).add(u0).intoArray(sums, L);
                FloatVector.fromArray(S, sums, 2 * L).add(s1).intoArray(sums, 2 * L);
                FloatVector.fromArray(S, sums, 3 * L).add(u1).intoArray(sums, 3 * L);
                FloatVector.fromArray(S, sums, 4 * L).add(s2).intoArray(sums, 4 * L);
                FloatVector.fromArray(S, sums, 5 * L).add(u2).intoArray(sums, 5 * L);
                FloatVector.fromArray(S, sums, 6 * L).add(s3).intoArray(sums, 6 * L);
                FloatVector.fromArray(S, sums, 7 * L).add(u3).intoArray(sums, 7 * L);
                for (; i < len; i++) {
                    float av = a[ar + i];
                    tail0 += av * x[x0 + xr + i];
                    tail1 += av * x[x1 + xr + i];
                    tail2 += av * x[x2 + xr + i];
                    tail3 += av * x[x3 + xr + i];
                }
            }
            c[cOff + t] += laneSum(sums, 0) + laneSum(sums, L) + tail0;
            if (used > 1) {
                c[cOff + t + 1] += laneSum(sums, 2 * L) + laneSum(sums, 3 * L) + tail1;
            }
            if (used > 2) {
                c[cOff + t + 2] += laneSum(sums, 4 * L) + laneSum(sums, 5 * L) + tail2;
            }
            if (used > 3) {
                c[cOff + t + 3] += laneSum(sums, 6 * L) + laneSum(sums, 7 * L) + tail3;
            }
        }
    }

    /**
     * Eight tiles per vector: the tiles of a row are side by side in the even and odd columns'
     * runs, so each of the 16 loads (4 rows × even/odd × t, t + 1) is a plain vector load, and
     * the adds are those of {@link WinogradConvolution#inputTile} in the same order.
     */
    @Override
    public void winogradInput(float[] src, int off, int ld, int odd, int tiles, float[] dst, int dOff, int dStride) {
        int bound = S.loopBound(tiles);
        int t = 0;
        for (; t < bound; t += L) {
            int r0 = off + t;
            int r1 = r0 + ld;
            int r2 = r1 + ld;
            int r3 = r2 + ld;
            FloatVector e0r0 = FloatVector.fromArray(S, src, r0);
            FloatVector e0r1 = FloatVector.fromArray(S, src, r1);
            FloatVector e0r2 = FloatVector.fromArray(S, src, r2);
            FloatVector e0r3 = FloatVector.fromArray(S, src, r3);
            FloatVector e1r0 = FloatVector.fromArray(S, src, r0 + 1);
            FloatVector e1r1 = FloatVector.fromArray(S, src, r1 + 1);
            FloatVector e1r2 = FloatVector.fromArray(S, src, r2 + 1);
            FloatVector e1r3 = FloatVector.fromArray(S, src, r3 + 1);
            FloatVector o0r0 = FloatVector.fromArray(S, src, r0 + odd);
            FloatVector o0r1 = FloatVector.fromArray(S, src, r1 + odd);
            FloatVector o0r2 = FloatVector.fromArray(S, src, r2 + odd);
            FloatVector o0r3 = FloatVector.fromArray(S, src, r3 + odd);
            FloatVector o1r0 = FloatVector.fromArray(S, src, r0 + odd + 1);
            FloatVector o1r1 = FloatVector.fromArray(S, src, r1 + odd + 1);
            FloatVector o1r2 = FloatVector.fromArray(S, src, r2 + odd + 1);
            FloatVector o1r3 = FloatVector.fromArray(S, src, r3 + odd + 1);
            int d = dOff + t;
            // row i of Bᵀ·d, in its even run (t, t + 1) and odd run (t, t + 1), then times B; written
            // out in full, since a helper taking vectors is not always inlined, and then boxes them
            FloatVector e0 = e0r0.sub(e0r2);
            FloatVector e1 = e1r0.sub(e1r2);
            FloatVector o0 = o0r0.sub(o0r2);
            FloatVector o1 = o1r0.sub(o1r2);
            e0.sub(e1).intoArray(dst, d);
            o0.add(e1).intoArray(dst, d + dStride);
            e1.sub(o0).intoArray(dst, d + 2 * dStride);
            o0.sub(o1).intoArray(dst, d + 3 * dStride);
            e0 = e0r1.add(e0r2);
            e1 = e1r1.add(e1r2);
            o0 = o0r1.add(o0r2);
            o1 = o1r1.add(o1r2);
            e0.sub(e1).intoArray(dst, d + 4 * dStride);
            o0.add(e1).intoArray(dst, d + 5 * dStride);
            e1.sub(o0).intoArray(dst, d + 6 * dStride);
            o0.sub(o1).intoArray(dst, d + 7 * dStride);
            e0 = e0r2.sub(e0r1);
            e1 = e1r2.sub(e1r1);
            o0 = o0r2.sub(o0r1);
            o1 = o1r2.sub(o1r1);
            e0.sub(e1).intoArray(dst, d + 8 * dStride);
            o0.add(e1).intoArray(dst, d + 9 * dStride);
            e1.sub(o0).intoArray(dst, d + 10 * dStride);
            o0.sub(o1).intoArray(dst, d + 11 * dStride);
            e0 = e0r1.sub(e0r3);
            e1 = e1r1.sub(e1r3);
            o0 = o0r1.sub(o0r3);
            o1 = o1r1.sub(o1r3);
            e0.sub(e1).intoArray(dst, d + 12 * dStride);
            o0.add(e1).intoArray(dst, d + 13 * dStride);
            e1.sub(o0).intoArray(dst, d + 14 * dStride);
            o0.sub(o1).intoArray(dst, d + 15 * dStride);
        }
        for (; t < tiles; t++) {
            WinogradConvolution.inputTile(src, off + t, ld, odd, dst, dOff + t, dStride);
        }
    }

    @Override
    public void winogradOutput(float[] m, int mOff, int mStride, int tiles, float bias, float[] out) {
        int bound = S.loopBound(tiles);
        FloatVector vb = FloatVector.broadcast(S, bias);
        int t = 0;
        for (; t < bound; t += L) {
            int o = mOff + t;
            FloatVector m00 = FloatVector.fromArray(S, m, o);
            FloatVector m01 = FloatVector.fromArray(S, m, o + mStride);
            FloatVector m02 = FloatVector.fromArray(S, m, o + 2 * mStride);
            FloatVector m03 = FloatVector.fromArray(S, m, o + 3 * mStride);
            FloatVector a0 = m00.add(m01).add(m02);
            FloatVector b0 = m01.sub(m02).sub(m03);
            FloatVector m10 = FloatVector.fromArray(S, m, o + 4 * mStride);
            FloatVector m11 = FloatVector.fromArray(S, m, o + 5 * mStride);
            FloatVector m12 = FloatVector.fromArray(S, m, o + 6 * mStride);
            FloatVector m13 = FloatVector.fromArray(S, m, o + 7 * mStride);
            FloatVector a1 = m10.add(m11).add(m12);
            FloatVector b1 = m11.sub(m12).sub(m13);
            FloatVector m20 = FloatVector.fromArray(S, m, o + 8 * mStride);
            FloatVector m21 = FloatVector.fromArray(S, m, o + 9 * mStride);
            FloatVector m22 = FloatVector.fromArray(S, m, o + 10 * mStride);
            FloatVector m23 = FloatVector.fromArray(S, m, o + 11 * mStride);
            FloatVector a2 = m20.add(m21).add(m22);
            FloatVector b2 = m21.sub(m22).sub(m23);
            FloatVector m30 = FloatVector.fromArray(S, m, o + 12 * mStride);
            FloatVector m31 = FloatVector.fromArray(S, m, o + 13 * mStride);
            FloatVector m32 = FloatVector.fromArray(S, m, o + 14 * mStride);
            FloatVector m33 = FloatVector.fromArray(S, m, o + 15 * mStride);
            FloatVector a3 = m30.add(m31).add(m32);
            FloatVector b3 = m31.sub(m32).sub(m33);
            a0.add(a1).add(a2).add(vb).intoArray(out, t);
            b0.add(b1).add(b2).add(vb).intoArray(out, tiles + t);
            a1.sub(a2).sub(a3).add(vb).intoArray(out, 2 * tiles + t);
            b1.sub(b2).sub(b3).add(vb).intoArray(out, 3 * tiles + t);
        }
        for (; t < tiles; t++) {
            WinogradConvolution.outputTile(m, mOff + t, mStride, bias, out, t, tiles);
        }
    }

    @Override
    public void addTo(float[] src, int srcOff, float[] dst, int dstOff, int len) {
        int bound = S.loopBound(len);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, dst, dstOff + i).add(FloatVector.fromArray(S, src, srcOff + i))
                    .intoArray(dst, dstOff + i);
        }
        for (; i < len; i++) {
            dst[dstOff + i] += src[srcOff + i];
        }
    }

    @Override
    public void copyAdding(float[] src, int srcOff, float[] dst, int dstOff, int len, float add) {
        int bound = S.loopBound(len);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, src, srcOff + i).add(add).intoArray(dst, dstOff + i);
        }
        for (; i < len; i++) {
            dst[dstOff + i] = src[srcOff + i] + add;
        }
    }

    @Override
    public float sum(float[] x, int from, int to) {
        FloatVector s = FloatVector.zero(S);
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += L) {
            s = s.add(FloatVector.fromArray(S, x, i));
        }
        float[] sums = LANES.get();
        s.intoArray(sums, 0);
        float acc = laneSum(sums, 0);
        for (; i < to; i++) {
            acc += x[i];
        }
        return acc;
    }

    @Override
    public void relu(float[] x, float[] y, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            VectorMask<Float> positive = v.compare(VectorOperators.GT, 0f);
            zero.blend(v, positive).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = x[i] > 0f ? x[i] : 0f;
        }
    }

    @Override
    public void reluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
        FloatVector zero = FloatVector.zero(S);
        int bound = from + S.loopBound(to - from);
        int i = from;
        for (; i < bound; i += L) {
            VectorMask<Float> positive = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, dy, i), positive).intoArray(dx, i);
        }
        for (; i < to; i++) {
            dx[i] = x[i] > 0f ? dy[i] : 0f;
        }
    }
}
