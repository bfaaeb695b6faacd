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
}
