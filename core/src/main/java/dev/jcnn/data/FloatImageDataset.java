package dev.jcnn.data;

import dev.jcnn.tensor.Shape;

/** Images stored as floats, CHW per image, with their labels. */
public final class FloatImageDataset implements Dataset {

    private final Shape imageShape;
    private final float[] values;
    private final int[] labels;
    private final int classes;

    /**
     * @param imageShape (C, H, W)
     * @param values     labels.length · C·H·W values, CHW per image
     * @param labels     one label per image, each in [0, classes)
     * @param classes    number of classes
     */
    public FloatImageDataset(Shape imageShape, float[] values, int[] labels, int classes) {
        this.imageShape = imageShape.requireRank(3);
        this.classes = LabelChecks.requireLabels(labels, classes);
        long expected = (long) labels.length * imageShape.size();
        if (values.length != expected) {
            throw new IllegalArgumentException(labels.length + " images of shape " + imageShape + " need "
                    + expected + " values, got " + values.length);
        }
        this.values = values;
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
        System.arraycopy(values, index * per, dst, offset, per);
    }
}
