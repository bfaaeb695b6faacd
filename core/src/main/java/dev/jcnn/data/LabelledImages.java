package dev.jcnn.data;

import dev.jcnn.tensor.Shape;

/** What in-memory image datasets share: the image shape, one label per image, the class count. */
abstract class LabelledImages implements Dataset {

    private final Shape imageShape;
    private final int[] labels;
    private final int classes;

    /** Checks that {@code stored} values hold labels.length images of imageShape. */
    LabelledImages(Shape imageShape, long stored, String unit, int[] labels, int classes) {
        this.imageShape = imageShape.requireRank(3);
        this.classes = LabelChecks.requireLabels(labels, classes);
        long expected = (long) labels.length * imageShape.size();
        if (stored != expected) {
            throw new IllegalArgumentException(labels.length + " images of shape " + imageShape + " need "
                    + expected + " " + unit + ", got " + stored);
        }
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
}
