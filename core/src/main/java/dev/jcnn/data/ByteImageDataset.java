package dev.jcnn.data;

import dev.jcnn.tensor.Shape;

/**
 * Images stored as unsigned bytes (0–255), as MNIST ships them, read as floats in [0, 1];
 * a quarter of the memory of floats.
 */
public final class ByteImageDataset implements Dataset {

    private static final float SCALE = 1f / 255f;

    private final Shape imageShape;
    private final byte[] pixels;
    private final int[] labels;
    private final int classes;

    /**
     * @param imageShape (C, H, W)
     * @param pixels     labels.length · C·H·W unsigned bytes, CHW per image
     * @param labels     one label per image, each in [0, classes)
     * @param classes    number of classes
     */
    public ByteImageDataset(Shape imageShape, byte[] pixels, int[] labels, int classes) {
        this.imageShape = imageShape.requireRank(3);
        this.classes = LabelChecks.requireLabels(labels, classes);
        long expected = (long) labels.length * imageShape.size();
        if (pixels.length != expected) {
            throw new IllegalArgumentException(labels.length + " images of shape " + imageShape + " need "
                    + expected + " pixels, got " + pixels.length);
        }
        this.pixels = pixels;
        this.labels = labels;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Shape imageShape() {
        return imageShape;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public void copyImage(int index, float[] dst, int offset) {
        int per = imageShape.size();
        int src = index * per;
        for (int i = 0; i < per; i++) {
            dst[offset + i] = (pixels[src + i] & 0xFF) * SCALE;
        }
    }
}
