package dev.jcnn.train;

/** Intersection over union of binary masks, the usual score of a segmentation. */
public final class Iou {

    private Iou() {
    }

    /**
     * |predicted ∩ true| / |predicted ∪ true| over all pixels of all samples, where a pixel is
     * predicted when its logit is above 0 (probability above 0.5) and true when its target is
     * above 0.5; 1 when both are empty.
     *
     * @throws IllegalArgumentException when the arrays differ in length
     */
    public static double fromLogits(float[] logits, float[] targets) {
        if (logits.length != targets.length) {
            throw new IllegalArgumentException("IoU: " + logits.length + " logits but " + targets.length + " targets");
        }
        long intersection = 0;
        long union = 0;
        for (int i = 0; i < logits.length; i++) {
            boolean p = logits[i] > 0f;
            boolean t = targets[i] > 0.5f;
            intersection += p && t ? 1 : 0;
            union += p || t ? 1 : 0;
        }
        return union == 0 ? 1.0 : (double) intersection / union;
    }

    /**
     * The same score for probabilities (what {@code predict} returns for a model trained with
     * binary cross-entropy): a pixel is predicted when its probability is above 0.5.
     *
     * @throws IllegalArgumentException when the arrays differ in length
     */
    public static double of(float[] probabilities, float[] targets) {
        return ofThreshold(probabilities, 0.5f, targets);
    }

    /** The same score for a thresholded image itself (pixel above threshold = predicted): a baseline without learning. */
    public static double ofThreshold(float[] images, float threshold, float[] targets) {
        float[] shifted = new float[images.length];
        for (int i = 0; i < images.length; i++) {
            shifted[i] = images[i] - threshold;
        }
        return fromLogits(shifted, targets);
    }
}
