package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The dense forward pass's blocked transpose of the weights moves every value to its place, edges included,
 * into rows of {@link Dense#skewed} floats.
 */
class DenseTransposeTest {

    @Test
    void everyShapeAroundTheBlockEdgeTransposes() {
        for (int[] shape : new int[][] {{1, 1}, {1, 37}, {16, 16}, {17, 15}, {37, 23}, {512, 40}, {256, 128}}) {
            int out = shape[0];
            int in = shape[1];
            int ld = Dense.skewed(out);
            float[] w = new float[out * in];
            for (int i = 0; i < w.length; i++) {
                w[i] = i * 0.5f - 3;
            }
            float[] wt = new float[in * ld + 1];
            wt[in * ld] = 42; // past the end stays untouched
            Dense.transpose(w, out, in, wt, ld);
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    assertEquals(w[o * in + i], wt[i * ld + o], out + "x" + in + " at (" + o + ", " + i + ")");
                }
            }
            assertEquals(42, wt[in * ld]);
        }
    }

    /** The input gradient of a layer 256 or 512 inputs wide goes through a skewed copy of the weights: same sums. */
    @Test
    void wideLayersInputGradientMatchesPlainSums() {
        for (int in : new int[] {256, 512}) {
            int n = 5;
            int out = 7;
            float[] dy = Random32.uniform(n * out, 1 + in);
            float[] w = Random32.uniform(out * in, 2 + in);
            float[] dx = new float[n * in];
            try (Parallel par = new Parallel(2)) {
                Dense.backwardData(dy, w, dx, n, in, out, par, Vectorization.kernels());
            }
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < in; i++) {
                    double sum = 0;
                    double scale = 0;
                    for (int o = 0; o < out; o++) {
                        sum += (double) dy[s * out + o] * w[o * in + i];
                        scale += Math.abs((double) dy[s * out + o] * w[o * in + i]);
                    }
                    assertEquals(sum, dx[s * in + i], 1e-6 + 2e-5 * scale, "in " + in + " at (" + s + ", " + i + ")");
                }
            }
        }
    }

    /**
     * Below {@link Dense#ROWS_BELOW} samples the forward pass works row by row on the weights in place; each
     * sample's outputs must be the bits the batched product gives, with and without bias, on both kernels.
     */
    @Test
    void smallBatchesGiveTheBatchedProductsBits() {
        int n = 40;
        for (int[] shape : new int[][] {{400, 120}, {120, 84}, {84, 10}, {7, 3}, {33, 17}}) {
            int in = shape[0];
            int out = shape[1];
            float[] x = Random32.uniform(n * in, in);
            float[] w = Random32.uniform(out * in, out);
            float[] b = Random32.uniform(out, in + out);
            for (var kr : KernelsUnderTest.all()) {
                for (float[] bias : new float[][] {b, null}) {
                    float[] batched = new float[n * out];
                    try (Parallel par = new Parallel(2)) {
                        Dense.forward(x, w, bias, batched, n, in, out, par, kr.getPayload());
                        for (int s = 0; s < n; s++) {
                            float[] one = new float[out];
                            Dense.forward(java.util.Arrays.copyOfRange(x, s * in, (s + 1) * in), w, bias, one, 1, in, out,
                                    par, kr.getPayload());
                            for (int o = 0; o < out; o++) {
                                assertEquals(Float.floatToIntBits(batched[s * out + o]), Float.floatToIntBits(one[o]),
                                        kr.getName() + " " + in + "->" + out + (bias == null ? " no bias" : "")
                                                + " sample " + s + " output " + o);
                            }
                        }
                    }
                }
            }
        }
    }
}
