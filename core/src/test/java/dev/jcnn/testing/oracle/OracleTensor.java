package dev.jcnn.testing.oracle;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;

/** A host array owned by {@link OracleBackend}. */
final class OracleTensor implements Tensor {

    private final Shape shape;
    private final OracleBackend owner;
    private float[] data;

    OracleTensor(Shape shape, OracleBackend owner) {
        this.shape = shape;
        this.owner = owner;
        this.data = new float[shape.size()];
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public Backend backend() {
        return owner;
    }

    @Override
    public boolean isClosed() {
        return data == null;
    }

    /** The values; the ops check that the tensor is open before they get here. */
    float[] data() {
        if (data == null) {
            throw new IllegalStateException("tensor " + shape + " is closed");
        }
        return data;
    }

    /** Overwrites the values with the doubles rounded to float. */
    void store(double[] values) {
        float[] d = data();
        for (int i = 0; i < values.length; i++) {
            d[i] = (float) values[i];
        }
    }

    @Override
    public void close() {
        data = null;
    }
}
