package dev.jcnn.testing.conformance;

import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * One pooling configuration: input (n, c, h, w) and the spec. {@link #table()} runs every
 * {@link PoolMode} over square and rectangular, overlapping and padded windows.
 */
public record PoolConfig(int n, int c, int h, int w, PoolSpec spec) {

    /** Window geometries, each run in every mode. Padding stays at most half the window, as in PyTorch. */
    private static final List<int[]> GEOMETRIES = List.of(
            // n, c, h, w, windowH, windowW, strideH, strideW, top, bottom, left, right
            new int[] {1, 1, 4, 4, 2, 2, 2, 2, 0, 0, 0, 0},   // the slides' 4x4 example
            new int[] {2, 3, 9, 9, 3, 3, 2, 2, 0, 0, 0, 0},   // overlapping
            new int[] {2, 2, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1},
            new int[] {1, 2, 6, 5, 2, 3, 2, 1, 0, 0, 0, 0},   // rectangular
            new int[] {3, 1, 8, 8, 3, 3, 3, 3, 1, 1, 1, 1},
            new int[] {2, 2, 5, 6, 2, 2, 1, 1, 0, 1, 0, 1},   // asymmetric, SAME for an even window
            new int[] {5, 1, 7, 9, 3, 2, 2, 3, 1, 1, 0, 0},
            new int[] {1, 3, 11, 11, 5, 5, 2, 2, 2, 2, 2, 2},
            new int[] {4, 2, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1},
            new int[] {2, 1, 10, 7, 3, 3, 3, 2, 0, 0, 1, 0}); // uncovered rows

    public static List<PoolConfig> table() {
        List<PoolConfig> all = new ArrayList<>();
        for (PoolMode mode : PoolMode.values()) {
            for (int[] g : GEOMETRIES) {
                all.add(new PoolConfig(g[0], g[1], g[2], g[3],
                        new PoolSpec(mode, g[4], g[5], g[6], g[7], new Padding2D(g[8], g[9], g[10], g[11]))));
            }
        }
        return all;
    }

    public Shape inputShape() {
        return Shape.of(n, c, h, w);
    }

    @Override
    public String toString() {
        Padding2D p = spec.padding();
        return spec.mode() + " x " + n + "x" + c + "x" + h + "x" + w + ", window " + spec.windowH() + "x" + spec.windowW()
                + ", stride " + spec.strideH() + "x" + spec.strideW()
                + ", pad " + p.top() + "/" + p.bottom() + "/" + p.left() + "/" + p.right();
    }
}
