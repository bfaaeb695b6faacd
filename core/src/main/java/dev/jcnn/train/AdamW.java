package dev.jcnn.train;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.layers.Parameter;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as PyTorch's
 * {@code torch.optim.AdamW}: each step first multiplies every weight by 1 − lr·weightDecay,
 * then takes Adam's bias-corrected step from the plain gradient. State: "name/m" and "name/v".
 */
public final class AdamW extends SlotOptimizer {

    /** PyTorch's default decoupled weight decay. */
    public static final float DEFAULT_WEIGHT_DECAY = 0.01f;

    private AdamSpec spec;

    /** PyTorch's defaults: betas 0.9/0.999, eps 1e-8, weight decay 0.01. */
    public AdamW(float learningRate) {
        this(new AdamSpec(learningRate, 0.9f, 0.999f, 1e-8f, DEFAULT_WEIGHT_DECAY));
    }

    /** The spec's weight decay is the decoupled one. */
    public AdamW(AdamSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("AdamW: expected a spec, got null");
        }
        this.spec = spec;
    }

    @Override
    protected List<String> slotNames() {
        return Adam.MOMENTS;
    }

    @Override
    protected void update(Parameter p, long step) {
        p.value().backend().optimizers().adamW(p.value(), p.grad(), slot(p, "m"), slot(p, "v"), spec, (int) step);
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
        return "AdamW(lr=" + spec.learningRate() + ", betas=" + spec.beta1() + "/" + spec.beta2() + ", weight decay="
                + spec.weightDecay() + ")";
    }
}
