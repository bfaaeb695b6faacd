package dev.jcnn.data;

import dev.jcnn.tensor.Shape;

/** A view of another dataset through a list of indices: a slice, a selection or a shuffle. */
final class IndexedDataset implements Dataset {

    private final Dataset base;
    private final int[] indices;

    IndexedDataset(Dataset base, int[] indices) {
        // a view of a view points straight at the storage, so chains stay one hop deep
        if (base instanceof IndexedDataset v) {
            int[] composed = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                composed[i] = v.indices[indices[i]];
            }
            this.base = v.base;
            this.indices = composed;
        } else {
            this.base = base;
            this.indices = indices;
        }
    }

    @Override
    public int size() {
        return indices.length;
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
        return base.label(indices[index]);
    }

    @Override
    public void copyImage(int index, float[] dst, int offset) {
        base.copyImage(indices[index], dst, offset);
    }
}
