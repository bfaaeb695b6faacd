package dev.jcnn.train;

import dev.jcnn.tensor.Shape;

/**
 * The share of samples whose label is among the k highest-scoring classes of (N, classes)
 * predictions: a hit when fewer than k classes score strictly above the label's class (so
 * ties count in the label's favour). k = 1 is {@link Accuracy} but for ties.
 */
public final class TopKAccuracy implements Metric {

    private final int k;

    /** @throws IllegalArgumentException when k is below 1 */
    public TopKAccuracy(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k accuracy: k " + k + ", expected 1 or more");
        }
        this.k = k;
    }

    /** "top_5_accuracy" for k 5. */
    @Override
    public String name() {
        return "top_" + k + "_accuracy";
    }

    @Override
    public Score score(float[] predictions, Shape shape, int[] labels, float[] targets) {
        if (shape.rank() != 2 || labels == null || labels.length != shape.dim(0)) {
            throw new IllegalArgumentException(name() + ": needs (N, classes) predictions and N labels, got shape " + shape
                    + " and " + (labels == null ? "no labels" : labels.length + " labels"));
        }
        int classes = shape.dim(1);
        long hits = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name() + ": label " + labels[i] + " of sample " + i
                        + " is out of range, expected 0 to " + (classes - 1));
            }
            float own = predictions[i * classes + labels[i]];
            int above = 0;
            for (int j = 0; j < classes; j++) {
                above += predictions[i * classes + j] > own ? 1 : 0;
            }
            hits += above < k ? 1 : 0;
        }
        return new Score(hits, labels.length);
    }
}
