package dev.jcnn.data;

import dev.jcnn.tensor.Shape;

/**
 * A stack of samples with their targets: class labels, target tensors or nothing.
 *
 * @param shape       (N, ...) the batch of inputs, e.g. (N, C, H, W)
 * @param images      the N inputs, row-major
 * @param labels      N class labels, or null
 * @param targetShape (N, ...) the batch of target tensors, or null
 * @param targets     the N target tensors, row-major, or null
 */
public record Batch(Shape shape, float[] images, int[] labels, Shape targetShape, float[] targets) {

    public Batch {
        if (shape.rank() < 2) {
            throw new IllegalArgumentException("a batch has a batch axis and a sample shape, got shape " + shape);
        }
        if (images.length != shape.size()) {
            throw new IllegalArgumentException("batch of shape " + shape + " needs " + shape.size()
                    + " image values, got " + images.length);
        }
        if (labels != null && labels.length != shape.batch()) {
            throw new IllegalArgumentException("batch of shape " + shape + " needs " + shape.batch()
                    + " labels, got " + labels.length);
        }
        if ((targetShape == null) != (targets == null)) {
            throw new IllegalArgumentException("a batch's targets need both their shape and their values, got shape "
                    + targetShape + " and " + (targets == null ? "no values" : targets.length + " values"));
        }
        if (targets != null && (targetShape.batch() != shape.batch() || targets.length != targetShape.size())) {
            throw new IllegalArgumentException("batch of shape " + shape + " needs targets of shape (" + shape.batch()
                    + ", ...), got shape " + targetShape + " with " + targets.length + " values");
        }
    }

    /** A batch of images with one class label each. */
    public Batch(Shape shape, float[] images, int[] labels) {
        this(shape, images, labels, null, null);
    }

    /** Number of samples. */
    public int size() {
        return shape.batch();
    }
}
