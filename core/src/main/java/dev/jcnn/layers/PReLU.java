package dev.jcnn.layers;

import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.List;

/** Parametric ReLU: x for x &gt; 0, alpha[c]·x otherwise, with one learned "alpha" per channel (starting at 0.25). */
public class PReLU extends Layer {

    private Tensor x;

    public PReLU() {
        super(null);
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public List<ParamSpec> parameterSpecs(Shape input) {
        return List.of(new ParamSpec("alpha", Shape.of(input.dim(0)), ParamSpec.Init.QUARTER, 1, 1));
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkChannels(input);
        x = input;
        Tensor y = buffer("y", input.shape());
        backend().activations().preluForward(x, parameter("alpha").value(), y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Parameter alpha = parameter("alpha");
        Tensor dx = buffer("dx", x.shape());
        backend().activations().preluBackward(x, alpha.value(), dy, dx, alpha.grad());
        return dx;
    }
}
