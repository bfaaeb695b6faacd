package dev.jcnn.layers;

import dev.jcnn.tensor.Shape;

/**
 * Depthwise convolution, Keras' {@code DepthwiseConv2D(kernel_size, strides, padding,
 * depth_multiplier, activation, use_bias, dilation_rate)}: each of the C input channels is
 * convolved with its own {@code m} filters, giving C·m output channels (channel c's filters are
 * outputs c·m … c·m + m − 1). It is the {@link Conv2D} with filters = C·m and groups = C, run by
 * the same convolution ops: weights "kernel" (C·m, 1, kh, kw), PyTorch's layout, and "bias" (C·m),
 * so (kh·kw)·C·m + C·m parameters. Strides, padding, dilation, activation and bias are Conv2D's.
 */
public class DepthwiseConv2D extends Conv2D {

    private int depthMultiplier = 1;

    /** A square {@code kernel}×{@code kernel} depthwise convolution, multiplier 1, stride 1, valid padding. */
    public DepthwiseConv2D(int kernel) {
        this(kernel, kernel);
    }

    /** A rectangular kernel of kernelH rows and kernelW columns. */
    public DepthwiseConv2D(int kernelH, int kernelW) {
        // the filter count follows the input's channels; filtersFor supplies it once they are known
        super(1, kernelH, kernelW);
    }

    /** Keras' {@code depth_multiplier}: the output channels per input channel. */
    public DepthwiseConv2D depthMultiplier(int m) {
        if (m <= 0) {
            throw new IllegalArgumentException(name() + ": depth multiplier must be positive, got " + m);
        }
        this.depthMultiplier = m;
        return this;
    }

    /** The output channels per input channel. */
    public int depthMultiplier() {
        return depthMultiplier;
    }

    /**
     * The output channels, C·m: known once the layer is built.
     *
     * @throws IllegalStateException before the layer is built
     */
    @Override
    public int filters() {
        return filtersFor(builtInput());
    }

    /**
     * The number of groups, C: known once the layer is built.
     *
     * @throws IllegalStateException before the layer is built
     */
    @Override
    public int groups() {
        return groupsFor(builtInput());
    }

    /** Refused: a depthwise convolution has one group per input channel. */
    @Override
    public Conv2D groups(int g) {
        throw new UnsupportedOperationException(name() + ": a depthwise convolution has one group per input channel;"
                + " use Conv2D(filters, kernel).groups(" + g + ") for other group counts");
    }

    private Shape builtInput() {
        Shape input = inputShape();
        if (input == null) {
            throw new IllegalStateException(name() + ": the filter and group counts follow the input's channels"
                    + " (C·" + depthMultiplier + " and C); build the layer first");
        }
        return input;
    }

    @Override
    int filtersFor(Shape input) {
        return Math.multiplyExact(input.dim(0), depthMultiplier);
    }

    @Override
    int groupsFor(Shape input) {
        return input.dim(0);
    }

    // Conv2D's settings, typed so that they chain on a DepthwiseConv2D

    @Override
    public DepthwiseConv2D strides(int s) {
        super.strides(s);
        return this;
    }

    @Override
    public DepthwiseConv2D strides(int sh, int sw) {
        super.strides(sh, sw);
        return this;
    }

    @Override
    public DepthwiseConv2D padding(Padding p) {
        super.padding(p);
        return this;
    }

    @Override
    public DepthwiseConv2D activation(Activation a) {
        super.activation(a);
        return this;
    }

    @Override
    public DepthwiseConv2D useBias(boolean on) {
        super.useBias(on);
        return this;
    }

    @Override
    public DepthwiseConv2D strict(boolean on) {
        super.strict(on);
        return this;
    }

    @Override
    public DepthwiseConv2D dilation(int d) {
        super.dilation(d);
        return this;
    }

    @Override
    public DepthwiseConv2D dilation(int dh, int dw) {
        super.dilation(dh, dw);
        return this;
    }
}
