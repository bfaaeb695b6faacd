package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcnn.backend.CrossEntropySpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.cases.LossCases;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Losses beyond the op table's comparison with the oracle ({@link LossCases}): finite
 * differences of softmax cross-entropy (with every option set), soft Dice, binary
 * cross-entropy on logits and mean squared error, zero loss at the minimum, and the wording
 * of bad-input messages.
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

    static List<Arguments> mapCases() {
        List<Arguments> all = new ArrayList<>();
        for (Shape s : LossCases.MAP_SHAPES) {
            LossCases.OPTIONS.forEach(o -> all.add(Arguments.of(s, o)));
        }
        return all;
    }

    /** The spec of a case's options, its weights drawn from data; ignored labels replace those drawn equal to C. */
    private static CrossEntropySpec spec(LossCases.Options o, int classes, TestData data, int[] labels) {
        CrossEntropySpec spec = CrossEntropySpec.PLAIN.withLabelSmoothing(o.smoothing());
        if (o.weighted()) {
            spec = spec.withClassWeights(data.uniform(classes, 0.2, 3));
        }
        if (o.ignore() != null) {
            spec = spec.withIgnoreIndex(o.ignore());
            for (int i = 0; i < labels.length; i++) {
                labels[i] = labels[i] == classes ? o.ignore() : labels[i];
            }
        }
        return spec;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("mapCases")
    void softmaxCrossEntropyWithOptionsGradient(Shape s, LossCases.Options o) {
        assumeFiniteDifferences();
        TestData data = new TestData((s + " " + o).hashCode());
        int classes = s.dim(1);
        float[] logits = data.gaussian(s.size(), 3);
        int[] labels = data.labels(s.size() / classes, o.ignore() == null ? classes : classes + 1);
        CrossEntropySpec spec = spec(o, classes, data, labels);
        Tensor x = upload(s, logits);
        Tensor grad = zeros(s);
        backend().losses().softmaxCrossEntropy(x, labels, spec, grad);
        int n = labels.length;
        gradientChecker().assertGradient("softmax cross-entropy " + spec + " (times the label count) on " + s, logits,
                times(read(grad), n), probe -> {
                    backend().write(x, probe);
                    return n * (double) backend().losses().softmaxCrossEntropy(x, labels, spec, null);
                }, GradientChecker.noKinks());
    }

    @Test
    void ignoredPositionsAddNothingAndGetNoGradient() {
        Shape s = Shape.of(1, 3, 1, 4);
        float[] logits = new TestData(5).gaussian(12, 2);
        Tensor x = upload(s, logits);
        Tensor grad = output(s);
        CrossEntropySpec spec = CrossEntropySpec.PLAIN.withLabelSmoothing(0.2f).withClassWeights(1f, 2f, 0.5f)
                .withIgnoreIndex(255);
        float withIgnored = backend().losses().softmaxCrossEntropy(x, new int[] {2, 255, 0, 255}, spec, grad);
        float[] g = read(grad);
        for (int c = 0; c < 3; c++) {
            assertEquals(0f, g[c * 4 + 1], "gradient of ignored position 1, class " + c);
            assertEquals(0f, g[c * 4 + 3], "gradient of ignored position 3, class " + c);
        }
        Shape kept = Shape.of(1, 3, 1, 2);
        float[] keptLogits = {logits[0], logits[2], logits[4], logits[6], logits[8], logits[10]};
        float without = backend().losses().softmaxCrossEntropy(upload(kept, keptLogits), new int[] {2, 0}, spec, null);
        assertEquals(without, withIgnored, 1e-6f * Math.abs(without), "the loss without the ignored positions");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mapShapes")
    void softmaxDiceGradient(Shape s) {
        assumeFiniteDifferences();
        for (double eps : LossCases.DICE_EPSILONS) {
            TestData data = new TestData(s.toString().hashCode() + 1);
            float[] logits = data.gaussian(s.size(), 3);
            int[] labels = data.labels(s.size() / s.dim(1), s.dim(1));
            Tensor x = upload(s, logits);
            Tensor grad = zeros(s);
            backend().losses().softmaxDice(x, labels, eps, grad);
            int n = labels.length;
            gradientChecker().assertGradient("soft Dice eps " + eps + " (times the label count) on " + s, logits,
                    times(read(grad), n), probe -> {
                        backend().write(x, probe);
                        return n * (double) backend().losses().softmaxDice(x, labels, eps, null);
                    }, GradientChecker.noKinks());
        }
    }

    static List<Shape> mapShapes() {
        return LossCases.MAP_SHAPES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("elementShapes")
    void sigmoidDiceGradient(Shape s) {
        assumeFiniteDifferences();
        for (double eps : LossCases.DICE_EPSILONS) {
            TestData data = new TestData(s.toString().hashCode() + 2);
            float[] logits = data.gaussian(s.size(), 3);
            Tensor x = upload(s, logits);
            Tensor targets = upload(s, targets(data, s.size()));
            Tensor grad = zeros(s);
            backend().losses().sigmoidDice(x, targets, eps, grad);
            int n = s.size();
            gradientChecker().assertGradient("binary soft Dice eps " + eps + " (times the element count) on " + s, logits,
                    times(read(grad), n), probe -> {
                        backend().write(x, probe);
                        return n * (double) backend().losses().sigmoidDice(x, targets, eps, null);
                    }, GradientChecker.noKinks());
        }
    }

    @Test
    void diceOfAPerfectPredictionIsNearZeroAndOfTheOppositeNearOne() {
        // logits of +-20: probabilities within 2e-9 of the one-hot targets or of their opposites
        Shape s = Shape.of(1, 2, 1, 2);
        int[] labels = {0, 1};
        assertEquals(0f, backend().losses().softmaxDice(upload(s, new float[] {20, -20, -20, 20}), labels, 1e-6, null), 1e-6f);
        assertEquals(1f, backend().losses().softmaxDice(upload(s, new float[] {-20, 20, 20, -20}), labels, 1e-6, null), 1e-6f);
        Tensor mask = upload(s, new float[] {1, 0, 0, 1});
        assertEquals(0f, backend().losses().sigmoidDice(upload(s, new float[] {20, -20, -20, 20}), mask, 1e-6, null), 1e-6f);
        assertEquals(1f, backend().losses().sigmoidDice(upload(s, new float[] {-20, 20, 20, -20}), mask, 1e-6, null), 1e-6f);
    }

    @Test
    void labelOutOfRangeAtAPosition() {
        Tensor x = zeros(Shape.of(2, 3, 2, 2));
        int[] labels = {0, 1, 2, 0, 1, 3, 0, 0};
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().losses().softmaxCrossEntropy(x, labels, CrossEntropySpec.PLAIN, null),
                "softmaxCrossEntropy", "label 3", "index 5", "sample 1", "position 1", "0 to 2");
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().losses().softmaxDice(x, labels, 1, null),
                "softmaxDice", "label 3", "index 5", "sample 1", "position 1", "0 to 2");
        int[] ignored = {0, 1, 2, 0, 1, 255, 0, 0};
        backend().losses().softmaxCrossEntropy(x, ignored, CrossEntropySpec.PLAIN.withIgnoreIndex(255), null);
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().losses().softmaxCrossEntropy(x, labels, CrossEntropySpec.PLAIN.withIgnoreIndex(255), null),
                "label 3", "or the ignored label 255");
    }

    @Test
    void oneLabelPerSampleAndPosition() {
        Tensor x = zeros(Shape.of(2, 3, 2, 2));
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().losses().softmaxCrossEntropy(x, new int[2], CrossEntropySpec.PLAIN, null),
                "2 labels", "(2, 3, 2, 2)", "expected 8", "position");
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().losses().softmaxDice(x, null, 1, null),
                "no labels", "expected 8");
    }

    @Test
    void classWeightsOnePerClassWithAPositiveSum() {
        Tensor x = zeros(Shape.of(2, 3));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().losses().softmaxCrossEntropy(x,
                new int[] {0, 1}, CrossEntropySpec.PLAIN.withClassWeights(1, 2), null), "2 class weights", "3 classes",
                "(2, 3)");
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().losses().softmaxCrossEntropy(x,
                new int[] {0, 1}, CrossEntropySpec.PLAIN.withClassWeights(0, 0, 1), null), "sum to 0.0", "2 labels",
                "positive");
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().losses().softmaxCrossEntropy(x,
                new int[] {7, 7}, CrossEntropySpec.PLAIN.withIgnoreIndex(7), null), "sum to 0.0", "2 ignored");
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> CrossEntropySpec.PLAIN.withClassWeights(1, Float.NaN), "class weight NaN", "class 1");
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> CrossEntropySpec.PLAIN.withLabelSmoothing(Float.NaN), "label smoothing NaN", "[0, 1]");
    }

    @Test
    void diceEpsilonAndTargetsAreChecked() {
        Shape s = Shape.of(1, 2, 1, 2);
        Tensor x = zeros(s);
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().losses().softmaxDice(x, new int[] {0, 1}, Double.NaN, null), "softmaxDice", "epsilon NaN");
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().losses().sigmoidDice(x, upload(s, new float[] {0, 1, 0, 1}), 0, null), "sigmoidDice",
                "epsilon 0.0");
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().losses().sigmoidDice(x, upload(s, new float[] {0, 1, Float.NaN, 1}), 1, null),
                "target NaN", "index 2", "[0, 1]");
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().losses().sigmoidDice(x, zeros(Shape.of(1, 1, 2, 2)), 1, null), "(1, 1, 2, 2)", "(1, 2, 1, 2)");
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
