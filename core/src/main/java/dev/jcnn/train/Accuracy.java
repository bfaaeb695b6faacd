package dev.jcnn.train;

import dev.jcnn.tensor.Shape;

/** The share of samples whose most probable class (argmax over (N, classes)) is their label. */
public final class Accuracy implements Metric {

    @Override
    public String name() {
        return "accuracy";
    }

    @Override
    public Score score(float[] predictions, Shape shape, int[] labels, float[] targets) {
        if (shape.rank() != 2 || labels == null || labels.length != shape.dim(0)) {
            throw new IllegalArgumentException("accuracy: needs (N, classes) predictions and N labels, got shape " + shape
                    + " and " + (labels == null ? "no labels" : labels.length + " labels"));
        }
        int classes = shape.dim(1);
        long hits = 0;
        for (int i = 0; i < labels.length; i++) {
            if (argmax(predictions, i * classes, classes) == labels[i]) {
                hits++;
            }
        }
        return new Score(hits, labels.length);
    }

    /** The index of the largest of v[offset .. offset + n), the first one on ties. */
    public static int argmax(float[] v, int offset, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[offset + j] > v[offset + best]) {
                best = j;
            }
        }
        return best;
    }
}
