package dev.jcnn.testing;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Allocates tensors on one backend and closes them all when the scope closes, so that a test
 * never leaks device memory, even when it fails halfway.
 */
public final class TensorScope implements AutoCloseable {

    private final Backend backend;
    private final Deque<Tensor> tensors = new ArrayDeque<>();

    public TensorScope(Backend backend) {
        this.backend = backend;
    }

    public Backend backend() {
        return backend;
    }

    /** A zero-filled tensor. */
    public Tensor zeros(Shape shape) {
        return track(backend.allocate(shape));
    }

    public Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /** A tensor holding a copy of data. */
    public Tensor upload(Shape shape, float[] data) {
        return track(backend.upload(shape, data));
    }

    /** The tensor's values as a new array. */
    public float[] read(Tensor t) {
        float[] out = new float[t.shape().size()];
        backend.read(t, out);
        return out;
    }

    /** Closes t with the scope. */
    public <T extends Tensor> T track(T t) {
        tensors.push(t);
        return t;
    }

    /** Closes every tracked tensor, newest first. */
    @Override
    public void close() {
        RuntimeException first = null;
        while (!tensors.isEmpty()) {
            try {
                tensors.pop().close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
