package dev.jcnn.data;

import dev.jcnn.tensor.Shape;

/**
 * Images stored as unsigned bytes (0–255), as MNIST ships them, read as floats in [0, 1];
 * a quarter of the memory of floats.
 */
public final class ByteImageDataset extends LabelledImages {

    private static final float SCALE = 1f / 255f;

    private final byte[] pixels;

    /**
     * @param imageShape (C, H, W)
     * @param pixels     labels.length · C·H·W unsigned bytes, CHW per image
     * @param labels     one label per image, each in [0, classes)
     * @param classes    number of classes
     */
    public ByteImageDataset(Shape imageShape, byte[] pixels, int[] labels, int classes) {
        super(imageShape, pixels.length, "pixels", labels, classes);
        this.pixels = pixels;
    }

    @Override
    public void copyImage(int index, float[] dst, int offset) {
        int per = imageShape().size();
        int src = index * per;
        for (int i = 0; i < per; i++) {
            dst[offset + i] = (pixels[src + i] & 0xFF) * SCALE;
        }
    }
}
