package dev.jcnn.train;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.layers.Parameter;
import java.util.List;

/** Adam with bias correction and optional L2 weight decay (PyTorch's definition). */
public final class Adam extends SlotOptimizer {

    /** The slots: the first and second moments. */
    static final List<String> MOMENTS = List.of("m", "v");

    private AdamSpec spec;

    public Adam(float learningRate) {
        this(AdamSpec.of(learningRate));
    }

    public Adam(AdamSpec spec) {
        this.spec = spec;
    }

    @Override
    protected List<String> slotNames() {
        return MOMENTS;
    }

    @Override
    protected void update(Parameter p, long step) {
        p.value().backend().optimizers().adam(p.value(), p.grad(), slot(p, "m"), slot(p, "v"), spec, (int) step);
    }

    @Override
    public float learningRate() {
        return spec.learningRate();
    }

    @Override
    public void setLearningRate(float lr) {
        spec = new AdamSpec(lr, spec.beta1(), spec.beta2(), spec.epsilon(), spec.weightDecay());
    }

    @Override
    public String describe() {
        return "Adam(lr=" + spec.learningRate() + ", betas=" + spec.beta1() + "/" + spec.beta2() + ")";
    }
}
