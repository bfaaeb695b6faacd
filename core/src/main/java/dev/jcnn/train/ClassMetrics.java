package dev.jcnn.train;

import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-class precision and recall and the mean IoU as {@link Metric}s for {@code evaluate} (and
 * a loss's metric), read from a {@link ConfusionMatrix} of each batch (see it for the shapes
 * they take). Precision and recall are ratios of sums (TP over predicted, TP over actual);
 * the mean IoU is a mean of per-class ratios over all batches together, so it accumulates the
 * whole matrix.
 */
public final class ClassMetrics {

    private ClassMetrics() {
    }

    /** Precision of class c among classes: "precision_c". */
    public static Metric precision(int c, int classes) {
        checkClass(c, classes);
        return new Counted("precision_" + c, classes, m -> new Metric.Score(m.truePositives(c), m.predicted(c)));
    }

    /** Recall of class c among classes: "recall_c". */
    public static Metric recall(int c, int classes) {
        checkClass(c, classes);
        return new Counted("recall_" + c, classes, m -> new Metric.Score(m.truePositives(c), m.actual(c)));
    }

    /** Precision and recall of every class: precision_0, recall_0, precision_1, ... */
    public static List<Metric> precisionAndRecall(int classes) {
        List<Metric> all = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            all.add(precision(c, classes));
            all.add(recall(c, classes));
        }
        return all;
    }

    /** The mean IoU over the classes that occur ({@link ConfusionMatrix#meanIou}): "mean_iou". */
    public static Metric meanIou(int classes) {
        new ConfusionMatrix(classes);
        return new MeanIou(classes);
    }

    private static void checkClass(int c, int classes) {
        new ConfusionMatrix(classes);
        if (c < 0 || c >= classes) {
            throw new IllegalArgumentException("class " + c + " of " + classes + ", expected 0 to " + (classes - 1));
        }
    }

    private static ConfusionMatrix of(int classes, float[] predictions, Shape shape, int[] labels, float[] targets) {
        ConfusionMatrix m = new ConfusionMatrix(classes);
        m.add(predictions, shape, labels, targets);
        return m;
    }

    private record Counted(String name, int classes, java.util.function.Function<ConfusionMatrix, Metric.Score> read)
            implements Metric {
        @Override
        public Score score(float[] predictions, Shape shape, int[] labels, float[] targets) {
            return read.apply(of(classes, predictions, shape, labels, targets));
        }
    }

    private record MeanIou(int classes) implements Metric {
        @Override
        public String name() {
            return "mean_iou";
        }

        /** One batch's mean IoU, as one hit out of one (the accumulator gives the exact figure over many). */
        @Override
        public Score score(float[] predictions, Shape shape, int[] labels, float[] targets) {
            double v = of(classes, predictions, shape, labels, targets).meanIou();
            return Double.isNaN(v) ? Score.EMPTY : new Score(v, 1);
        }

        @Override
        public Accumulator accumulator() {
            ConfusionMatrix total = new ConfusionMatrix(classes);
            return new Accumulator() {
                @Override
                public void add(float[] predictions, Shape shape, int[] labels, float[] targets) {
                    total.add(predictions, shape, labels, targets);
                }

                @Override
                public double value() {
                    return total.meanIou();
                }
            };
        }
    }
}
