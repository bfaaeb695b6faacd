package dev.jcnn.data;

import dev.jcnn.tensor.Shape;

/**
 * Samples read one at a time by index: an input of one per-sample shape and its target, a
 * class label or a tensor. This is what {@code fit}, {@code evaluate} and {@code predict}
 * read, in {@link Batches}, so no data set ever has to be one array: a source may read each
 * sample from a file when it is asked for it ({@link IdxImages}).
 *
 * <p>A source answers for any index in [0, size()) in any order, so that an epoch can visit
 * the samples in a shuffled order; {@link #of} wraps arrays.
 */
public interface SampleSource {

    /** Number of samples. */
    int size();

    /** The shape of one input sample, e.g. (C, H, W). */
    Shape sampleShape();

    /** Writes input sample {@code index} (sampleShape().size() values, row-major) into dst from offset on. */
    void copySample(int index, float[] dst, int offset);

    /** What each sample's target is. */
    Targets targets();

    /** The class label of sample {@code index}; only for {@link Targets#CLASS_LABELS}. */
    default int label(int index) {
        throw new UnsupportedOperationException("this source's targets are " + targets() + ", not class labels");
    }

    /** The shape of one target tensor; only for {@link Targets#TENSORS}, null otherwise. */
    default Shape targetShape() {
        return null;
    }

    /** Writes the target tensor of sample {@code index} into dst from offset on; only for {@link Targets#TENSORS}. */
    default void copyTarget(int index, float[] dst, int offset) {
        throw new UnsupportedOperationException("this source's targets are " + targets() + ", not tensors");
    }

    /**
     * Whole samples of this shape, row-major in one array, with one class label each.
     *
     * @throws IllegalArgumentException when x is not a whole number of samples or the labels do not count them
     */
    static SampleSource of(Shape sampleShape, float[] x, int[] labels) {
        return ArraySamples.labelled(sampleShape, x, labels);
    }

    /**
     * Whole samples of this shape with a target tensor of targetShape each, both row-major in one array.
     *
     * @throws IllegalArgumentException when the arrays do not hold the same whole number of samples
     */
    static SampleSource of(Shape sampleShape, float[] x, Shape targetShape, float[] targets) {
        return ArraySamples.withTensors(sampleShape, x, targetShape, targets);
    }

    /** Whole samples of this shape without targets, for predictions. */
    static SampleSource of(Shape sampleShape, float[] x) {
        return ArraySamples.inputsOnly(sampleShape, x);
    }
}
