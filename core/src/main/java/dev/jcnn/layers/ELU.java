package dev.jcnn.layers;

import dev.jcnn.backend.ActivationSpec;

/** ELU: x for x &gt; 0, alpha·(e^x − 1) otherwise (default alpha 1). */
public class ELU extends ParametricActivation {

    public ELU() {
        this(1f);
    }

    public ELU(float alpha) {
        super(ActivationSpec.elu(alpha));
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("ELU: alpha must be positive, got " + alpha);
        }
    }
}
