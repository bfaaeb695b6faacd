package dev.jcnn.layers;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;

/** An elementwise activation with a fixed parameter (Leaky ReLU's slope, ELU's alpha). */
abstract class ParametricActivation extends Layer {

    private final ActivationSpec spec;
    private Tensor x;
    private Tensor y;

    ParametricActivation(ActivationSpec spec) {
        super(null);
        this.spec = spec;
    }

    public ActivationSpec spec() {
        return spec;
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkChannels(input);
        x = input;
        y = buffer("y", input.shape());
        backend().activations().forward(spec, x, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dx = buffer("dx", x.shape());
        backend().activations().backward(spec, x, y, dy, dx);
        return dx;
    }
}
