package dev.jcnn.layers;

import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * A fully connected layer, Keras' {@code Dense(units, activation)}: y = x·Wᵀ + b with
 * "kernel" (units, in) and "bias" (units). Its input must be flat: put a {@link Flatten}
 * after convolutions.
 */
public class Dense extends AffineLayer {

    private final int units;
    private Tensor x;

    public Dense(int units) {
        super(null);
        if (units <= 0) {
            throw new IllegalArgumentException("Dense: units must be positive, got " + units);
        }
        this.units = units;
    }

    public Dense(int units, Activation activation) {
        this(units);
        this.activation = activation;
    }

    public Dense activation(Activation a) {
        this.activation = a;
        return this;
    }

    public Dense useBias(boolean on) {
        this.useBias = on;
        return this;
    }

    public int units() {
        return units;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 1) {
            throw new IllegalArgumentException(name() + ": expects a flat input (features), got " + input
                    + "; add a Flatten layer before it");
        }
        return Shape.of(units);
    }

    @Override
    public List<ParamSpec> parameterSpecs(Shape input) {
        outputShape(input);
        int in = input.dim(0);
        List<ParamSpec> specs = new ArrayList<>();
        specs.add(new ParamSpec("kernel", Shape.of(units, in), Initializers.forActivation(activation), in, units));
        if (useBias) {
            specs.add(new ParamSpec("bias", Shape.of(units), ParamSpec.Init.ZEROS, in, units));
        }
        return specs;
    }

    @Override
    protected void linearForward(Tensor input, Tensor z) {
        this.x = input;
        backend().dense().forward(input, parameter("kernel").value(), useBias ? parameter("bias").value() : null, z);
    }

    @Override
    protected Tensor linearBackward(Tensor dz, boolean inputGradient) {
        Parameter kernel = parameter("kernel");
        backend().dense().backwardWeights(x, dz, kernel.grad());
        if (useBias) {
            backend().convolution().biasBackward(dz, parameter("bias").grad());
        }
        if (!inputGradient) {
            return null;
        }
        Tensor dx = buffer("dx", x.shape());
        backend().dense().backwardData(dz, kernel.value(), dx);
        return dx;
    }
}
