package dev.jcnn.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class GradientCheckerTest {

    /** f(x) = Σ sin(x_i)·(i + 1) in float, as a backend would compute it. */
    private static final ToDoubleFunction<float[]> F = x -> {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (float) Math.sin(x[i]) * (i + 1);
        }
        return s;
    };

    private static float[] gradient(float[] x) {
        float[] g = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            g[i] = (float) Math.cos(x[i]) * (i + 1);
        }
        return g;
    }

    @Test
    void acceptsTheRightGradient() {
        float[] x = new TestData(1).gaussian(20, 1);
        GradientChecker.Result r = GradientChecker.standard().assertGradient("sin", x, gradient(x), F, GradientChecker.noKinks());
        assertEquals(20, r.checked());
    }

    @Test
    void rejectsAWrongCoordinate() {
        float[] x = new TestData(1).gaussian(20, 1);
        float[] g = gradient(x);
        g[13] *= 1.01f;
        GradientChecker.Result r = GradientChecker.standard().check("sin", x, g, F, GradientChecker.noKinks());
        assertFalse(r.passed());
        assertEquals(1, r.failures());
        assertEquals(13, r.worst());
        AssertionError e = assertThrows(AssertionError.class, r::assertPassed);
        assertTrue(e.getMessage().contains("1 of 20 coordinates fail"), e.getMessage());
    }

    @Test
    void skipsKinksAndFailsWhenNothingIsChecked() {
        float[] x = {-1, 0.001f, 2, -0.004f};
        ToDoubleFunction<float[]> relu = v -> {
            double s = 0;
            for (float a : v) {
                s += Math.max(a, 0);
            }
            return s;
        };
        float[] g = {0, 1, 1, 0};
        GradientChecker checker = GradientChecker.standard();
        assertFalse(checker.check("relu", x, g, relu, GradientChecker.noKinks()).passed(), "the kink at 0 breaks the difference");
        GradientChecker.Result r = checker.assertGradient("relu", x, g, relu, GradientChecker.near(x, 0, 0.02));
        assertEquals(2, r.checked());
        assertEquals(2, r.skipped());
        assertFalse(checker.check("relu", x, g, relu, i -> true).passed(), "a check that checks nothing must not pass");
    }

    @Test
    void samplesLargeInputs() {
        float[] x = new TestData(2).gaussian(1000, 1);
        GradientChecker.Result r = new GradientChecker(1e-2, 1e-3, 50, 7).assertGradient("sin", x, gradient(x), F,
                GradientChecker.noKinks());
        assertEquals(50, r.checked());
    }
}
