package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.cases.LossCases;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Losses beyond the op table's comparison with the oracle ({@link LossCases}): finite
 * differences of softmax cross-entropy, binary cross-entropy on logits and mean squared
 * error, zero loss at the minimum, and the wording of bad-input messages.
 */
public abstract class LossConformance extends BackendConformance {

    static List<Shape> logitShapes() {
        return LossCases.LOGIT_SHAPES;
    }

    static List<Shape> elementShapes() {
        return LossCases.ELEMENT_SHAPES;
    }

    /**
     * The losses are means, so their gradients shrink with the element count; the checks
     * multiply loss and gradient by the count so that the threshold applies at unit scale.
     */
    private static float[] times(float[] v, int factor) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * factor;
        }
        return out;
    }

    // ---- softmax cross-entropy ----------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("logitShapes")
    void softmaxCrossEntropyGradient(Shape s) {
        assumeFiniteDifferences();
        TestData data = new TestData(s.toString().hashCode());
        float[] logits = data.gaussian(s.size(), 3);
        int[] labels = data.labels(s.dim(0), s.dim(1));
        Tensor x = upload(s, logits);
        Tensor grad = zeros(s);
        backend().losses().softmaxCrossEntropy(x, labels, grad);
        int n = s.dim(0);
        gradientChecker().assertGradient("softmax cross-entropy (times the batch size) on " + s, logits,
                times(read(grad), n), probe -> {
                    backend().write(x, probe);
                    return n * (double) backend().losses().softmaxCrossEntropy(x, labels, null);
                }, GradientChecker.noKinks());
    }

    @Test
    void labelTooLarge() {
        Tensor x = zeros(Shape.of(4, 10));
        int[] labels = {0, 9, 2, 10};
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().losses().softmaxCrossEntropy(x, labels, null),
                "label 10 | 10", "sample 3 | index 3 | [3]", "0 to 9 | [0, 10) | 10 classes | 0..9 | < 10");
    }

    @Test
    void negativeLabel() {
        Tensor x = zeros(Shape.of(3, 5));
        int[] labels = {-1, 0, 1};
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().losses().softmaxCrossEntropy(x, labels, null),
                "-1", "sample 0 | index 0 | [0]", "0 to 4 | [0, 5) | 5 classes | 0..4 | < 5");
    }

    @Test
    void labelCountMismatch() {
        Tensor x = zeros(Shape.of(4, 3));
        int[] labels = {0, 1, 2};
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().losses().softmaxCrossEntropy(x, labels, null),
                "4", "3");
    }

    // ---- binary cross-entropy and mean squared error ---------------------------------------

    private static float[] targets(TestData data, int n) {
        float[] t = data.uniform(n, 0, 1);
        t[0] = 0;
        if (n > 1) {
            t[1] = 1;
        }
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("elementShapes")
    void sigmoidCrossEntropyGradient(Shape s) {
        assumeFiniteDifferences();
        TestData data = new TestData(s.toString().hashCode());
        float[] logits = data.gaussian(s.size(), 3);
        Tensor x = upload(s, logits);
        Tensor targets = upload(s, targets(data, s.size()));
        Tensor grad = zeros(s);
        backend().losses().sigmoidCrossEntropy(x, targets, grad);
        int n = s.size();
        gradientChecker().assertGradient("binary cross-entropy (times the element count) on " + s, logits,
                times(read(grad), n), probe -> {
                    backend().write(x, probe);
                    return n * (double) backend().losses().sigmoidCrossEntropy(x, targets, null);
                }, GradientChecker.noKinks());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("elementShapes")
    void meanSquaredErrorGradient(Shape s) {
        assumeFiniteDifferences();
        TestData data = new TestData(s.toString().hashCode());
        float[] p = data.gaussian(s.size(), 2);
        Tensor pt = upload(s, p);
        Tensor tt = upload(s, data.gaussian(s.size(), 2));
        Tensor grad = zeros(s);
        backend().losses().meanSquaredError(pt, tt, grad);
        int n = s.size();
        // quadratic: a central difference is exact at any step
        linearGradientChecker().assertGradient("mean squared error (times the element count) on " + s, p,
                times(read(grad), n), probe -> {
                    backend().write(pt, probe);
                    return n * (double) backend().losses().meanSquaredError(pt, tt, null);
                }, GradientChecker.noKinks());
    }

    @Test
    void identicalPredictionsGiveZero() {
        Shape s = Shape.of(2, 3);
        float[] v = new TestData(1).gaussian(6, 1);
        Tensor grad = output(s);
        assertEquals(0f, backend().losses().meanSquaredError(upload(s, v), upload(s, v), grad));
        assertClose("meanSquaredError: gradient at the minimum", grad, new double[6]);
    }

    @Test
    void targetsOfAnotherShape() {
        Tensor p = zeros(Shape.of(2, 3));
        Tensor t = zeros(Shape.of(3, 2));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().losses().meanSquaredError(p, t, null),
                "(3, 2)", "(2, 3)");
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().losses().sigmoidCrossEntropy(p, t, null),
                "(3, 2)", "(2, 3)");
    }
}
