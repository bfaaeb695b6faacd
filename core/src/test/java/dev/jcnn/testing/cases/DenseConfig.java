package dev.jcnn.testing.cases;

import dev.jcnn.tensor.Shape;

/** One fully connected layer: x's shape (any rank; each sample flattened gives in) and the number of outputs. */
public record DenseConfig(Shape x, int out) {

    public static DenseConfig of(Shape x, int out) {
        return new DenseConfig(x, out);
    }

    public int batch() {
        return x.batch();
    }

    public int in() {
        return x.sampleSize();
    }

    public Shape weightShape() {
        return Shape.of(out, in());
    }

    public Shape outputShape() {
        return Shape.of(batch(), out);
    }

    /** E.g. "x (2, 3, 4, 5) in 60 out 6". */
    @Override
    public String toString() {
        return "x " + x + " in " + in() + " out " + out;
    }
}
