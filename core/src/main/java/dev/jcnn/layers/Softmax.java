package dev.jcnn.layers;

/** Softmax over the channel axis as a layer, Keras' {@code Softmax()}. */
public class Softmax extends ActivationLayer {

    public Softmax() {
        super(Activation.SOFTMAX);
    }

    @Override
    public String type() {
        return "Softmax";
    }
}
