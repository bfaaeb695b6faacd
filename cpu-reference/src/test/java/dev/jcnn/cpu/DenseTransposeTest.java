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
}
