package dev.jcnn.data;

import dev.jcnn.tensor.Shape;

/** Images stored as floats, CHW per image, with their labels. */
public final class FloatImageDataset extends LabelledImages {

    private final float[] values;

    /**
     * @param imageShape (C, H, W)
     * @param values     labels.length · C·H·W values, CHW per image
     * @param labels     one label per image, each in [0, classes)
     * @param classes    number of classes
     */
    public FloatImageDataset(Shape imageShape, float[] values, int[] labels, int classes) {
        super(imageShape, values.length, "values", labels, classes);
        this.values = values;
    }

    @Override
    public void copyImage(int index, float[] dst, int offset) {
        int per = imageShape().size();
        System.arraycopy(values, index * per, dst, offset, per);
    }
}
