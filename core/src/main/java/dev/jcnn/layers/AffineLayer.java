package dev.jcnn.layers;

import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;

/**
 * A linear map (convolution, dense) followed by an optional activation, as Keras'
 * {@code activation=} argument adds it. Subclasses supply only the linear part.
 */
public abstract class AffineLayer extends Layer implements ActivationOutput {

    protected Activation activation = Activation.LINEAR;
    protected boolean useBias = true;
    private boolean inputGradient = true;
    private Tensor z;
    private Tensor y;

    protected AffineLayer(String name) {
        super(name);
    }

    /** z = the linear map of x, written into z. */
    protected abstract void linearForward(Tensor x, Tensor z);

    /** Writes the parameter gradients from dz; returns dx, or null when {@code inputGradient} is false. */
    protected abstract Tensor linearBackward(Tensor dz, boolean inputGradient);

    @Override
    public Activation activation() {
        return activation;
    }

    public boolean usesBias() {
        return useBias;
    }

    /**
     * Whether backward computes the input's gradient. A model turns it off for its first
     * layer, whose input is data: that saves a whole backward-data pass per step.
     */
    public void computeInputGradient(boolean on) {
        this.inputGradient = on;
    }

    @Override
    public final Tensor forward(Tensor x, boolean training) {
        checkChannels(x);
        Shape out = outputShape(x.shape().withoutBatch()).withBatch(x.shape().batch());
        z = buffer("z", out);
        linearForward(x, z);
        if (activation == Activation.LINEAR) {
            y = z;
        } else {
            y = buffer("y", out);
            ActivationMath.forward(backend(), activation, z, y);
        }
        return y;
    }

    @Override
    public final Tensor backward(Tensor dy) {
        Tensor dz = dy;
        if (activation != Activation.LINEAR) {
            dz = buffer("dz", z.shape());
            ActivationMath.backward(backend(), activation, z, y, dy, dz);
        }
        return linearBackward(dz, inputGradient);
    }


    @Override
    public Tensor logits() {
        return z;
    }

    @Override
    public Tensor backwardFromLogits(Tensor dlogits) {
        return linearBackward(dlogits, inputGradient);
    }
}
