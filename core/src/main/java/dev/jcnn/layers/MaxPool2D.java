package dev.jcnn.layers;

import dev.jcnn.backend.PoolMode;

/** Max pooling, Keras' {@code MaxPool2D(pool_size, strides, padding)}. */
public class MaxPool2D extends Pool2D<MaxPool2D> {

    public MaxPool2D(int pool) {
        super(pool, pool);
    }

    public MaxPool2D(int poolH, int poolW) {
        super(poolH, poolW);
    }

    @Override
    protected PoolMode mode() {
        return PoolMode.MAX;
    }
}
