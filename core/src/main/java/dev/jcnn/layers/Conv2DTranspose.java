package dev.jcnn.layers;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Geometry;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Transposed convolution, Keras' {@code Conv2DTranspose(filters, kernel_size, strides, padding,
 * output_padding, dilation_rate)} with PyTorch's {@code groups}: the learned upsampling of a
 * decoder. It is the adjoint of a convolution from its output back to its input, so it runs on
 * the convolution ops with their roles swapped, as cuDNN does: forward = convolution
 * backward-data, backward-data = convolution forward, and the weight gradient = convolution
 * backward-filter with image and gradient swapped.
 *
 * <p>Weights "kernel" (C_in, filters/groups, kh, kw), PyTorch's layout, and "bias" (filters).
 * Output size per axis, as Keras computes it with the dilated kernel's span F' = d·(F − 1) + 1:
 * VALID I·S + max(F' − S, 0), SAME I·S; with an output padding OP (smaller than the stride)
 * (I − 1)·S + F' − 2P + OP where P is 0 for VALID and F'/2 for SAME; with explicit padding
 * (I − 1)·S + F' − P_before − P_after (+ OP), {@link Geometry#transposedOutputSize}.
 */
public class Conv2DTranspose extends BaseConv<Conv2DTranspose> {

    private int outputPaddingH = -1;
    private int outputPaddingW = -1;
    private Tensor x;
    private ConvSpec spec;

    /** {@code filters} output channels, a square kernel, stride 1, valid padding, no activation. */
    public Conv2DTranspose(int filters, int kernel) {
        this(filters, kernel, kernel);
    }

    public Conv2DTranspose(int filters, int kernelH, int kernelW) {
        super(filters, kernelH, kernelW);
    }

    /** Extra rows and columns at the bottom and right of the output; must be smaller than the strides. */
    public Conv2DTranspose outputPadding(int oph, int opw) {
        if (oph < 0 || opw < 0) {
            throw new IllegalArgumentException(name() + ": output padding must be non-negative, got " + oph + "x" + opw);
        }
        this.outputPaddingH = oph;
        this.outputPaddingW = opw;
        return this;
    }

    private void checkGroups(Shape input) {
        if (input.dim(0) % groups != 0) {
            throw new IllegalArgumentException(name() + ": input " + input + " has " + input.dim(0)
                    + " channels, which cannot be split into " + groups + " groups (not divisible)");
        }
    }

    /** The output padding as set (rows, columns), or null when unset. */
    int[] outputPadding() {
        return outputPaddingH < 0 ? null : new int[] {outputPaddingH, outputPaddingW};
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(name() + ": expects (channels, height, width) input, got " + input);
        }
        checkGroups(input);
        Shape out = Shape.of(filters, outputSize(input.dim(1), spanH(), strideH, outputPaddingH, true),
                outputSize(input.dim(2), spanW(), strideW, outputPaddingW, false));
        spec(input, out);
        return out;
    }

    /**
     * The convolution this layer is the adjoint of, for a per-sample input shape (C, H, W): it
     * maps an image of this layer's output size back to the input size.
     */
    public ConvSpec spec(Shape input) {
        return spec(input, outputShape(input));
    }

    private ConvSpec spec(Shape input, Shape output) {
        Padding2D p = padding.resolve(output.dim(1), output.dim(2), spanH(), spanW(), strideH, strideW);
        checkAdjoint(input.dim(1), output.dim(1), spanH(), strideH, p.top(), p.bottom(), outputPaddingH, "height");
        checkAdjoint(input.dim(2), output.dim(2), spanW(), strideW, p.left(), p.right(), outputPaddingW, "width");
        return new ConvSpec(kernelH, kernelW, strideH, strideW, p, dilationH, dilationW, groups);
    }

    private int spanH() {
        return Geometry.dilatedWindow(kernelH, dilationH);
    }

    private int spanW() {
        return Geometry.dilatedWindow(kernelW, dilationW);
    }

    /** Keras' deconv_output_length along one axis for the dilated kernel's span k; outputPadding -1 when unset. */
    private int outputSize(int in, int k, int s, int outputPadding, boolean rows) {
        boolean explicit = padding != Padding.VALID && padding != Padding.SAME;
        String where = name() + " " + (rows ? "height" : "width");
        if (explicit) {
            Padding2D p = padding.resolve(1, 1, kernelH, kernelW, strideH, strideW);
            return Geometry.transposedOutputSize(in, k, s, rows ? p.top() : p.left(), rows ? p.bottom() : p.right(),
                    Math.max(outputPadding, 0), where);
        }
        if (outputPadding >= 0) {
            int pad = padding == Padding.SAME ? k / 2 : 0;
            return Geometry.transposedOutputSize(in, k, s, pad, pad, outputPadding, where);
        }
        long o = padding == Padding.SAME ? (long) in * s : (long) in * s + Math.max(k - s, 0);
        if (o <= 0 || o > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + ": input size " + in + " with kernel " + k + ", stride " + s
                    + " and padding " + padding + " gives output size " + o + ", expected a positive size");
        }
        return (int) o;
    }

    /** The convolution from the output must give back the input size, which fails when the output padding is not below the stride. */
    private void checkAdjoint(int in, int out, int k, int s, int padBefore, int padAfter, int outputPadding, String axis) {
        int back = Geometry.outputSize(out, k, s, padBefore, padAfter, name() + " " + axis);
        if (back != in) {
            throw new IllegalArgumentException(name() + " " + axis + ": output size " + out + " (output padding "
                    + Math.max(outputPadding, 0) + ") does not map back to input size " + in + " under kernel " + k
                    + ", stride " + s + ", padding " + padBefore + "/" + padAfter
                    + "; the output padding must be smaller than the stride");
        }
    }

    @Override
    public List<ParamSpec> parameterSpecs(Shape input) {
        checkGroups(input);
        int c = input.dim(0);
        // fans as PyTorch counts them on the (in, filters/groups, kh, kw) kernel: fan in over its second axis
        int fanIn = filters / groups * kernelH * kernelW;
        int fanOut = c * kernelH * kernelW;
        List<ParamSpec> specs = new ArrayList<>();
        specs.add(new ParamSpec("kernel", Shape.of(c, filters / groups, kernelH, kernelW),
                Initializers.forActivation(activation), fanIn, fanOut));
        if (useBias) {
            specs.add(new ParamSpec("bias", Shape.of(filters), ParamSpec.Init.ZEROS, fanIn, fanOut));
        }
        return specs;
    }

    @Override
    protected void linearForward(Tensor input, Tensor z) {
        this.x = input;
        this.spec = spec(input.shape().withoutBatch());
        backend().convolution().backwardData(input, parameter("kernel").value(), spec, z);
        if (useBias) {
            backend().channels().addBias(z, parameter("bias").value(), z);
        }
    }

    @Override
    protected Tensor linearBackward(Tensor dz, boolean inputGradient) {
        Parameter kernel = parameter("kernel");
        // In the adjoint convolution dz is the image and x the output gradient.
        backend().convolution().backwardFilter(dz, x, spec, kernel.grad());
        if (useBias) {
            backend().convolution().biasBackward(dz, parameter("bias").grad());
        }
        if (!inputGradient) {
            return null;
        }
        Tensor dx = buffer("dx", x.shape());
        backend().convolution().forward(dz, kernel.value(), null, spec, dx);
        return dx;
    }
}
