package dev.jcnn.cpu;

import dev.jcnn.backend.Backend;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;

/**
 * A tensor in host memory: a row-major {@code float[]} and its shape, owned by one
 * {@link CpuBackend}. After {@link #close()} every use throws {@link IllegalStateException}.
 */
public final class CpuTensor implements Tensor {

    private final CpuBackend owner;
    private final Shape shape;
    private float[] data;

    CpuTensor(CpuBackend owner, Shape shape, float[] data) {
        this.owner = owner;
        this.shape = shape;
        this.data = data;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public Backend backend() {
        return owner;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return data == null;
    }

    /**
     * The storage itself, for the ops of this package.
     *
     * @param op names the operation for the error message
     * @param name names this tensor in the operation
     */
    float[] data(String op, String name) {
        float[] d = data;
        if (d == null) {
            throw new IllegalStateException(op + ": tensor " + name + " " + shape + " is closed");
        }
        return d;
    }

    @Override
    public void close() {
        if (data != null) {
            data = null;
            owner.released();
        }
    }

    @Override
    public String toString() {
        return "CpuTensor" + shape + (isClosed() ? " (closed)" : "");
    }
}
