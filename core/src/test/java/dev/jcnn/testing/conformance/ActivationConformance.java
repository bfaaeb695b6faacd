package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.cases.ActivationCases;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Activations beyond the op table's comparison with the oracle ({@link ActivationCases}):
 * finite differences of every kind and of PReLU, and the wording of bad-input messages.
 */
public abstract class ActivationConformance extends BackendConformance {

    static List<ActivationSpec> activations() {
        return ActivationCases.specs();
    }

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (ActivationSpec f : activations()) {
            for (Shape s : ActivationCases.SMALL_SHAPES) {
                all.add(Arguments.of(f, s));
            }
        }
        return all;
    }

    static List<Shape> preluShapes() {
        return ActivationCases.PRELU_SHAPES;
    }

    private static float[] input(ActivationSpec f, Shape s) {
        return new TestData((f + " " + s).hashCode()).gaussian(s.size(), 2);
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
        IntPredicate kinks = GradientChecker.noKinks();
        for (double kink : ActivationCases.kindOf(f).kinks()) {
            kinks = kinks.or(GradientChecker.near(x, kink, 2 * checker.step()));
        }
        checker.assertGradient("activation " + f + " on " + s, x, read(dx),
                projection(xt, () -> backend().activations().forward(f, xt, y), y, r), kinks);
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
