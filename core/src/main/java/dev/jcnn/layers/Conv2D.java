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
 * use_bias)}: weights "kernel" (K, C, kh, kw) and "bias" (K). Output size per axis
 * O = floor((I − F + P_before + P_after)/S) + 1. When the stride does not fit exactly the
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
        Padding2D p = padding.resolve(input.dim(1), input.dim(2), kernelH, kernelW, strideH, strideW);
        return new ConvSpec(kernelH, kernelW, strideH, strideW, p);
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(name() + ": expects (channels, height, width) input, got " + input);
        }
        ConvSpec s = spec(input);
        Padding2D p = s.padding();
        int oh = Geometry.outputSize(input.dim(1), kernelH, strideH, p.top(), p.bottom(), name() + " height");
        int ow = Geometry.outputSize(input.dim(2), kernelW, strideW, p.left(), p.right(), name() + " width");
        StrideFit.check(LOG, name(), input, warned, strict, kernelH, kernelW, strideH, strideW, p);
        return Shape.of(filters, oh, ow);
    }

    @Override
    public List<ParamSpec> parameterSpecs(Shape input) {
        int c = input.dim(0);
        int fanIn = c * kernelH * kernelW;
        int fanOut = filters * kernelH * kernelW;
        List<ParamSpec> specs = new ArrayList<>();
        specs.add(new ParamSpec("kernel", Shape.of(filters, c, kernelH, kernelW),
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
