package dev.jcnn.data;

import dev.jcnn.tensor.Shape;
import java.util.Random;

/**
 * A labelled image set: images as float32 CHW in [0, 1], one integer class label each.
 * Batches stack images into NCHW. Views ({@link #slice}, {@link #shuffled}) share the
 * underlying storage and copy nothing. As a {@link SampleSource} it feeds {@code fit},
 * {@code evaluate} and {@code predict} batch by batch.
 */
public interface Dataset extends SampleSource {

    /** Number of images. */
    int size();

    /** The shape of one image, (C, H, W). */
    Shape imageShape();

    /** Number of classes: every label lies in [0, classes). */
    int classes();

    /** The label of image {@code index}. */
    @Override
    int label(int index);

    /** Writes image {@code index} (imageShape().size() values, CHW, in [0, 1]) into dst from offset on. */
    void copyImage(int index, float[] dst, int offset);

    /** The image shape. */
    @Override
    default Shape sampleShape() {
        return imageShape();
    }

    /** The image, as {@link #copyImage} writes it. */
    @Override
    default void copySample(int index, float[] dst, int offset) {
        copyImage(index, dst, offset);
    }

    /** Class labels. */
    @Override
    default Targets targets() {
        return Targets.CLASS_LABELS;
    }

    /** A copy of image {@code index}, CHW. */
    default float[] image(int index) {
        float[] out = new float[imageShape().size()];
        copyImage(index, out, 0);
        return out;
    }

    /**
     * Every image, in order, as one row-major NCHW array (size() · C·H·W values), for the
     * array overloads of {@code fit}; the dataset itself feeds them without this copy.
     */
    default float[] images() {
        int per = imageShape().size();
        long total = (long) size() * per;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException(size() + " images of shape " + imageShape() + " are " + total
                    + " values, more than one array holds; take a slice");
        }
        float[] out = new float[(int) total];
        for (int i = 0; i < size(); i++) {
            copyImage(i, out, i * per);
        }
        return out;
    }

    /** Every label, in order. */
    default int[] labels() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = label(i);
        }
        return out;
    }

    /** The images [from, to) as a view. */
    default Dataset slice(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of a dataset of " + size()
                    + " images; expected 0 <= from <= to <= " + size());
        }
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return new IndexedDataset(this, idx);
    }

    /** The first n images (all of them when n exceeds the size). */
    default Dataset first(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("first(" + n + "): expected a count >= 0");
        }
        return slice(0, Math.min(n, size()));
    }

    /** A view in an order drawn from the seed: the same seed always gives the same order. */
    default Dataset shuffled(long seed) {
        int[] idx = new int[size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Random r = new Random(seed);
        for (int i = idx.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return new IndexedDataset(this, idx);
    }

    /** Batches of batchSize images in order; the last one holds the remainder. */
    default Batches batches(int batchSize) {
        return new Batches(this, batchSize);
    }

    /** The images at these indices (a copy of the index array is kept) as a view. */
    default Dataset select(int... indices) {
        for (int k = 0; k < indices.length; k++) {
            if (indices[k] < 0 || indices[k] >= size()) {
                throw new IndexOutOfBoundsException("index " + indices[k] + " (position " + k
                        + ") is outside a dataset of " + size() + " images");
            }
        }
        return new IndexedDataset(this, indices.clone());
    }

    /** The batch of images [from, to), stacked as NCHW. */
    default Batch batch(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IndexOutOfBoundsException("batch [" + from + ", " + to + ") of a dataset of " + size()
                    + " images; expected 0 <= from < to <= " + size());
        }
        int n = to - from;
        int per = imageShape().size();
        float[] x = new float[n * per];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            copyImage(from + i, x, i * per);
            y[i] = label(from + i);
        }
        return new Batch(imageShape().withBatch(n), x, y);
    }
}
