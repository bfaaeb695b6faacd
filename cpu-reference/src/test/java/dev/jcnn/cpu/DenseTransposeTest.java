package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The dense forward pass's blocked transpose of the weights moves every value to its place, edges included. */
class DenseTransposeTest {

    @Test
    void everyShapeAroundTheBlockEdgeTransposes() {
        for (int[] shape : new int[][] {{1, 1}, {1, 37}, {16, 16}, {17, 15}, {37, 23}, {512, 40}}) {
            int out = shape[0];
            int in = shape[1];
            float[] w = new float[out * in];
            for (int i = 0; i < w.length; i++) {
                w[i] = i * 0.5f - 3;
            }
            float[] wt = new float[w.length + 1];
            wt[w.length] = 42; // past the end stays untouched
            Dense.transpose(w, out, in, wt);
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    assertEquals(w[o * in + i], wt[i * out + o], out + "x" + in + " at (" + o + ", " + i + ")");
                }
            }
            assertEquals(42, wt[w.length]);
        }
    }
}
