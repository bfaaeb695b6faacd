package dev.jcnn.layers;

import dev.jcnn.backend.PoolMode;

/**
 * Average pooling, Keras' {@code AveragePooling2D}: padded cells are left out of the mean
 * (Keras' behaviour with "same"), unless {@link #countIncludePad} is on (PyTorch's default).
 */
public class AvgPool2D extends Pool2D<AvgPool2D> {

    private boolean includePad;

    public AvgPool2D(int pool) {
        super(pool, pool);
    }

    public AvgPool2D(int poolH, int poolW) {
        super(poolH, poolW);
    }

    /** Count padded cells as zeros in the mean. */
    public AvgPool2D countIncludePad(boolean on) {
        this.includePad = on;
        return this;
    }

    boolean includesPad() {
        return includePad;
    }

    @Override
    protected PoolMode mode() {
        return includePad ? PoolMode.AVERAGE_INCLUDE_PAD : PoolMode.AVERAGE_EXCLUDE_PAD;
    }
}
