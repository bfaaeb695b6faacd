package dev.jcnn.train;

import dev.jcnn.tensor.Shape;

/** The share of elements (pixels of a mask) whose probability is on the same side of 0.5 as their target. */
public final class BinaryAccuracy implements Metric {

    @Override
    public String name() {
        return "binary_accuracy";
    }

    @Override
    public Score score(float[] predictions, Shape shape, int[] labels, float[] targets) {
        if (targets == null || targets.length != predictions.length) {
            throw new IllegalArgumentException("binary accuracy: needs one target per prediction, got " + predictions.length
                    + " predictions of shape " + shape + " and " + (targets == null ? "no" : targets.length) + " targets");
        }
        long hits = 0;
        for (int i = 0; i < predictions.length; i++) {
            if ((predictions[i] > 0.5f) == (targets[i] > 0.5f)) {
                hits++;
            }
        }
        return new Score(hits, predictions.length);
    }
}
