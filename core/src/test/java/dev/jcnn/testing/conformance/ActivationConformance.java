package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.ActivationKind;
import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.oracle.ActivationOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every activation kind, forward and backward, and PReLU with its per-channel alpha, against {@link ActivationOracle}. */
public abstract class ActivationConformance extends BackendConformance {

    static List<ActivationSpec> activations() {
        return List.of(ActivationSpec.LINEAR, ActivationSpec.RELU, ActivationSpec.leakyRelu(0.01f),
                ActivationSpec.leakyRelu(0.2f), ActivationSpec.elu(1.0f), ActivationSpec.elu(0.5f),
                ActivationSpec.TANH, ActivationSpec.SIGMOID);
    }

    static List<Shape> shapes() {
        return List.of(Shape.of(2, 3, 4, 5), Shape.of(3, 10), Shape.of(1, 1, 1, 7));
    }

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (ActivationSpec f : activations()) {
            for (Shape s : shapes()) {
                all.add(Arguments.of(f, s));
            }
        }
        return all;
    }

    static List<Shape> preluShapes() {
        return List.of(Shape.of(2, 3, 4, 5), Shape.of(4, 6), Shape.of(1, 5, 3, 2));
    }

    /**
     * Whether f is not smooth at 0: a jump in its derivative (ReLU, Leaky ReLU, ELU with
     * alpha ≠ 1) or in its second derivative (ELU with alpha = 1), where a central
     * difference loses its second-order accuracy.
     */
    private static boolean kinkAtZero(ActivationSpec f) {
        return f.kind() == ActivationKind.RELU || f.kind() == ActivationKind.LEAKY_RELU || f.kind() == ActivationKind.ELU;
    }

    private static float[] input(ActivationSpec f, Shape s) {
        return new TestData((f + " " + s).hashCode()).gaussian(s.size(), 2);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void forward(ActivationSpec f, Shape s) {
        float[] x = input(f, s);
        Tensor y = output(s);
        backend().activations().forward(f, upload(s, x), y);
        assertClose("activationForward", "y of " + f + " on " + s, y, ActivationOracle.forward(f, x));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void forwardInPlace(ActivationSpec f, Shape s) {
        float[] x = input(f, s);
        Tensor t = upload(s, x);
        backend().activations().forward(f, t, t);
        assertClose("activationForward", "y written over x, " + f + " on " + s, t, ActivationOracle.forward(f, x));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void backward(ActivationSpec f, Shape s) {
        float[] x = input(f, s);
        float[] g = new TestData(s.toString().hashCode()).gaussian(s.size(), 1);
        Tensor xt = upload(s, x);
        Tensor y = zeros(s);
        backend().activations().forward(f, xt, y);
        Tensor dx = output(s);
        backend().activations().backward(f, xt, y, upload(s, g), dx);
        assertClose("activationBackward", "dx of " + f + " on " + s, dx, ActivationOracle.backward(f, x, g));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void gradient(ActivationSpec f, Shape s) {
        assumeFiniteDifferences();
        float[] x = input(f, s);
        float[] r = new TestData(s.toString().hashCode()).gaussian(s.size(), 1);
        Tensor xt = upload(s, x);
        Tensor y = zeros(s);
        backend().activations().forward(f, xt, y);
        Tensor dx = zeros(s);
        backend().activations().backward(f, xt, y, upload(s, r), dx);
        GradientChecker checker = gradientChecker();
        IntPredicate kinks = kinkAtZero(f) ? GradientChecker.near(x, 0, 2 * checker.step()) : GradientChecker.noKinks();
        checker.assertGradient("activation " + f + " on " + s, x, read(dx),
                projection(xt, () -> backend().activations().forward(f, xt, y), y, r), kinks);
    }

    /** Saturating inputs stay finite and exact: no overflow in exp, no 0·∞. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void extremeInputs(ActivationSpec f) {
        float[] x = {-100, -30, -1e-3f, 0, 1e-3f, 30, 100, -1e30f, 1e30f};
        Shape s = Shape.of(1, x.length);
        float[] g = {1, -1, 1, -1, 1, -1, 1, -1, 1};
        Tensor xt = upload(s, x);
        Tensor y = zeros(s);
        Tensor dx = zeros(s);
        backend().activations().forward(f, xt, y);
        backend().activations().backward(f, xt, y, upload(s, g), dx);
        for (float v : read(y)) {
            assertTrue(Float.isFinite(v), f + " forward gave " + v);
        }
        for (float v : read(dx)) {
            assertTrue(Float.isFinite(v), f + " backward gave " + v);
        }
        assertClose("activationForward", "y of " + f + " at extreme inputs", y, ActivationOracle.forward(f, x));
        assertClose("activationBackward", "dx of " + f + " at extreme inputs", dx, ActivationOracle.backward(f, x, g));
    }

    @Test
    void wrongOutputShape() {
        Tensor x = zeros(Shape.of(2, 3));
        Tensor y = zeros(Shape.of(3, 2));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().activations().forward(ActivationSpec.RELU, x, y),
                "(3, 2)", "(2, 3)");
    }

    // ---- PReLU --------------------------------------------------------------------------

    private record PreluInputs(float[] x, float[] alpha, float[] dy) {
        static PreluInputs of(Shape s) {
            TestData data = new TestData(s.toString().hashCode());
            float[] alpha = data.uniform(s.dim(1), -0.2, 0.5);
            return new PreluInputs(data.gaussian(s.size(), 2), alpha, data.gaussian(s.size(), 1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("preluShapes")
    void preluForward(Shape s) {
        PreluInputs in = PreluInputs.of(s);
        Tensor y = output(s);
        backend().activations().preluForward(upload(s, in.x), upload(Shape.of(s.dim(1)), in.alpha), y);
        assertClose("preluForward", "y on " + s, y, ActivationOracle.preluForward(in.x, s, in.alpha));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("preluShapes")
    void preluBackward(Shape s) {
        PreluInputs in = PreluInputs.of(s);
        Tensor x = upload(s, in.x);
        Tensor alpha = upload(Shape.of(s.dim(1)), in.alpha);
        Tensor dy = upload(s, in.dy);
        Tensor dx = output(s);
        Tensor dalpha = output(alpha.shape());
        backend().activations().preluBackward(x, alpha, dy, dx, dalpha);
        assertClose("preluBackward", "dx on " + s, dx, ActivationOracle.preluBackwardData(in.x, s, in.alpha, in.dy));
        double[] expected = ActivationOracle.preluBackwardAlpha(in.x, s, in.dy);
        assertClose("preluBackward", "dalpha on " + s, dalpha, expected);
        backend().activations().preluBackward(x, alpha, dy, dx, dalpha);
        assertClose("preluBackward", "dalpha after a second call (must overwrite) on " + s, dalpha, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("preluShapes")
    void preluGradients(Shape s) {
        assumeFiniteDifferences();
        PreluInputs in = PreluInputs.of(s);
        Tensor x = upload(s, in.x);
        Tensor alpha = upload(Shape.of(s.dim(1)), in.alpha);
        Tensor y = zeros(s);
        Tensor dx = zeros(s);
        Tensor dalpha = zeros(alpha.shape());
        backend().activations().preluBackward(x, alpha, upload(s, in.dy), dx, dalpha);
        Runnable forward = () -> backend().activations().preluForward(x, alpha, y);
        GradientChecker checker = gradientChecker();
        checker.assertGradient("prelu dx on " + s, in.x, read(dx), projection(x, forward, y, in.dy),
                GradientChecker.near(in.x, 0, 2 * checker.step()));
        backend().write(x, in.x);
        // y is linear in alpha
        linearGradientChecker().assertGradient("prelu dalpha on " + s, in.alpha, read(dalpha),
                projection(alpha, forward, y, in.dy), GradientChecker.noKinks());
    }

    @Test
    void preluWrongAlphaLength() {
        Tensor x = zeros(Shape.of(2, 3, 4, 4));
        Tensor alpha = zeros(Shape.of(4));
        Tensor y = zeros(Shape.of(2, 3, 4, 4));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().activations().preluForward(x, alpha, y),
                "alpha", "4", "3");
    }
}
