package dev.jcnn.backend;

import dev.jcnn.tensor.Shape;

/** A 2-D pooling window over NCHW input: mode, window size, strides and padding. Windows may overlap. */
public record PoolSpec(PoolMode mode, int windowH, int windowW, int strideH, int strideW, Padding2D padding) {

    public PoolSpec {
        if (mode == null || padding == null) {
            throw new IllegalArgumentException("pool mode and padding must not be null");
        }
        if (windowH <= 0 || windowW <= 0 || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("pool window and strides must be positive, got window " + windowH + "x"
                    + windowW + ", strides " + strideH + "x" + strideW);
        }
    }

    /** A square window with equal strides and no padding, e.g. {@code PoolSpec.of(MAX, 2, 2)}. */
    public static PoolSpec of(PoolMode mode, int window, int stride) {
        return new PoolSpec(mode, window, window, stride, stride, Padding2D.NONE);
    }

    /** Output shape (N, C, OH, OW) of input x (N, C, H, W). */
    public Shape outputShape(Shape x) {
        x.requireRank(4);
        return Shape.of(x.dim(0), x.dim(1),
                Geometry.outputSize(x.dim(2), windowH, strideH, padding.top(), padding.bottom(), "pooling height"),
                Geometry.outputSize(x.dim(3), windowW, strideW, padding.left(), padding.right(), "pooling width"));
    }
}
