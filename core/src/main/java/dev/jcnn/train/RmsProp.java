package dev.jcnn.train;

import dev.jcnn.backend.RmsPropSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop as PyTorch's {@code torch.optim.RMSprop} (see {@link RmsPropSpec}). State, by
 * PyTorch's names: "name/square_avg", with a centered spec "name/grad_avg", with momentum
 * "name/momentum_buffer".
 */
public final class RmsProp implements Optimizer {

    private RmsPropSpec spec;
    private final Map<String, Tensor> slots = new LinkedHashMap<>();
    private long iterations;

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
    public void step(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            Tensor gradAvg = spec.centered() ? slot(p, "grad_avg") : null;
            Tensor buffer = spec.momentum() != 0f ? slot(p, "momentum_buffer") : null;
            p.value().backend().optimizers().rmsProp(p.value(), p.grad(), slot(p, "square_avg"), gradAvg, buffer, spec);
        }
        iterations++;
    }

    private Tensor slot(Parameter p, String slot) {
        return slots.computeIfAbsent(p.name() + "/" + slot, k -> p.value().backend().allocate(p.value().shape()));
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
    public long iterations() {
        return iterations;
    }

    @Override
    public void setIterations(long n) {
        iterations = n;
    }

    @Override
    public Map<String, Tensor> state(List<Parameter> parameters) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            out.put(p.name() + "/square_avg", slot(p, "square_avg"));
            if (spec.centered()) {
                out.put(p.name() + "/grad_avg", slot(p, "grad_avg"));
            }
            if (spec.momentum() != 0f) {
                out.put(p.name() + "/momentum_buffer", slot(p, "momentum_buffer"));
            }
        }
        return out;
    }

    @Override
    public String describe() {
        return "RMSprop(lr=" + spec.learningRate() + ", alpha=" + spec.alpha() + ", eps=" + spec.epsilon()
                + (spec.momentum() != 0f ? ", momentum=" + spec.momentum() : "") + (spec.centered() ? ", centered" : "")
                + (spec.weightDecay() > 0 ? ", weight decay=" + spec.weightDecay() : "") + ")";
    }

    @Override
    public void close() {
        slots.values().forEach(Tensor::close);
        slots.clear();
    }
}
