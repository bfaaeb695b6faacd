package dev.jcnn.cpu;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;

/**
 * A tensor in host memory: a row-major {@code float[]} and its shape, owned by one
 * {@link CpuBackend}. After {@link #close()} every op refuses it with {@link IllegalStateException}.
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

    @Override
    public boolean isClosed() {
        return data == null;
    }

    /** The storage itself, for the kernels of this package; the op families check first that the tensor is open. */
    float[] data() {
        return data;
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
