package dev.jcnn.layers;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Geometry;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * 2-D convolution, Keras' {@code Conv2D(filters, kernel_size, strides, padding, activation,
 * use_bias, dilation_rate, groups)}: weights "kernel" (K, C/groups, kh, kw) and "bias" (K).
 * Output size per axis O = floor((I − F' + P_before + P_after)/S) + 1 with the dilated kernel's
 * span F' = d·(F − 1) + 1. With groups = C and filters = C × multiplier it is a depthwise
 * convolution, which {@link DepthwiseConv2D} states without the channel count; AlexNet's convolutions 2, 4 and 5 have two groups. When the stride does not fit exactly the
 * layer logs a WARN naming the uncovered rows or columns; {@link #strict} makes it an error.
 */
public class Conv2D extends BaseConv<Conv2D> {

    private static final Logger LOG = LogManager.getLogger(Conv2D.class);

    private boolean strict;
    /** Input shapes already warned about; shared by the layer's inference copies, which check shapes on their threads. */
    private final Set<Shape> warned = ConcurrentHashMap.newKeySet();
    private Tensor x;
    private ConvSpec spec;

    /** {@code filters} square {@code kernel}×{@code kernel} filters, stride 1, valid padding, no activation. */
    public Conv2D(int filters, int kernel) {
        this(filters, kernel, kernel);
    }

    /** A rectangular kernel of kernelH rows and kernelW columns. */
    public Conv2D(int filters, int kernelH, int kernelW) {
        super(filters, kernelH, kernelW);
    }

    /** When on, a stride that leaves input rows or columns uncovered is an error instead of a warning. */
    public Conv2D strict(boolean on) {
        this.strict = on;
        return this;
    }

    boolean isStrict() {
        return strict;
    }

    /** The backend's description of this convolution for a per-sample input shape (C, H, W). */
    public ConvSpec spec(Shape input) {
        // SAME padding and the stride check see the dilated kernel's span
        Padding2D p = padding.resolve(input.dim(1), input.dim(2), spanH(), spanW(), strideH, strideW);
        return new ConvSpec(kernelH, kernelW, strideH, strideW, p, dilationH, dilationW, groupsFor(input));
    }

    /** The output channels for a per-sample input shape; DepthwiseConv2D derives them from the input's channels. */
    int filtersFor(Shape input) {
        return filters;
    }

    /** The group count for a per-sample input shape; DepthwiseConv2D has one group per input channel. */
    int groupsFor(Shape input) {
        return groups;
    }

    private int spanH() {
        return Geometry.dilatedWindow(kernelH, dilationH);
    }

    private int spanW() {
        return Geometry.dilatedWindow(kernelW, dilationW);
    }

    private void checkGroups(Shape input) {
        int g = groupsFor(input);
        if (input.dim(0) % g != 0) {
            throw new IllegalArgumentException(name() + ": input " + input + " has " + input.dim(0)
                    + " channels, which cannot be split into " + g + " groups (not divisible)");
        }
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(name() + ": expects (channels, height, width) input, got " + input);
        }
        checkGroups(input);
        ConvSpec s = spec(input);
        Padding2D p = s.padding();
        int oh = Geometry.outputSize(input.dim(1), spanH(), strideH, p.top(), p.bottom(), name() + " height");
        int ow = Geometry.outputSize(input.dim(2), spanW(), strideW, p.left(), p.right(), name() + " width");
        StrideFit.check(LOG, name(), input, warned, strict, spanH(), spanW(), strideH, strideW, p);
        return Shape.of(filtersFor(input), oh, ow);
    }

    @Override
    public List<ParamSpec> parameterSpecs(Shape input) {
        checkGroups(input);
        // each filter sees its group's C/groups channels: (F·F·C/g)·K weights, fans as PyTorch counts them
        int k = filtersFor(input);
        int c = input.dim(0) / groupsFor(input);
        int fanIn = c * kernelH * kernelW;
        int fanOut = k * kernelH * kernelW;
        List<ParamSpec> specs = new ArrayList<>();
        specs.add(new ParamSpec("kernel", Shape.of(k, c, kernelH, kernelW),
                Initializers.forActivation(activation), fanIn, fanOut));
        if (useBias) {
            specs.add(new ParamSpec("bias", Shape.of(k), ParamSpec.Init.ZEROS, fanIn, fanOut));
        }
        return specs;
    }

    @Override
    protected void linearForward(Tensor input, Tensor z) {
        this.x = input;
        this.spec = spec(input.shape().withoutBatch());
        backend().convolution().forward(input, parameter("kernel").value(), useBias ? parameter("bias").value() : null, spec, z);
    }

    @Override
    protected Tensor linearBackward(Tensor dz, boolean inputGradient) {
        Parameter kernel = parameter("kernel");
        backend().convolution().backwardFilter(x, dz, spec, kernel.grad());
        if (useBias) {
            backend().convolution().biasBackward(dz, parameter("bias").grad());
        }
        if (!inputGradient) {
            return null;
        }
        Tensor dx = buffer("dx", x.shape());
        backend().convolution().backwardData(dz, kernel.value(), spec, dx);
        return dx;
    }
}
