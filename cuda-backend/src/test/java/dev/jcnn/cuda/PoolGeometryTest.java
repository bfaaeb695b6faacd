package dev.jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Numerics;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.tensor.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How pooling maps onto cuDNN, checked by emulating cuDNN's documented pooling on the host
 * (explicit padding, cuDNN's own symmetric padding, alpha, division by cell counts) and
 * comparing with the definition of each mode, forward and backward.
 */
class PoolGeometryTest {

    @Test
    void symmetricPaddingSmallerThanTheWindowGoesToCudnn() {
        PoolGeometry g = new PoolGeometry(Shape.of(2, 3, 7, 7),
                new PoolSpec(PoolMode.AVERAGE_EXCLUDE_PAD, 3, 3, 2, 2, Padding2D.of(1)), Numerics.EXACT);
        assertTrue(g.cudnnPads());
        assertEquals(PoolGeometry.CudnnMode.AVERAGE_EXCLUDE_PADDING, g.cudnnMode());
        assertEquals(1f, g.alpha());
        assertFalse(g.dividesByCellCount());
        assertEquals(Shape.of(2, 3, 7, 7), g.cudnnInput());
    }

    @Test
    void sumIsTheIncludePadAverageTimesTheArea() {
        PoolGeometry g = new PoolGeometry(Shape.of(1, 1, 6, 6), PoolSpec.of(PoolMode.SUM, 3, 2), Numerics.EXACT);
        assertEquals(PoolGeometry.CudnnMode.AVERAGE_INCLUDE_PADDING, g.cudnnMode());
        assertEquals(9f, g.alpha());
    }

    @Test
    void asymmetricPaddingIsExplicitWithMinusInfinityForMax() {
        PoolSpec spec = new PoolSpec(PoolMode.MAX, 2, 2, 2, 2, new Padding2D(0, 1, 0, 1));
        PoolGeometry g = new PoolGeometry(Shape.of(1, 1, 5, 5), spec, Numerics.EXACT);
        assertFalse(g.cudnnPads());
        assertEquals(new Padding2D(0, 1, 0, 1), g.explicitPadding());
        assertEquals(Float.NEGATIVE_INFINITY, g.padValue());
        assertEquals(Shape.of(1, 1, 6, 6), g.cudnnInput());
        assertEquals(0, g.cudnnPadH());
    }

    @Test
    void excludePadWithExplicitPaddingDividesByCellCounts() {
        PoolSpec spec = new PoolSpec(PoolMode.AVERAGE_EXCLUDE_PAD, 2, 2, 2, 2, new Padding2D(0, 1, 0, 1));
        PoolGeometry g = new PoolGeometry(Shape.of(1, 1, 5, 5), spec, Numerics.EXACT);
        assertTrue(g.dividesByCellCount());
        assertEquals(PoolGeometry.CudnnMode.AVERAGE_INCLUDE_PADDING, g.cudnnMode());
        assertEquals(4f, g.alpha());
        assertArrayEquals(new int[] {4, 4, 2, 4, 4, 2, 2, 2, 1}, g.cellCounts());
        assertEquals(0.5f, g.inverseCellCounts()[2]);
    }

    @Test
    void maxPoolingWithAWindowWhollyInThePaddingIsRefused() {
        PoolSpec spec = new PoolSpec(PoolMode.MAX, 2, 2, 1, 1, Padding2D.of(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PoolGeometry(Shape.of(1, 1, 4, 4), spec, Numerics.EXACT));
        assertEquals("max pooling 2x2 stride 1x1 padding 2/2/2/2 of (1, 1, 4, 4): a window lies wholly in the padding,"
                + " which the CUDA backend does not support (use padding smaller than the window)", e.getMessage());
        // averages and sums handle such windows (they yield 0), through explicit padding
        PoolGeometry avg = new PoolGeometry(Shape.of(1, 1, 4, 4),
                new PoolSpec(PoolMode.AVERAGE_EXCLUDE_PAD, 2, 2, 1, 1, Padding2D.of(2)), Numerics.EXACT);
        assertFalse(avg.cudnnPads());
        assertEquals(0, avg.cellCounts()[0]);
        assertEquals(0f, avg.inverseCellCounts()[0]);
    }

    /** cuDNN has no ceil mode: the bottom and right padding grow until its floor formula gives the ceil-mode size. */
    @Test
    void ceilModeRunsAsFloorModeWithTheTrailingPaddingGrown() {
        PoolGeometry max = new PoolGeometry(Shape.of(1, 1, 5, 5),
                new PoolSpec(PoolMode.MAX, 2, 2, 2, 2, Padding2D.NONE, true), Numerics.EXACT);
        assertEquals(Shape.of(1, 1, 3, 3), max.y());
        assertEquals(new Padding2D(0, 1, 0, 1), max.effective().padding());
        assertFalse(max.cudnnPads());
        assertEquals(new Padding2D(0, 1, 0, 1), max.explicitPadding());
        assertEquals(Shape.of(1, 1, 6, 6), max.cudnnInput());
        // a last window that would start in the padding is dropped: 5x5, 3x3/2 padded 1 stays 3x3, as cuDNN pads
        PoolGeometry dropped = new PoolGeometry(Shape.of(1, 1, 5, 5),
                new PoolSpec(PoolMode.MAX, 3, 3, 2, 2, Padding2D.of(1), true), Numerics.EXACT);
        assertEquals(Shape.of(1, 1, 3, 3), dropped.y());
        assertTrue(dropped.cudnnPads());
        // an average counting the padding divides the last windows by their cells inside the padded input
        PoolGeometry avg = new PoolGeometry(Shape.of(1, 1, 5, 5),
                new PoolSpec(PoolMode.AVERAGE_INCLUDE_PAD, 2, 2, 2, 2, Padding2D.NONE, true), Numerics.EXACT);
        assertTrue(avg.clipsToPaddedInput());
        assertTrue(avg.dividesByCellCount());
        assertEquals(4f, avg.alpha());
        assertArrayEquals(new int[] {4, 4, 2, 4, 4, 2, 2, 2, 1}, avg.cellCounts());
    }

    @Test
    void emulatedCudnnPathMatchesTheDefinitionForEveryModeAndPadding() {
        Random r = new Random(7);
        int checked = 0;
        for (PoolMode mode : PoolMode.values()) {
            for (int h = 3; h <= 8; h++) {
                for (int win = 1; win <= 3; win++) {
                    for (int stride = 1; stride <= 3; stride++) {
                        for (int[] p : new int[][] {{0, 0}, {1, 1}, {0, 1}, {1, 2}, {2, 2}, {2, 0}}) {
                          for (boolean ceil : new boolean[] {false, true}) {
                            PoolSpec spec = new PoolSpec(mode, win, win + 1, stride, stride,
                                    new Padding2D(p[0], p[1], p[1], p[0]), ceil);
                            Shape x = Shape.of(2, 1, h, h + 1);
                            if (h + p[0] + p[1] < win || h + 1 + p[0] + p[1] < win + 1) {
                                continue;
                            }
                            if (mode == PoolMode.MAX && PoolGeometry.hasEmptyWindow(x, spec)) {
                                continue;
                            }
                            PoolGeometry g = new PoolGeometry(x, spec, Numerics.EXACT);
                            float[] in = new float[x.size()];
                            for (int i = 0; i < in.length; i++) {
                                in[i] = (float) r.nextGaussian();
                            }
                            Shape ys = g.y();
                            float[] dy = new float[ys.size()];
                            for (int i = 0; i < dy.length; i++) {
                                dy[i] = (float) r.nextGaussian();
                            }
                            String where = spec + " on " + x;
                            assertClose(reference(in, x, spec), emulateForward(in, g), where + " forward");
                            if (mode != PoolMode.MAX) {
                                assertClose(referenceBackward(dy, x, spec), emulateBackward(dy, g), where + " backward");
                            }
                            checked++;
                          }
                        }
                    }
                }
            }
        }
        assertTrue(checked > 1200, checked + " configurations");
    }

    /** 1e-6 absolute and relative: the 1/count factors are floats, as on the GPU; values are of order 1. */
    private static void assertClose(double[] expected, double[] actual, String where) {
        assertEquals(expected.length, actual.length, where);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 + 1e-6 * Math.abs(expected[i]), where + " at " + i);
        }
    }

    // ---- the definition (PoolMode's Javadoc) -----------------------------------------------

    private static double[] reference(float[] x, Shape xs, PoolSpec s) {
        Shape ys = s.outputShape(xs);
        double[] y = new double[ys.size()];
        int h = xs.dim(2);
        int w = xs.dim(3);
        for (int p = 0; p < xs.dim(0) * xs.dim(1); p++) {
            for (int i = 0; i < ys.dim(2); i++) {
                for (int j = 0; j < ys.dim(3); j++) {
                    double sum = 0;
                    double max = Double.NEGATIVE_INFINITY;
                    int inside = 0;
                    int area = 0; // cells inside the padded input: the whole window but in ceil mode's last ones
                    for (int a = 0; a < s.windowH(); a++) {
                        for (int b = 0; b < s.windowW(); b++) {
                            int r = i * s.strideH() - s.padding().top() + a;
                            int c = j * s.strideW() - s.padding().left() + b;
                            if (r >= 0 && r < h && c >= 0 && c < w) {
                                double v = x[(p * h + r) * w + c];
                                sum += v;
                                max = Math.max(max, v);
                                inside++;
                            }
                            if (r < h + s.padding().bottom() && c < w + s.padding().right()) {
                                area++;
                            }
                        }
                    }
                    y[(p * ys.dim(2) + i) * ys.dim(3) + j] = switch (s.mode()) {
                        case MAX -> max;
                        case AVERAGE_INCLUDE_PAD -> sum / area;
                        case AVERAGE_EXCLUDE_PAD -> inside == 0 ? 0 : sum / inside;
                        case SUM -> sum;
                    };
                }
            }
        }
        return y;
    }

    private static double[] referenceBackward(float[] dy, Shape xs, PoolSpec s) {
        Shape ys = s.outputShape(xs);
        double[] dx = new double[xs.size()];
        int h = xs.dim(2);
        int w = xs.dim(3);
        for (int p = 0; p < xs.dim(0) * xs.dim(1); p++) {
            for (int i = 0; i < ys.dim(2); i++) {
                for (int j = 0; j < ys.dim(3); j++) {
                    int inside = 0;
                    int area = 0;
                    for (int pass = 0; pass < 2; pass++) {
                        for (int a = 0; a < s.windowH(); a++) {
                            for (int b = 0; b < s.windowW(); b++) {
                                int r = i * s.strideH() - s.padding().top() + a;
                                int c = j * s.strideW() - s.padding().left() + b;
                                if (pass == 0 && r < h + s.padding().bottom() && c < w + s.padding().right()) {
                                    area++;
                                }
                                if (r >= 0 && r < h && c >= 0 && c < w) {
                                    if (pass == 0) {
                                        inside++;
                                    } else {
                                        double g = dy[(p * ys.dim(2) + i) * ys.dim(3) + j];
                                        dx[(p * h + r) * w + c] += switch (s.mode()) {
                                            case AVERAGE_INCLUDE_PAD -> g / area;
                                            case AVERAGE_EXCLUDE_PAD -> g / inside;
                                            case SUM -> g;
                                            case MAX -> throw new AssertionError();
                                        };
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    // ---- cuDNN as documented, fed what PoolGeometry says ------------------------------------

    /** Explicit padding of the input (with the pad value), as the pad kernel does. */
    private static double[] pad(float[] x, Shape xs, PoolGeometry g) {
        Shape ps = g.cudnnInput();
        Padding2D e = g.explicitPadding();
        double[] out = new double[ps.size()];
        for (int p = 0; p < xs.dim(0) * xs.dim(1); p++) {
            for (int r = 0; r < ps.dim(2); r++) {
                for (int c = 0; c < ps.dim(3); c++) {
                    int sr = r - e.top();
                    int sc = c - e.left();
                    boolean in = sr >= 0 && sr < xs.dim(2) && sc >= 0 && sc < xs.dim(3);
                    out[(p * ps.dim(2) + r) * ps.dim(3) + c] = in ? x[(p * xs.dim(2) + sr) * xs.dim(3) + sc]
                            : g.padValue();
                }
            }
        }
        return out;
    }

    private static double[] emulateForward(float[] x, PoolGeometry g) {
        double[] in = pad(x, g.x(), g);
        Shape is = g.cudnnInput();
        Shape ys = g.y();
        PoolSpec s = g.spec();
        float[] inv = g.dividesByCellCount() ? g.inverseCellCounts() : null;
        double[] y = new double[ys.size()];
        for (int p = 0; p < is.dim(0) * is.dim(1); p++) {
            for (int i = 0; i < ys.dim(2); i++) {
                for (int j = 0; j < ys.dim(3); j++) {
                    double sum = 0;
                    double max = Double.NEGATIVE_INFINITY;
                    int inside = 0;
                    for (int a = 0; a < s.windowH(); a++) {
                        for (int b = 0; b < s.windowW(); b++) {
                            int r = i * s.strideH() - g.cudnnPadH() + a;
                            int c = j * s.strideW() - g.cudnnPadW() + b;
                            if (r >= 0 && r < is.dim(2) && c >= 0 && c < is.dim(3)) {
                                double v = in[(p * is.dim(2) + r) * is.dim(3) + c];
                                sum += v;
                                max = Math.max(max, v);
                                inside++;
                            }
                        }
                    }
                    double v = switch (g.cudnnMode()) {
                        case MAX -> max;
                        case AVERAGE_INCLUDE_PADDING -> sum / (s.windowH() * s.windowW());
                        case AVERAGE_EXCLUDE_PADDING -> sum / inside;
                    };
                    int q = i * ys.dim(3) + j;
                    v *= g.alpha();
                    if (inv != null) {
                        v *= inv[q];
                    }
                    y[p * ys.dim(2) * ys.dim(3) + q] = v;
                }
            }
        }
        return y;
    }

    private static double[] emulateBackward(float[] dy, PoolGeometry g) {
        Shape is = g.cudnnInput();
        Shape ys = g.y();
        PoolSpec s = g.spec();
        float[] inv = g.dividesByCellCount() ? g.inverseCellCounts() : null;
        double[] dIn = new double[is.size()];
        for (int p = 0; p < is.dim(0) * is.dim(1); p++) {
            for (int i = 0; i < ys.dim(2); i++) {
                for (int j = 0; j < ys.dim(3); j++) {
                    int q = i * ys.dim(3) + j;
                    double grad = dy[p * ys.dim(2) * ys.dim(3) + q] * (inv == null ? 1.0 : inv[q]);
                    int inside = 0;
                    for (int pass = 0; pass < 2; pass++) {
                        for (int a = 0; a < s.windowH(); a++) {
                            for (int b = 0; b < s.windowW(); b++) {
                                int r = i * s.strideH() - g.cudnnPadH() + a;
                                int c = j * s.strideW() - g.cudnnPadW() + b;
                                if (r >= 0 && r < is.dim(2) && c >= 0 && c < is.dim(3)) {
                                    if (pass == 0) {
                                        inside++;
                                    } else {
                                        double share = g.cudnnMode() == PoolGeometry.CudnnMode.AVERAGE_EXCLUDE_PADDING
                                                ? grad / inside : grad / (s.windowH() * s.windowW());
                                        dIn[(p * is.dim(2) + r) * is.dim(3) + c] += g.alpha() * share;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // crop, as zeroPadBackward does
        Shape xs = g.x();
        Padding2D e = g.explicitPadding();
        double[] dx = new double[xs.size()];
        for (int p = 0; p < xs.dim(0) * xs.dim(1); p++) {
            for (int r = 0; r < xs.dim(2); r++) {
                for (int c = 0; c < xs.dim(3); c++) {
                    dx[(p * xs.dim(2) + r) * xs.dim(3) + c] = dIn[(p * is.dim(2) + r + e.top()) * is.dim(3) + c
                            + e.left()];
                }
            }
        }
        return dx;
    }
}
