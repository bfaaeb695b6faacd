package dev.jcnn.train;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as PyTorch's
 * {@code torch.optim.AdamW}: each step first multiplies every weight by 1 − lr·weightDecay,
 * then takes Adam's bias-corrected step from the plain gradient. State: "name/m" and "name/v".
 */
public final class AdamW implements Optimizer {

    /** PyTorch's default decoupled weight decay. */
    public static final float DEFAULT_WEIGHT_DECAY = 0.01f;

    private AdamSpec spec;
    private final Map<String, Tensor> moments = new LinkedHashMap<>();
    private long iterations;

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
    public void step(List<Parameter> parameters) {
        iterations++;
        for (Parameter p : parameters) {
            Tensor m = slot(p, "m");
            Tensor v = slot(p, "v");
            p.value().backend().optimizers().adamW(p.value(), p.grad(), m, v, spec, (int) iterations);
        }
    }

    private Tensor slot(Parameter p, String slot) {
        return moments.computeIfAbsent(p.name() + "/" + slot, k -> p.value().backend().allocate(p.value().shape()));
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
            out.put(p.name() + "/m", slot(p, "m"));
            out.put(p.name() + "/v", slot(p, "v"));
        }
        return out;
    }

    @Override
    public String describe() {
        return "AdamW(lr=" + spec.learningRate() + ", betas=" + spec.beta1() + "/" + spec.beta2() + ", weight decay="
                + spec.weightDecay() + ")";
    }

    @Override
    public void close() {
        moments.values().forEach(Tensor::close);
        moments.clear();
    }
}
