package dev.jcnn.data;

import dev.jcnn.tensor.Shape;

/**
 * A stack of images and their labels.
 *
 * @param shape  (N, C, H, W)
 * @param images N·C·H·W values, row-major NCHW, in [0, 1]
 * @param labels N class labels
 */
public record Batch(Shape shape, float[] images, int[] labels) {

    public Batch {
        shape.requireRank(4);
        if (images.length != shape.size()) {
            throw new IllegalArgumentException("batch of shape " + shape + " needs " + shape.size()
                    + " image values, got " + images.length);
        }
        if (labels.length != shape.batch()) {
            throw new IllegalArgumentException("batch of shape " + shape + " needs " + shape.batch()
                    + " labels, got " + labels.length);
        }
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }
}
