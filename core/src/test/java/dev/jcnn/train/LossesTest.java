package dev.jcnn.train;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.CrossEntropySpec;
import dev.jcnn.backend.LossOps;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.ForwardingBackend;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.oracle.OracleBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The losses with smoothing, class weights, ignored labels and Dice are the backend's ops
 * (checked against PyTorch by the golden cases of the op table and, through these losses, by
 * cpu-reference's LossGoldenTest): here, that each loss hands the op what it was given, and
 * the checks that are the loss's own (options, the class map, the metric).
 */
class LossesTest {

    /** What the losses asked of the backend: one line per op call, with its options. */
    private final List<String> calls = new ArrayList<>();

    private final Backend oracle = new OracleBackend();

    /** The oracle, recording each loss op it is asked for. */
    private final Backend backend = new ForwardingBackend(oracle) {
        private final LossOps<?> losses = new Losses(this) {
            @Override
            protected float computeSoftmaxCrossEntropy(Tensor logits, int[] labels, CrossEntropySpec spec,
                    double weightSum, Tensor dlogits) {
                calls.add("softmaxCrossEntropy " + spec + " " + Arrays.toString(labels));
                return super.computeSoftmaxCrossEntropy(logits, labels, spec, weightSum, dlogits);
            }

            @Override
            protected float computeSoftmaxDice(Tensor logits, int[] labels, double epsilon, Tensor dlogits) {
                calls.add("softmaxDice " + epsilon + " " + Arrays.toString(labels));
                return super.computeSoftmaxDice(logits, labels, epsilon, dlogits);
            }

            @Override
            protected float computeSigmoidDice(Tensor logits, Tensor targets, double epsilon, Tensor dlogits) {
                calls.add("sigmoidDice " + epsilon);
                return super.computeSigmoidDice(logits, targets, epsilon, dlogits);
            }
        };

        @Override
        public LossOps<?> losses() {
            return losses;
        }
    };

    @AfterEach
    void close() {
        backend.close();
    }

    private float[] gaussian(Shape s, int seed) {
        return new TestData(seed).gaussian(s.size(), 2);
    }

    @Test
    void sparseCrossEntropyWithOptionsIsTheBackendsOp() {
        Shape s = Shape.of(3, 4);
        int[] labels = {3, 0, 2};
        SparseCategoricalCrossEntropy loss =
                new SparseCategoricalCrossEntropy().withLabelSmoothing(0.1f).withClassWeights(1, 2, 0.5f, 3);
        CrossEntropySpec spec = CrossEntropySpec.PLAIN.withLabelSmoothing(0.1f).withClassWeights(1, 2, 0.5f, 3);
        try (Tensor logits = backend.upload(s, gaussian(s, 1)); Tensor grad = backend.allocate(s);
                Tensor expectedGrad = oracle.allocate(s); Tensor direct = oracle.upload(s, gaussian(s, 1))) {
            float value = loss.compute(backend, logits, labels, grad);
            assertEquals(List.of("softmaxCrossEntropy " + spec + " [3, 0, 2]"), calls);
            assertEquals(oracle.losses().softmaxCrossEntropy(direct, labels, spec, expectedGrad), value);
            assertEquals(Arrays.toString(expectedGrad.toArray()), Arrays.toString(grad.toArray()));
            calls.clear();
            new SparseCategoricalCrossEntropy().compute(backend, logits, labels, null);
            assertEquals(List.of("softmaxCrossEntropy plain [3, 0, 2]"), calls);
        }
    }

    @Test
    void pixelwiseCrossEntropyHandsTheClassMapToTheOp() {
        Shape s = Shape.of(2, 3, 1, 2);
        PixelwiseCrossEntropy loss = new PixelwiseCrossEntropy().withClassWeights(1, 4, 0.5f).withIgnoreIndex(255);
        CrossEntropySpec spec = CrossEntropySpec.PLAIN.withClassWeights(1, 4, 0.5f).withIgnoreIndex(255);
        try (Tensor logits = backend.upload(s, gaussian(s, 2)); Tensor grad = backend.allocate(s);
                Tensor targets = backend.upload(Shape.of(2, 1, 1, 2), new float[] {2, 255, 0, 1});
                Tensor direct = oracle.upload(s, gaussian(s, 2))) {
            float value = loss.compute(backend, logits, targets, grad);
            assertEquals(List.of("softmaxCrossEntropy " + spec + " [2, 255, 0, 1]"), calls);
            assertEquals(oracle.losses().softmaxCrossEntropy(direct, new int[] {2, 255, 0, 1}, spec, null), value);
        }
    }

    @Test
    void diceLossesAreTheBackendsOps() {
        Shape s = Shape.of(1, 3, 2, 2);
        try (Tensor logits = backend.upload(s, gaussian(s, 3)); Tensor grad = backend.allocate(s);
                Tensor map = backend.upload(Shape.of(1, 1, 2, 2), new float[] {0, 2, 2, 1});
                Tensor masks = backend.upload(s, new TestData(4).uniform(s.size(), 0, 1));
                Tensor direct = oracle.upload(s, gaussian(s, 3))) {
            float multi = DiceLoss.multiClass(0.5).compute(backend, logits, map, grad);
            float binary = DiceLoss.binary(1e-6).compute(backend, logits, masks, null);
            assertEquals(List.of("softmaxDice 0.5 [0, 2, 2, 1]", "sigmoidDice 1.0E-6"), calls);
            assertEquals(oracle.losses().softmaxDice(direct, new int[] {0, 2, 2, 1}, 0.5, null), multi);
            try (Tensor oracleMasks = oracle.upload(s, masks.toArray())) {
                assertEquals(oracle.losses().sigmoidDice(direct, oracleMasks, 1e-6, null), binary);
            }
        }
    }

    @Test
    void badOptionsAreRefusedWithTheValue() {
        SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy();
        assertThrowsMentioning(IllegalArgumentException.class, () -> loss.withLabelSmoothing(1.5f), "1.5", "[0, 1]");
        assertThrowsMentioning(IllegalArgumentException.class, () -> loss.withClassWeights(1f, -2f), "-2.0", "class 1");
        assertThrowsMentioning(IllegalArgumentException.class, () -> new PixelwiseCrossEntropy().withClassWeights(),
                "no class weights");
        try (Tensor logits = backend.allocate(Shape.of(2, 3))) {
            assertThrowsMentioning(IllegalArgumentException.class,
                    () -> loss.withClassWeights(1f, 2f).compute(backend, logits, new int[] {0, 1}, null),
                    "2 class weights", "3 classes");
        }
        assertThrowsMentioning(IllegalArgumentException.class, () -> DiceLoss.multiClass(0), "epsilon 0.0");
        assertThrowsMentioning(IllegalArgumentException.class, () -> DiceLoss.binary(Double.NaN), "epsilon NaN");
        assertTrue(calls.isEmpty(), calls.toString());
    }

    @Test
    void pixelwiseTargetsMustBeClassIndices() {
        PixelwiseCrossEntropy loss = new PixelwiseCrossEntropy();
        assertEquals(Shape.of(1, 4, 5), loss.targetShape(Shape.of(3, 4, 5)));
        try (Tensor logits = backend.allocate(Shape.of(1, 3, 1, 2));
                Tensor outOfRange = backend.upload(Shape.of(1, 1, 1, 2), new float[] {1f, 3f});
                Tensor fraction = backend.upload(Shape.of(1, 1, 1, 2), new float[] {0.5f, 1f});
                Tensor ignored = backend.upload(Shape.of(1, 1, 1, 2), new float[] {255f, 1f});
                Tensor tooFew = backend.upload(Shape.of(1, 1, 1, 1), new float[] {1f})) {
            assertThrowsMentioning(IllegalArgumentException.class, () -> loss.compute(backend, logits, outOfRange, null),
                    "target 3.0 at index 1", "[0, 3)");
            assertThrowsMentioning(IllegalArgumentException.class, () -> loss.compute(backend, logits, fraction, null),
                    "target 0.5 at index 0");
            assertThrowsMentioning(IllegalArgumentException.class, () -> loss.compute(backend, logits, ignored, null),
                    "target 255.0");
            assertThrowsMentioning(IllegalArgumentException.class,
                    () -> loss.withIgnoreIndex(254).compute(backend, logits, ignored, null), "target 255.0",
                    "nor the ignored label 254");
            loss.withIgnoreIndex(255).compute(backend, logits, ignored, null);
            assertThrowsMentioning(IllegalArgumentException.class, () -> loss.compute(backend, logits, tooFew, null),
                    "(1, 1, 1, 1)", "hold 1 values", "(1, 3, 1, 2)", "2");
            assertThrowsMentioning(IllegalArgumentException.class,
                    () -> DiceLoss.multiClass(1).compute(backend, logits, outOfRange, null), "dice", "target 3.0");
        }
    }

    @Test
    void pixelAccuracyCountsPositionsWhoseArgmaxIsTheTarget() {
        // one sample, 2 classes, 3 positions: argmax per position is 1, 0, 1
        float[] predictions = {0.1f, 0.9f, 0.2f, 0.9f, 0.1f, 0.8f};
        Metric.Score s = new PixelwiseCrossEntropy().metric()
                .score(predictions, Shape.of(1, 2, 1, 3), null, new float[] {0f, 0f, 1f});
        assertEquals(2, s.hits());
        assertEquals(3, s.count());
        Metric.Score ignoring = new PixelwiseCrossEntropy().withIgnoreIndex(255).metric()
                .score(predictions, Shape.of(1, 2, 1, 3), null, new float[] {0f, 255f, 1f});
        assertEquals(1, ignoring.hits(), "position 0 is a miss, 2 a hit");
        assertEquals(2, ignoring.count(), "the ignored position is not counted");
    }

    @Test
    void sparseCrossEntropyIgnoresTheLabelItIsTold() {
        Shape s = Shape.of(3, 4);
        try (Tensor logits = backend.upload(s, gaussian(s, 5)); Tensor grad = backend.allocate(s)) {
            new SparseCategoricalCrossEntropy().withIgnoreIndex(-1).compute(backend, logits, new int[] {1, -1, 3}, grad);
            assertEquals(List.of("softmaxCrossEntropy ignore -1 [1, -1, 3]"), calls);
            float[] g = grad.toArray();
            assertEquals("[0.0, 0.0, 0.0, 0.0]", Arrays.toString(Arrays.copyOfRange(g, 4, 8)), "the ignored sample's gradient");
        }
    }
}
