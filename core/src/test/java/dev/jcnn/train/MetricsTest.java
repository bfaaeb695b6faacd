package dev.jcnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;

/** Top-k accuracy, the confusion matrix and the per-class metrics on hand-counted batches. */
class MetricsTest {

    /** Four samples of three classes: scores, labels, and what each counts as. */
    private static final float[] SCORES = {
        0.7f, 0.2f, 0.1f, // label 0: predicted 0, top-1 hit
        0.5f, 0.3f, 0.2f, // label 1: predicted 0, second: top-2 hit
        0.1f, 0.3f, 0.6f, // label 0: predicted 2, third: miss at top-2
        0.2f, 0.2f, 0.6f, // label 2: predicted 2
    };
    private static final int[] LABELS = {0, 1, 0, 2};
    private static final Shape SHAPE = Shape.of(4, 3);

    @Test
    void topKCountsTheLabelAmongTheKBest() {
        assertEquals(0.5, new TopKAccuracy(1).score(SCORES, SHAPE, LABELS, null).value(), 0);
        assertEquals(0.75, new TopKAccuracy(2).score(SCORES, SHAPE, LABELS, null).value(), 0);
        assertEquals(1.0, new TopKAccuracy(3).score(SCORES, SHAPE, LABELS, null).value(), 0);
        assertEquals("top_5_accuracy", new TopKAccuracy(5).name());
        // a tie with the label's score counts for the label
        assertEquals(1.0, new TopKAccuracy(1).score(new float[] {0.5f, 0.5f}, Shape.of(1, 2), new int[] {1}, null)
                .value(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TopKAccuracy(1).score(SCORES, SHAPE, new int[] {0, 1, 3, 0}, null));
        assertTrue(e.getMessage().contains("label 3 of sample 2"), e.getMessage());
    }

    @Test
    void confusionMatrixGivesPrecisionRecallAndIou() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(SCORES, SHAPE, LABELS, null);
        // truth 0 → predicted 0, 2; truth 1 → 0; truth 2 → 2
        assertEquals(1, m.count(0, 0));
        assertEquals(1, m.count(0, 2));
        assertEquals(1, m.count(1, 0));
        assertEquals(1, m.count(2, 2));
        assertEquals(0.5, m.precision(0), 1e-15); // predicted 0 twice, once right
        assertEquals(0.5, m.recall(0), 1e-15); // class 0 twice, once found
        assertTrue(Double.isNaN(m.precision(1)), "nothing predicted as 1");
        assertEquals(0.0, m.recall(1), 0);
        assertEquals(0.5, m.precision(2), 1e-15);
        assertEquals(1.0, m.recall(2), 0);
        // IoU: class 0 1/(2+2−1), class 1 0/(1+0−0), class 2 1/(1+2−1)
        assertEquals((1 / 3.0 + 0 + 0.5) / 3, m.meanIou(), 1e-15);
    }

    @Test
    void perPixelClassesFromOneHotOrIndexTargets() {
        // one sample, 2 classes, 2×2 pixels, channel-major: class 1 wins at pixels 1 and 3
        float[] scores = {0.9f, 0.2f, 0.6f, 0.1f, 0.1f, 0.8f, 0.4f, 0.9f};
        Shape s = Shape.of(1, 2, 2, 2);
        float[] index = {0, 1, 1, 0};
        float[] oneHot = {1, 0, 0, 1, 0, 1, 1, 0};
        ConfusionMatrix a = new ConfusionMatrix(2);
        a.add(scores, s, null, index);
        ConfusionMatrix b = new ConfusionMatrix(2);
        b.add(scores, s, null, oneHot);
        for (int t = 0; t < 2; t++) {
            for (int p = 0; p < 2; p++) {
                assertEquals(a.count(t, p), b.count(t, p), "truth " + t + " predicted " + p);
            }
        }
        // pixels: (t0,p0) (t1,p1) (t1,p0) (t0,p1)
        assertEquals(1, a.count(0, 0));
        assertEquals(1, a.count(1, 1));
        assertEquals(1 / 3.0, a.iou(0), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.add(scores, s, null, new float[] {0, 1, 0.5f, 0}));
        assertTrue(e.getMessage().contains("target 0.5 of sample 0 at position 2 is not a class index"), e.getMessage());
    }

    @Test
    void binaryMasksAreTwoClasses() {
        float[] p = {0.9f, 0.2f, 0.7f, 0.1f};
        float[] t = {1, 0, 0, 0};
        ConfusionMatrix m = new ConfusionMatrix(2);
        m.add(p, Shape.of(1, 1, 2, 2), null, t);
        assertEquals(0.5, m.iou(1), 1e-15, "the foreground IoU, as Iou.of gives it");
        assertEquals(Iou.of(p, t), m.iou(1), 1e-15);
        assertEquals(2 / 3.0, m.iou(0), 1e-15);
    }

    @Test
    void meanIouAccumulatesTheWholeMatrixNotBatchMeans() {
        Metric miou = ClassMetrics.meanIou(3);
        Metric.Accumulator acc = miou.accumulator();
        ConfusionMatrix all = new ConfusionMatrix(3);
        for (int b = 0; b < 2; b++) {
            float[] half = java.util.Arrays.copyOfRange(SCORES, b * 6, b * 6 + 6);
            int[] labels = java.util.Arrays.copyOfRange(LABELS, b * 2, b * 2 + 2);
            acc.add(half, Shape.of(2, 3), labels, null);
            all.add(half, Shape.of(2, 3), labels, null);
        }
        assertEquals(all.meanIou(), acc.value(), 0);
        ConfusionMatrix whole = new ConfusionMatrix(3);
        whole.add(SCORES, SHAPE, LABELS, null);
        assertEquals(whole.meanIou(), acc.value(), 0);
        assertEquals("mean_iou", miou.name());
    }

    @Test
    void precisionAndRecallMetricsAddUpOverBatches() {
        Metric precision0 = ClassMetrics.precision(0, 3);
        Metric recall2 = ClassMetrics.recall(2, 3);
        assertEquals("precision_0", precision0.name());
        Metric.Accumulator p = precision0.accumulator();
        Metric.Accumulator r = recall2.accumulator();
        for (int b = 0; b < 4; b++) {
            float[] one = java.util.Arrays.copyOfRange(SCORES, b * 3, b * 3 + 3);
            p.add(one, Shape.of(1, 3), new int[] {LABELS[b]}, null);
            r.add(one, Shape.of(1, 3), new int[] {LABELS[b]}, null);
        }
        assertEquals(0.5, p.value(), 1e-15);
        assertEquals(1.0, r.value(), 0);
        assertEquals(6, ClassMetrics.precisionAndRecall(3).size());
        assertThrows(IllegalArgumentException.class, () -> ClassMetrics.recall(3, 3));
    }
}
