package dev.jcnn.testing.oracle;

import dev.jcnn.backend.Backend;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;

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

    float[] data() {
        if (data == null) {
            throw new IllegalStateException("tensor " + shape + " is closed");
        }
        return data;
    }

    @Override
    public void close() {
        data = null;
    }
}
