package dev.jcnn.train;

import dev.jcnn.backend.RmsPropSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * RMSprop as PyTorch's {@code torch.optim.RMSprop} (see {@link RmsPropSpec}). State, by
 * PyTorch's names: "name/square_avg", with a centered spec "name/grad_avg", with momentum
 * "name/momentum_buffer".
 */
public final class RmsProp extends SlotOptimizer {

    private RmsPropSpec spec;

    /** PyTorch's defaults: alpha 0.99, eps 1e-8, no momentum, not centered. */
    public RmsProp(float learningRate) {
        this(RmsPropSpec.of(learningRate));
    }

    public RmsProp(RmsPropSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("RMSprop: expected a spec, got null");
        }
        this.spec = spec;
    }

    @Override
    protected List<String> slotNames() {
        List<String> names = new ArrayList<>(List.of("square_avg"));
        if (spec.centered()) {
            names.add("grad_avg");
        }
        if (spec.momentum() != 0f) {
            names.add("momentum_buffer");
        }
        return names;
    }

    @Override
    protected void update(Parameter p, long step) {
        Tensor gradAvg = spec.centered() ? slot(p, "grad_avg") : null;
        Tensor buffer = spec.momentum() != 0f ? slot(p, "momentum_buffer") : null;
        p.value().backend().optimizers().rmsProp(p.value(), p.grad(), slot(p, "square_avg"), gradAvg, buffer, spec);
    }

    @Override
    public float learningRate() {
        return spec.learningRate();
    }

    @Override
    public void setLearningRate(float lr) {
        spec = new RmsPropSpec(lr, spec.alpha(), spec.epsilon(), spec.weightDecay(), spec.momentum(), spec.centered());
    }

    @Override
    public String describe() {
        return "RMSprop(lr=" + spec.learningRate() + ", alpha=" + spec.alpha() + ", eps=" + spec.epsilon()
                + (spec.momentum() != 0f ? ", momentum=" + spec.momentum() : "") + (spec.centered() ? ", centered" : "")
                + (spec.weightDecay() > 0 ? ", weight decay=" + spec.weightDecay() : "") + ")";
    }
}
