package dev.jcnn.layers;

import dev.jcnn.backend.ActivationSpec;

/** Leaky ReLU: x for x &gt; 0, slope·x otherwise (default slope 0.01, PyTorch's). */
public class LeakyReLU extends ParametricActivation {

    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float slope) {
        super(ActivationSpec.leakyRelu(slope));
    }
}
