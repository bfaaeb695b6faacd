package dev.jcnn.train;

import dev.jcnn.tensor.Shape;

/**
 * A figure reported beside the loss, such as accuracy: each batch gives hits out of a count,
 * and the figure over many batches is the sum of the hits over the sum of the counts. A
 * figure that is no such ratio (mean IoU: a mean of per-class ratios) overrides
 * {@link #accumulator}, which {@code fit} and {@code evaluate} use to combine batches.
 */
public interface Metric {

    /** The name logs use, e.g. "accuracy". */
    String name();

    /**
     * One batch's score from the model's predictions (probabilities for a classifier) of batch
     * shape {@code shape} and the batch's labels or target values (the other is null).
     */
    Score score(float[] predictions, Shape shape, int[] labels, float[] targets);

    /** Gathers batches; by default the sum of their {@link #score scores}. */
    default Accumulator accumulator() {
        Metric metric = this;
        return new Accumulator() {
            private Score total = Score.EMPTY;

            @Override
            public void add(float[] predictions, Shape shape, int[] labels, float[] targets) {
                total = total.plus(metric.score(predictions, shape, labels, targets));
            }

            @Override
            public double value() {
                return total.value();
            }
        };
    }

    /** The figure over the batches added so far. */
    interface Accumulator {

        /** Adds one batch, as {@link Metric#score} takes it. */
        void add(float[] predictions, Shape shape, int[] labels, float[] targets);

        /** The figure over every batch added; NaN before the first. */
        double value();
    }

    /** Hits out of a count; {@link #value} is their ratio, NaN for a count of 0. */
    record Score(double hits, double count) {

        /** No score. */
        public static final Score EMPTY = new Score(0, 0);

        public Score plus(Score other) {
            return new Score(hits + other.hits, count + other.count);
        }

        public double value() {
            return count == 0 ? Double.NaN : hits / count;
        }
    }

    /** No figure (a regression): every score is empty, its value NaN. */
    Metric NONE = new Metric() {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public Score score(float[] predictions, Shape shape, int[] labels, float[] targets) {
            return Score.EMPTY;
        }
    };
}
