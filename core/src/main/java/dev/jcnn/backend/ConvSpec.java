package dev.jcnn.backend;

import dev.jcnn.tensor.Shape;

/**
 * A 2-D convolution (cross-correlation, as in every framework) over NCHW input with weights
 * of shape (K, C, kernelH, kernelW): kernel size, strides and explicit padding per side.
 */
public record ConvSpec(int kernelH, int kernelW, int strideH, int strideW, Padding2D padding) {

    public ConvSpec {
        if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("kernel and strides must be positive, got kernel " + kernelH + "x" + kernelW
                    + ", strides " + strideH + "x" + strideW);
        }
        if (padding == null) {
            throw new IllegalArgumentException("padding must not be null (use Padding2D.NONE)");
        }
    }

    /** A square kernel with equal strides and the same padding on every side. */
    public static ConvSpec of(int kernel, int stride, int pad) {
        return new ConvSpec(kernel, kernel, stride, stride, Padding2D.of(pad));
    }

    /** Weight shape (K, C, kernelH, kernelW). */
    public Shape weightShape(int inChannels, int filters) {
        return Shape.of(filters, inChannels, kernelH, kernelW);
    }

    /** Output shape (N, K, OH, OW) of input x (N, C, H, W) with K filters. */
    public Shape outputShape(Shape x, int filters) {
        x.requireRank(4);
        return Shape.of(x.dim(0), filters,
                Geometry.outputSize(x.dim(2), kernelH, strideH, padding.top(), padding.bottom(), "convolution height"),
                Geometry.outputSize(x.dim(3), kernelW, strideW, padding.left(), padding.right(), "convolution width"));
    }
}
