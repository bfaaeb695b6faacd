package dev.jcnn.backend;

import dev.jcnn.tensor.Shape;

/**
 * A 2-D pooling window over NCHW input: mode, window size, strides, padding and whether the
 * output size rounds up (PyTorch's {@code ceil_mode}; see {@link Geometry#outputSize(int, int,
 * int, int, int, boolean, String)}). Windows may overlap. In ceil mode the last window may reach
 * past the padded input: those cells count for nothing, so an average counting the padding
 * divides by the window's cells inside the padded input, as PyTorch does.
 */
public record PoolSpec(PoolMode mode, int windowH, int windowW, int strideH, int strideW, Padding2D padding,
                       boolean ceilMode) {

    public PoolSpec {
        if (mode == null || padding == null) {
            throw new IllegalArgumentException("pool mode and padding must not be null");
        }
        if (windowH <= 0 || windowW <= 0 || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("pool window and strides must be positive, got window " + windowH + "x"
                    + windowW + ", strides " + strideH + "x" + strideW);
        }
    }

    /** The output size rounding down, as Keras and cuDNN do (PyTorch's default). */
    public PoolSpec(PoolMode mode, int windowH, int windowW, int strideH, int strideW, Padding2D padding) {
        this(mode, windowH, windowW, strideH, strideW, padding, false);
    }

    /** A square window with equal strides and no padding, e.g. {@code PoolSpec.of(MAX, 2, 2)}. */
    public static PoolSpec of(PoolMode mode, int window, int stride) {
        return new PoolSpec(mode, window, window, stride, stride, Padding2D.NONE);
    }

    /** This spec with ceil mode on or off. */
    public PoolSpec withCeilMode(boolean on) {
        return new PoolSpec(mode, windowH, windowW, strideH, strideW, padding, on);
    }

    /** Output shape (N, C, OH, OW) of input x (N, C, H, W). */
    public Shape outputShape(Shape x) {
        x.requireRank(4);
        return Shape.of(x.dim(0), x.dim(1),
                Geometry.outputSize(x.dim(2), windowH, strideH, padding.top(), padding.bottom(), ceilMode,
                        "pooling height"),
                Geometry.outputSize(x.dim(3), windowW, strideW, padding.left(), padding.right(), ceilMode,
                        "pooling width"));
    }
}
