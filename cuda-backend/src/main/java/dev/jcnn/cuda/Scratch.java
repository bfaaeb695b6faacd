package dev.jcnn.cuda;

import java.util.EnumMap;
import java.util.Map;
import jcuda.driver.CUdeviceptr;

/**
 * Grow-only device buffers for intermediate results (cuDNN workspace, padded copies, loss
 * partial sums, labels, a vector of ones), one per purpose, so that a training step
 * allocates nothing once the largest shapes have been seen. All work runs on one stream,
 * in order, so a buffer can be reused by the next op without waiting.
 */
final class Scratch implements AutoCloseable {

    /** What a buffer is for; two buffers that one op uses at once have different purposes. */
    enum Purpose {
        WORKSPACE,
        PADDED_INPUT,
        PADDED_GRADIENT,
        SCALED_GRADIENT,
        LOSS_PARTIALS,
        NORM_PARTIALS,
        LABELS,
        CLASS_WEIGHTS,
        LOG_SUM_EXP,
        LOSS_COEFFICIENTS,
        ONES,
        NORMALIZATION_INPUT
    }

    /** A buffer handed out by {@link #get}: valid until the next get for the same purpose. */
    record Buffer(CUdeviceptr pointer, long bytes) implements DevicePointer {
    }

    private final CudaDevice device;
    private final Map<Purpose, Buffer> buffers = new EnumMap<>(Purpose.class);

    Scratch(CudaDevice device) {
        this.device = device;
    }

    /** A buffer of at least {@code bytes} for this purpose, grown (by at least half) when too small. */
    Buffer get(Purpose purpose, long bytes) {
        Buffer b = buffers.get(purpose);
        if (b != null && b.bytes() >= bytes) {
            return b;
        }
        long size = Math.max(bytes, b == null ? 0 : b.bytes() + b.bytes() / 2);
        size = Math.max(size, 256);
        if (b != null) {
            buffers.remove(purpose);
            device.free(b.pointer(), "scratch " + purpose);
        }
        Buffer grown = new Buffer(device.allocate(size, "scratch buffer " + purpose.name().toLowerCase(
                java.util.Locale.ROOT).replace('_', ' ')), size);
        buffers.put(purpose, grown);
        return grown;
    }

    /** Whether a buffer of at least {@code bytes} exists already (callers that must refill a grown buffer ask first). */
    boolean has(Purpose purpose, long bytes) {
        Buffer b = buffers.get(purpose);
        return b != null && b.bytes() >= bytes;
    }

    @Override
    public void close() {
        for (Map.Entry<Purpose, Buffer> e : buffers.entrySet()) {
            device.free(e.getValue().pointer(), "scratch " + e.getKey());
        }
        buffers.clear();
    }
}
