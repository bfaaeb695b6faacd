package dev.jcnn.cuda;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import jcuda.driver.CUdeviceptr;

/**
 * A float32 tensor in GPU memory, owned by one {@link CudaBackend}. Its device buffer is
 * freed on {@link #close()}; after that every op refuses it with {@link IllegalStateException}.
 */
public final class CudaTensor implements Tensor, DevicePointer {

    private final CudaBackend owner;
    private final Shape shape;
    private CUdeviceptr pointer;

    CudaTensor(CudaBackend owner, Shape shape, CUdeviceptr pointer) {
        this.owner = owner;
        this.shape = shape;
        this.pointer = pointer;
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
        return pointer == null;
    }

    /** Bytes of device memory this tensor holds. */
    long bytes() {
        return 4L * shape.size();
    }

    @Override
    public CUdeviceptr pointer() {
        CUdeviceptr p = pointer;
        if (p == null) {
            throw new IllegalStateException("tensor " + shape + " is closed");
        }
        return p;
    }

    @Override
    public void close() {
        CUdeviceptr p = pointer;
        if (p != null) {
            pointer = null;
            owner.released(this, p);
        }
    }

    @Override
    public String toString() {
        return "CudaTensor" + shape + (isClosed() ? " (closed)" : "");
    }
}
