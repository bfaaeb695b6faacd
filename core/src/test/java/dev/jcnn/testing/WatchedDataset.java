package dev.jcnn.testing;

import dev.jcnn.data.Dataset;
import dev.jcnn.tensor.Shape;

/**
 * A dataset that counts the images it hands out and the largest array it copies them into,
 * and fails the test when it is gathered whole ({@link #images()}): what streaming tests
 * watch a source with.
 */
public final class WatchedDataset implements Dataset {

    private final Dataset base;
    private long reads;
    private int largestDestination;

    public WatchedDataset(Dataset base) {
        this.base = base;
    }

    /** The images copied out so far. */
    public long reads() {
        return reads;
    }

    /** The length of the largest array an image was copied into: one batch at most when streaming. */
    public int largestDestination() {
        return largestDestination;
    }

    @Override
    public int size() {
        return base.size();
    }

    @Override
    public Shape imageShape() {
        return base.imageShape();
    }

    @Override
    public int classes() {
        return base.classes();
    }

    @Override
    public int label(int index) {
        return base.label(index);
    }

    @Override
    public void copyImage(int index, float[] dst, int offset) {
        reads++;
        largestDestination = Math.max(largestDestination, dst.length);
        base.copyImage(index, dst, offset);
    }

    @Override
    public float[] images() {
        throw new AssertionError("the streamed set was gathered into one array");
    }
}
