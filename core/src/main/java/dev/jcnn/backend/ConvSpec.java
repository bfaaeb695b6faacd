package dev.jcnn.backend;

import dev.jcnn.tensor.Shape;

/**
 * A 2-D convolution (cross-correlation, as in every framework) over NCHW input with weights
 * of shape (K, C/groups, kernelH, kernelW): kernel size, strides, explicit padding per side,
 * dilation (the gap between kernel taps, 1 for none: a dilated kernel spans d·(F−1)+1 cells)
 * and groups (the channels split into that many independent convolutions, each of C/groups
 * inputs and K/groups filters; groups = C is a depthwise convolution).
 */
public record ConvSpec(int kernelH, int kernelW, int strideH, int strideW, Padding2D padding, int dilationH,
        int dilationW, int groups) {

    public ConvSpec {
        if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0) {
            throw new IllegalArgumentException("kernel and strides must be positive, got kernel " + kernelH + "x" + kernelW
                    + ", strides " + strideH + "x" + strideW);
        }
        if (padding == null) {
            throw new IllegalArgumentException("padding must not be null (use Padding2D.NONE)");
        }
        if (dilationH <= 0 || dilationW <= 0) {
            throw new IllegalArgumentException("dilation must be positive, got " + dilationH + "x" + dilationW);
        }
        if (groups <= 0) {
            throw new IllegalArgumentException("groups must be positive, got " + groups);
        }
    }

    /** An undilated, ungrouped convolution. */
    public ConvSpec(int kernelH, int kernelW, int strideH, int strideW, Padding2D padding) {
        this(kernelH, kernelW, strideH, strideW, padding, 1, 1, 1);
    }

    /** A square kernel with equal strides and the same padding on every side. */
    public static ConvSpec of(int kernel, int stride, int pad) {
        return new ConvSpec(kernel, kernel, stride, stride, Padding2D.of(pad));
    }

    /** This convolution with dilation (dh, dw). */
    public ConvSpec withDilation(int dh, int dw) {
        return new ConvSpec(kernelH, kernelW, strideH, strideW, padding, dh, dw, groups);
    }

    /** This convolution split into the given number of groups. */
    public ConvSpec withGroups(int g) {
        return new ConvSpec(kernelH, kernelW, strideH, strideW, padding, dilationH, dilationW, g);
    }

    /** Whether this is a plain convolution: no dilation, one group. */
    public boolean isPlain() {
        return dilationH == 1 && dilationW == 1 && groups == 1;
    }

    /** Weight shape (K, C/groups, kernelH, kernelW). */
    public Shape weightShape(int inChannels, int filters) {
        requireDivisible(inChannels, filters);
        return Shape.of(filters, inChannels / groups, kernelH, kernelW);
    }

    /** Output shape (N, K, OH, OW) of input x (N, C, H, W) with K filters. */
    public Shape outputShape(Shape x, int filters) {
        x.requireRank(4);
        requireDivisible(x.dim(1), filters);
        return Shape.of(x.dim(0), filters,
                Geometry.outputSize(x.dim(2), Geometry.dilatedWindow(kernelH, dilationH), strideH, padding.top(),
                        padding.bottom(), "convolution height"),
                Geometry.outputSize(x.dim(3), Geometry.dilatedWindow(kernelW, dilationW), strideW, padding.left(),
                        padding.right(), "convolution width"));
    }

    private void requireDivisible(int inChannels, int filters) {
        if (inChannels % groups != 0 || filters % groups != 0) {
            throw new IllegalArgumentException("convolution with " + groups + " groups: input channels " + inChannels
                    + " and filters " + filters + " must both be divisible by " + groups);
        }
    }
}
