package dev.jcnn.layers;

import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;

/** An activation as a layer of its own, Keras' {@code Activation('relu')}. */
public class ActivationLayer extends Layer implements ActivationOutput {

    private final Activation activation;
    private Tensor x;
    private Tensor y;

    public ActivationLayer(Activation activation) {
        super(null);
        if (activation == null) {
            throw new IllegalArgumentException("Activation: the function must not be null");
        }
        this.activation = activation;
    }

    @Override
    public Activation activation() {
        return activation;
    }

    @Override
    public String type() {
        return "Activation(" + activation.name().toLowerCase(java.util.Locale.ROOT) + ")";
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
        ActivationMath.forward(backend(), activation, x, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dx = buffer("dx", x.shape());
        ActivationMath.backward(backend(), activation, x, y, dy, dx);
        return dx;
    }


    @Override
    public Tensor logits() {
        return x;
    }

    @Override
    public Tensor backwardFromLogits(Tensor dlogits) {
        return dlogits;
    }
}
