package dev.jcnn.backend;

import dev.jcnn.tensor.Shape;

/**
 * A float32 tensor whose storage a backend owns (host memory for the CPU backend, device
 * memory for CUDA). Close it to release the storage; a closed tensor may not be used again.
 * Read and write its values through {@link Backend#read} and {@link Backend#write}.
 */
public interface Tensor extends AutoCloseable {

    Shape shape();

    /** The backend that owns this tensor's storage. */
    Backend backend();

    /** Whether {@link #close()} has been called; every op refuses a closed tensor. */
    boolean isClosed();

    /** Copies the values to a new host array (row-major). */
    default float[] toArray() {
        float[] out = new float[shape().size()];
        backend().read(this, out);
        return out;
    }

    @Override
    void close();
}
