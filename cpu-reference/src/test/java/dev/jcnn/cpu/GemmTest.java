package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcnn.tensor.AllClose;
import dev.jcnn.testing.oracle.DenseOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Gemm} and the {@link Kernels} it drives, against the naive oracle ({@link DenseOracle#matmul}): sizes
 * below, at and across a tile in every direction, A given as rows or transposed, B read
 * through a table of scattered row offsets, C overwritten or accumulated, on one thread and
 * spread over three.
 */
class GemmTest {

    private static final int[] SIZES = {1, 3, 4, 5, 16, 17, 31, 32, 33, 65};

    static Stream<Arguments> arguments() {
        List<Arguments> args = new ArrayList<>();
        for (Named<Kernels> kr : KernelsUnderTest.all()) {
            for (int m : new int[] {1, 3, 4, 6, 9}) {
                for (int n : SIZES) {
                    for (int k : new int[] {1, 2, 7, 40, Gemm.KC + 1, 2 * Gemm.KC + 77, 4 * Gemm.KC + 3}) {
                        args.add(Arguments.of(kr, m, n, k));
                    }
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}: m={1} n={2} k={3}")
    @MethodSource("arguments")
    void productMatchesTheOracle(Kernels kr, int m, int n, int k) {
        float[] a = Random32.uniform(m * k, 41 + m);
        float[] b = Random32.uniform(k * n, 42 + n);
        float[] c0 = Random32.uniform(m * n, 43 + k);
        // A as rows, and the same A stored transposed (k × m).
        float[] at = new float[k * m];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                at[p * m + i] = a[i * k + p];
            }
        }
        // B's rows scattered in reverse order with gaps, behind a 5-value prefix.
        int stride = n + 3;
        float[] scattered = new float[5 + k * stride];
        int[] rows = new int[k];
        for (int p = 0; p < k; p++) {
            rows[p] = (k - 1 - p) * stride;
            System.arraycopy(b, p * n, scattered, 5 + rows[p], n);
        }
        Scratch scratch = new Scratch();
        for (boolean transposed : new boolean[] {false, true}) {
            float[] packed = new float[Gemm.packedSize(m, k)];
            Gemm.packA(transposed ? at : a, 0, transposed ? m : k, transposed, m, k, null, packed);
            for (boolean accumulate : new boolean[] {false, true}) {
                String where = kr.describe() + " m=" + m + " n=" + n + " k=" + k + (transposed ? " Aᵀ" : " A")
                        + (accumulate ? " C +=" : " C =");
                double[] expected = DenseOracle.matmul(a, b, c0, m, n, k, accumulate);
                double[] magnitudes = DenseOracle.matmul(Random32.abs(a), Random32.abs(b), Random32.abs(c0), m, n, k, accumulate);
                float[] c = c0.clone();
                Gemm.multiply(kr, m, n, k, packed, scattered, 5, rows, c, 0, n, accumulate, scratch);
                AllClose.compareScaled(where, null, c, expected, magnitudes, FastPathTest.FLOAT_SUMS).assertPassed();
                float[] spread = c0.clone();
                try (Parallel par = new Parallel(3)) {
                    Gemm.multiply(kr, m, n, k, packed, scattered, 5, rows, spread, 0, n, accumulate, par);
                }
                AllClose.compareBits(where + " on 3 threads", null, spread, c).assertPassed();
            }
        }
    }

    /** A sum longer than 2·{@link Gemm#KC} runs in passes, to the same bits as one pass of the tile kernel. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dotsArguments")
    void longSumsInPassesMatchOnePassToTheBit(Kernels kr) {
        int m = Kernels.MR;
        int n = kr.nr();
        for (int k : new int[] {2 * Gemm.KC + 1, 3 * Gemm.KC, 5 * Gemm.KC + 5}) {
            float[] a = Random32.uniform(m * k, 71 + k);
            float[] b = Random32.uniform(k * n, 72 + k);
            int[] rows = new int[k];
            for (int p = 0; p < k; p++) {
                rows[p] = p * n;
            }
            float[] packed = new float[Gemm.packedSize(m, k)];
            Gemm.packA(a, 0, k, false, m, k, null, packed);
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] c0 = Random32.uniform(m * n, 73 + k);
                float[] onePass = c0.clone();
                kr.tile(k, packed, 0, b, 0, rows, onePass, 0, n, accumulate);
                float[] passes = c0.clone();
                Gemm.multiply(kr, m, n, k, packed, b, 0, rows, passes, 0, n, accumulate, new Scratch());
                AllClose.compareBits(kr.describe() + " k=" + k + (accumulate ? " C +=" : " C ="), null, passes, onePass)
                        .assertPassed();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dotsArguments")
    void dotProductsMatchTheOracle(Kernels kr) {
        for (int len : new int[] {0, 1, 15, 16, 17, 100, 333}) {
            for (int rows = 1; rows <= Kernels.MR; rows++) {
                for (int cols = 1; cols <= Kernels.MR; cols++) {
                    float[] a = Random32.uniform(rows * len + 2, 51 + len);
                    float[] b = Random32.uniform(cols * len + 9, 52 + len);
                    int[] offsets = new int[cols + 1];
                    for (int q = 0; q < cols; q++) {
                        offsets[q + 1] = 9 + (cols - 1 - q) * len;
                    }
                    float[] c = Random32.uniform(rows * 7, 53);
                    double[] expected = AllClose.toDouble(c);
                    double[] magnitudes = AllClose.toDouble(Random32.abs(c));
                    for (int r = 0; r < rows; r++) {
                        for (int q = 0; q < cols; q++) {
                            for (int t = 0; t < len; t++) {
                                double term = (double) a[2 + r * len + t] * b[offsets[q + 1] + t];
                                expected[r * 7 + q] += term;
                                magnitudes[r * 7 + q] += Math.abs(term);
                            }
                        }
                    }
                    kr.dots(len, a, 2, len, b, 0, offsets, 1, rows, cols, c, 0, 7);
                    AllClose.compareScaled(kr.describe() + " dots len=" + len + " " + rows + "x" + cols, null, c, expected,
                            magnitudes, FastPathTest.FLOAT_SUMS).assertPassed();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dotsArguments")
    void elementwiseKernelsFollowTheScalarRules(Kernels kr) {
        float[] special = {Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
            -Float.MIN_VALUE, 1e-40f, -3f, 2.5f};
        for (int len = 0; len < 70; len += 7) {
            for (int from = 0; from < 3; from++) {
                float[] x = Random32.uniform(from + len, 60 + len);
                for (int i = 0; i < x.length; i += 3) {
                    x[i] = special[(i / 3) % special.length];
                }
                float[] dy = Random32.uniform(from + len, 61 + len);
                float[] y = new float[x.length];
                float[] dx = new float[x.length];
                kr.relu(x, y, from, from + len);
                kr.reluBackward(x, dy, dx, from, from + len);
                float[] copied = new float[x.length + 4];
                kr.copyAdding(dy, from, copied, 4, len, 0.25f);
                float[] added = dy.clone();
                kr.addTo(x, from, added, from, len);
                double sum = 0;
                double magnitude = 0;
                for (int i = from; i < from + len; i++) {
                    String at = kr.describe() + " len " + len + " from " + from + " index " + i + " x=" + x[i];
                    assertEquals(x[i] > 0f ? x[i] : 0f, y[i], 0f, at + ": relu");
                    assertEquals(x[i] > 0f ? dy[i] : 0f, dx[i], 0f, at + ": relu gradient");
                    assertEquals(dy[i] + 0.25f, copied[4 + i - from], 0f, at + ": copy adding");
                    assertEquals(dy[i] + x[i], added[i], 0f, at + ": add");
                    if (Float.isFinite(x[i])) {
                        sum += x[i];
                        magnitude += Math.abs(x[i]);
                    }
                }
                float[] finite = x.clone();
                for (int i = 0; i < finite.length; i++) {
                    finite[i] = Float.isFinite(finite[i]) ? finite[i] : 1f;
                    if (!Float.isFinite(x[i]) && i >= from && i < from + len) {
                        sum += 1;
                        magnitude += 1;
                    }
                }
                AllClose.compareScaled(kr.describe() + " sum len " + len, null, new float[] {kr.sum(finite, from, from + len)},
                        new double[] {sum}, new double[] {magnitude}, FastPathTest.FLOAT_SUMS).assertPassed();
            }
        }
    }

    static Stream<Named<Kernels>> dotsArguments() {
        return KernelsUnderTest.all().stream();
    }
}
