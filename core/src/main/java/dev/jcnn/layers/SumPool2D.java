package dev.jcnn.layers;

import dev.jcnn.backend.PoolMode;

/** Sum pooling: the sum over each window (padded cells add zero). */
public class SumPool2D extends Pool2D<SumPool2D> {

    public SumPool2D(int pool) {
        super(pool, pool);
    }

    public SumPool2D(int poolH, int poolW) {
        super(poolH, poolW);
    }

    @Override
    protected PoolMode mode() {
        return PoolMode.SUM;
    }
}
