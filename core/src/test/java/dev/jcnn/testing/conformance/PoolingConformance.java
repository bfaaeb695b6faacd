package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.cases.PoolConfig;
import dev.jcnn.testing.cases.PoolingCases;
import dev.jcnn.testing.oracle.PoolOracle;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pooling beyond the op table's comparison with the oracle ({@link PoolingCases}): finite
 * differences in every {@link PoolMode}, the slides' example, max pooling's small-shift
 * invariance, ties, padding that never wins, and the wording of bad-input messages.
 */
public abstract class PoolingConformance extends BackendConformance {

    static List<PoolConfig> configs() {
        List<PoolConfig> all = new java.util.ArrayList<>(PoolingCases.SMALL);
        all.addAll(PoolingCases.SMALL_CEIL);
        return all;
    }

    /** Distinct values spaced wider than two finite-difference steps: no max-pool ties, no kinks. */
    private float[] input(PoolConfig cfg) {
        return new TestData(cfg.toString().hashCode()).distinct(cfg.inputShape().size(), 0.05);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void gradient(PoolConfig cfg) {
        assumeFiniteDifferences();
        float[] x = input(cfg);
        Shape ys = cfg.outputShape();
        float[] r = new TestData(cfg.toString().hashCode() + 1).gaussian(ys.size(), 1);
        Tensor xt = upload(cfg.inputShape(), x);
        Tensor y = zeros(ys);
        backend().pooling().forward(xt, cfg.spec(), y);
        Tensor dx = zeros(cfg.inputShape());
        backend().pooling().backward(xt, y, upload(ys, r), cfg.spec(), dx);
        Runnable forward = () -> backend().pooling().forward(xt, cfg.spec(), y);
        // max pooling is linear between ties, which the spaced input keeps out of a small step's reach
        GradientChecker checker = cfg.spec().mode() == PoolMode.MAX ? gradientChecker() : linearGradientChecker();
        checker.assertGradient("pooling dx, " + cfg, x, read(dx), projection(xt, forward, y, r),
                GradientChecker.noKinks());
    }

    @Test
    void slidesMaxPoolExample() {
        float[] x = {1, 1, 2, 4, 5, 6, 7, 8, 3, 2, 1, 0, 1, 2, 3, 4};
        Tensor y = output(Shape.of(1, 1, 2, 2));
        backend().pooling().forward(upload(Shape.of(1, 1, 4, 4), x), PoolSpec.of(PoolMode.MAX, 2, 2), y);
        assertArrayEquals(new float[] {6, 8, 3, 4}, read(y));
    }

    /**
     * The slides' property: max pooling is unchanged by a small shift of a suitable input.
     * Each 3x3 window holds one peak at its centre over a background smaller than every
     * peak; shifting by one cell in any direction keeps each peak inside its window.
     * Average pooling of the same input does change, so the input is not trivial.
     */
    @ParameterizedTest(name = "shift {0}x{1}")
    @CsvSource({"0, 1", "1, 0", "1, 1", "-1, 0", "0, -1", "-1, 1", "1, -1", "-1, -1"})
    void maxPoolIgnoresSmallShifts(int shiftY, int shiftX) {
        int n = 2;
        int c = 2;
        int size = 9;
        Shape xs = Shape.of(n, c, size, size);
        TestData data = new TestData(17);
        float[] x = data.uniform(xs.size(), 0, 0.5);
        float[] peaks = data.uniform(n * c * 9, 1, 2);
        for (int p = 0; p < n * c; p++) {
            for (int by = 0; by < 3; by++) {
                for (int bx = 0; bx < 3; bx++) {
                    x[(p * size + by * 3 + 1) * size + bx * 3 + 1] = peaks[p * 9 + by * 3 + bx];
                }
            }
        }
        float[] shifted = new float[x.length];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    int si = i - shiftY;
                    int sj = j - shiftX;
                    if (si >= 0 && si < size && sj >= 0 && sj < size) {
                        shifted[(p * size + i) * size + j] = x[(p * size + si) * size + sj];
                    }
                }
            }
        }
        PoolSpec max = PoolSpec.of(PoolMode.MAX, 3, 3);
        PoolSpec avg = PoolSpec.of(PoolMode.AVERAGE_INCLUDE_PAD, 3, 3);
        Shape ys = Shape.of(n, c, 3, 3);
        Tensor xt = upload(xs, x);
        Tensor st = upload(xs, shifted);
        Tensor y = zeros(ys);
        Tensor ys1 = zeros(ys);
        backend().pooling().forward(xt, max, y);
        backend().pooling().forward(st, max, ys1);
        assertArrayEquals(read(y), read(ys1), "max pooling changed under a shift of " + shiftY + "x" + shiftX);
        backend().pooling().forward(xt, avg, y);
        backend().pooling().forward(st, avg, ys1);
        assertFalse(Arrays.equals(read(y), read(ys1)), "average pooling should change under the shift");
    }

    /**
     * After a ReLU whole windows are zero: however a backend breaks the tie, the window's
     * gradient must add up to its dy (a convex combination of the tied cells), not be
     * duplicated onto every maximum nor lost.
     */
    @Test
    void maxPoolTiesKeepTheGradient() {
        Shape xs = Shape.of(2, 3, 4, 6);
        PoolSpec spec = PoolSpec.of(PoolMode.MAX, 2, 2);
        Shape ys = Shape.of(2, 3, 2, 3);
        float[] g = new TestData(23).uniform(ys.size(), 0.5, 1.5);
        Tensor x = zeros(xs);
        Tensor y = zeros(ys);
        backend().pooling().forward(x, spec, y);
        Tensor dx = output(xs);
        backend().pooling().backward(x, y, upload(ys, g), spec, dx);
        float[] d = read(dx);
        for (int p = 0; p < 6; p++) {
            for (int oy = 0; oy < 2; oy++) {
                for (int ox = 0; ox < 3; ox++) {
                    double sum = 0;
                    for (int ky = 0; ky < 2; ky++) {
                        for (int kx = 0; kx < 2; kx++) {
                            float v = d[(p * 4 + oy * 2 + ky) * 6 + ox * 2 + kx];
                            assertTrue(v >= 0 && v <= g[(p * 2 + oy) * 3 + ox] * (1 + 1e-6),
                                    "dx " + v + " in window [" + p + ", " + oy + ", " + ox + "] is not a share of its dy");
                            sum += v;
                        }
                    }
                    assertEquals(g[(p * 2 + oy) * 3 + ox], sum, 1e-5, "gradient of tied window [" + p + ", " + oy + ", " + ox + "]");
                }
            }
        }
    }

    /** Padded cells never win a max: an all-negative input pools to negative values, even in corner windows. */
    @Test
    void paddingNeverWinsAMax() {
        Shape xs = Shape.of(1, 2, 5, 5);
        float[] x = new TestData(29).uniform(xs.size(), -3, -1);
        PoolSpec spec = new PoolSpec(PoolMode.MAX, 3, 3, 2, 2, Padding2D.of(1));
        Shape ys = PoolOracle.outputShape(xs, spec);
        Tensor y = output(ys);
        backend().pooling().forward(upload(xs, x), spec, y);
        assertClose("poolForward: max of negative values with padding", y, PoolOracle.forward(x, xs, spec));
        for (float v : read(y)) {
            assertTrue(v < 0, "a padded zero won the max: " + v);
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void wrongOutputShape(PoolMode mode) {
        Tensor x = zeros(Shape.of(1, 2, 6, 6));
        Tensor y = zeros(Shape.of(1, 2, 2, 2));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().pooling().forward(x, PoolSpec.of(mode, 2, 2), y),
                "y", "(1, 2, 2, 2)", "(1, 2, 3, 3)");
    }

    @Test
    void inputSmallerThanWindow() {
        Tensor x = zeros(Shape.of(1, 1, 2, 3));
        Tensor y = zeros(Shape.of(1, 1, 1, 1));
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().pooling().forward(x, PoolSpec.of(PoolMode.MAX, 4, 4), y), "2", "4", "smaller | too small | expected");
    }

    @Test
    void wrongGradientShape() {
        PoolSpec spec = PoolSpec.of(PoolMode.MAX, 2, 2);
        Tensor x = zeros(Shape.of(1, 1, 4, 4));
        Tensor y = zeros(Shape.of(1, 1, 2, 2));
        Tensor dy = zeros(Shape.of(1, 1, 2, 2));
        Tensor dx = zeros(Shape.of(1, 1, 4, 3));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().pooling().backward(x, y, dy, spec, dx),
                "dx", "(1, 1, 4, 3)", "(1, 1, 4, 4)");
    }
}
