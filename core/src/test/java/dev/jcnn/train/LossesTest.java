package dev.jcnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.oracle.OracleBackend;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Losses against PyTorch's values and gradients (losses.json, written by
 * scripts/make_golden_losses.py with PyTorch 1.13), and their gradients against finite differences.
 */
class LossesTest {

    private final Backend backend = new OracleBackend();

    private static List<JsonNode> cases(String kind) throws Exception {
        try (InputStream in = LossesTest.class.getResourceAsStream("losses.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<JsonNode> all = new ArrayList<>();
            root.get("cases").forEach(c -> {
                if (c.get("kind").asText().equals(kind)) {
                    all.add(c);
                }
            });
            return all;
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static Shape shape(JsonNode c) {
        return Shape.of(ints(c.get("shape")));
    }

    private static SparseCategoricalCrossEntropy sparse(JsonNode c) {
        SparseCategoricalCrossEntropy loss =
                new SparseCategoricalCrossEntropy().withLabelSmoothing((float) c.get("smoothing").asDouble());
        return c.get("weights").isNull() ? loss : loss.withClassWeights(floats(c.get("weights")));
    }

    /** Loss value and gradient both equal PyTorch's, within float rounding. */
    private static void assertMatches(JsonNode c, float loss, float[] grad) {
        String what = c.get("kind").asText() + " " + c.get("shape") + " weights " + c.get("weights") + " smoothing "
                + c.get("smoothing");
        assertEquals(c.get("loss").asDouble(), loss, 2e-6 * Math.max(1, Math.abs(loss)), what + ": loss");
        float[] expected = floats(c.get("grad"));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], grad[i], 2e-6, what + ": gradient at " + i);
        }
    }

    @Test
    void sparseCrossEntropyWithSmoothingAndWeightsMatchesPyTorch() throws Exception {
        List<JsonNode> cases = cases("sparse");
        assertEquals(5, cases.size());
        for (JsonNode c : cases) {
            try (Tensor logits = backend.upload(shape(c), floats(c.get("logits")));
                    Tensor grad = backend.allocate(shape(c))) {
                float loss = sparse(c).compute(backend, logits, ints(c.get("targets")), grad);
                assertMatches(c, loss, grad.toArray());
            }
        }
    }

    @Test
    void sparseCrossEntropyGradientMatchesFiniteDifferences() throws Exception {
        JsonNode c = cases("sparse").get(3);
        Shape shape = shape(c);
        int[] labels = ints(c.get("targets"));
        SparseCategoricalCrossEntropy loss = sparse(c);
        float[] x = floats(c.get("logits"));
        float[] analytic;
        try (Tensor logits = backend.upload(shape, x);
                Tensor grad = backend.allocate(shape)) {
            loss.compute(backend, logits, labels, grad);
            analytic = grad.toArray();
        }
        GradientChecker.standard().assertGradient("weighted smoothed cross-entropy", x, analytic, v -> {
            try (Tensor t = backend.upload(shape, v)) {
                return loss.compute(backend, t, labels, null);
            }
        }, GradientChecker.noKinks());
    }

    @Test
    void plainSparseCrossEntropyStaysTheBackendsOp() throws Exception {
        JsonNode c = cases("sparse").get(0);
        try (Tensor logits = backend.upload(shape(c), floats(c.get("logits")));
                Tensor grad = backend.allocate(shape(c))) {
            float plain = new SparseCategoricalCrossEntropy().compute(backend, logits, ints(c.get("targets")), grad);
            float viaOptions = new SparseCategoricalCrossEntropy().withClassWeights(1, 1, 1, 1, 1)
                    .compute(backend, logits, ints(c.get("targets")), null);
            assertEquals(c.get("loss").asDouble(), plain, 2e-6);
            assertEquals(plain, viaOptions, 2e-6, "weights of 1 change nothing");
        }
    }

    @Test
    void badOptionsAreRefusedWithTheValue() {
        SparseCategoricalCrossEntropy loss = new SparseCategoricalCrossEntropy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loss.withLabelSmoothing(1.5f));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> loss.withClassWeights(1f, -2f));
        assertTrue(e.getMessage().contains("-2.0") && e.getMessage().contains("class 1"), e.getMessage());
        try (Tensor logits = backend.allocate(Shape.of(2, 3))) {
            e = assertThrows(IllegalArgumentException.class,
                    () -> loss.withClassWeights(1f, 2f).compute(backend, logits, new int[] {0, 1}, null));
            assertTrue(e.getMessage().contains("2 class weights") && e.getMessage().contains("3 classes"),
                    e.getMessage());
        }
    }

    private static PixelwiseCrossEntropy pixel(JsonNode c) {
        PixelwiseCrossEntropy loss = new PixelwiseCrossEntropy().withLabelSmoothing((float) c.get("smoothing").asDouble());
        return c.get("weights").isNull() ? loss : loss.withClassWeights(floats(c.get("weights")));
    }

    /** The (N, 1, H, W) class map of a case's (N, H, W) targets. */
    private static Shape classMapShape(Shape logits) {
        int[] dims = logits.dims().clone();
        dims[1] = 1;
        return Shape.of(dims);
    }

    private static float[] asFloats(int[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    @Test
    void pixelwiseCrossEntropyMatchesPyTorchOn4dLogits() throws Exception {
        List<JsonNode> cases = cases("pixel");
        assertEquals(4, cases.size());
        for (JsonNode c : cases) {
            Shape shape = shape(c);
            try (Tensor logits = backend.upload(shape, floats(c.get("logits")));
                    Tensor targets = backend.upload(classMapShape(shape), asFloats(ints(c.get("targets"))));
                    Tensor grad = backend.allocate(shape)) {
                float loss = pixel(c).compute(backend, logits, targets, grad);
                assertMatches(c, loss, grad.toArray());
            }
        }
    }

    @Test
    void pixelwiseCrossEntropyGradientMatchesFiniteDifferences() throws Exception {
        JsonNode c = cases("pixel").get(3);
        Shape shape = shape(c);
        PixelwiseCrossEntropy loss = pixel(c);
        float[] x = floats(c.get("logits"));
        float[] analytic;
        try (Tensor targets = backend.upload(classMapShape(shape), asFloats(ints(c.get("targets"))))) {
            try (Tensor logits = backend.upload(shape, x);
                    Tensor grad = backend.allocate(shape)) {
                loss.compute(backend, logits, targets, grad);
                analytic = grad.toArray();
            }
            GradientChecker.standard().assertGradient("weighted smoothed pixelwise cross-entropy", x, analytic, v -> {
                try (Tensor t = backend.upload(shape, v)) {
                    return loss.compute(backend, t, targets, null);
                }
            }, GradientChecker.noKinks());
        }
    }

    @Test
    void pixelwiseTargetsMustBeClassIndices() {
        PixelwiseCrossEntropy loss = new PixelwiseCrossEntropy();
        assertEquals(Shape.of(1, 4, 5), loss.targetShape(Shape.of(3, 4, 5)));
        try (Tensor logits = backend.allocate(Shape.of(1, 3, 1, 2));
                Tensor targets = backend.upload(Shape.of(1, 1, 1, 2), new float[] {1f, 3f})) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> loss.compute(backend, logits, targets, null));
            assertTrue(e.getMessage().contains("target 3.0 at index 1"), e.getMessage());
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
    }

    /** A dice case's loss, its targets as a tensor: a class map for "dice", the masks for "binary_dice". */
    private static DiceLoss dice(JsonNode c) {
        double eps = c.get("eps").asDouble();
        return c.get("kind").asText().equals("dice") ? DiceLoss.multiClass(eps) : DiceLoss.binary(eps);
    }

    private Tensor diceTargets(JsonNode c) {
        Shape shape = shape(c);
        return c.get("kind").asText().equals("dice")
                ? backend.upload(classMapShape(shape), asFloats(ints(c.get("targets"))))
                : backend.upload(shape, floats(c.get("targets")));
    }

    @Test
    void diceLossesMatchPyTorch() throws Exception {
        List<JsonNode> all = new ArrayList<>(cases("dice"));
        all.addAll(cases("binary_dice"));
        assertEquals(4, all.size());
        for (JsonNode c : all) {
            Shape shape = shape(c);
            try (Tensor logits = backend.upload(shape, floats(c.get("logits")));
                    Tensor targets = diceTargets(c);
                    Tensor grad = backend.allocate(shape)) {
                float loss = dice(c).compute(backend, logits, targets, grad);
                assertMatches(c, loss, grad.toArray());
            }
        }
    }

    @Test
    void diceGradientsMatchFiniteDifferences() throws Exception {
        for (JsonNode c : List.of(cases("dice").get(0), cases("binary_dice").get(0))) {
            Shape shape = shape(c);
            DiceLoss loss = dice(c);
            float[] x = floats(c.get("logits"));
            float[] analytic;
            try (Tensor targets = diceTargets(c)) {
                try (Tensor logits = backend.upload(shape, x);
                        Tensor grad = backend.allocate(shape)) {
                    loss.compute(backend, logits, targets, grad);
                    analytic = grad.toArray();
                }
                GradientChecker.standard().assertGradient(loss.name(), x, analytic, v -> {
                    try (Tensor t = backend.upload(shape, v)) {
                        return loss.compute(backend, t, targets, null);
                    }
                }, GradientChecker.noKinks());
            }
        }
    }

    @Test
    void diceOfAPerfectPredictionIsNearZeroAndOfTheOppositeNearOne() {
        // logits of +-20: probabilities within 2e-9 of the targets 1, 0 or their opposites
        float[] mask = {1f, 0f, 0f, 1f};
        float[] right = {20f, -20f, -20f, 20f};
        float[] wrong = {-20f, 20f, 20f, -20f};
        DiceLoss loss = DiceLoss.binary(1e-6);
        try (Tensor targets = backend.upload(Shape.of(1, 1, 2, 2), mask);
                Tensor good = backend.upload(Shape.of(1, 1, 2, 2), right);
                Tensor bad = backend.upload(Shape.of(1, 1, 2, 2), wrong)) {
            assertEquals(0, loss.compute(backend, good, targets, null), 1e-6);
            assertEquals(1, loss.compute(backend, bad, targets, null), 1e-6);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DiceLoss.multiClass(0));
        assertTrue(e.getMessage().contains("epsilon 0.0"), e.getMessage());
    }
}
