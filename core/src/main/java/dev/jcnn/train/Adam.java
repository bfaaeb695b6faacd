package dev.jcnn.train;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Adam with bias correction and optional L2 weight decay (PyTorch's definition). */
public final class Adam implements Optimizer {

    private AdamSpec spec;
    private final Map<String, Tensor> moments = new LinkedHashMap<>();
    private long iterations;

    public Adam(float learningRate) {
        this(AdamSpec.of(learningRate));
    }

    public Adam(AdamSpec spec) {
        this.spec = spec;
    }

    @Override
    public void step(List<Parameter> parameters) {
        iterations++;
        for (Parameter p : parameters) {
            Tensor m = slot(p, "m");
            Tensor v = slot(p, "v");
            p.value().backend().optimizers().adam(p.value(), p.grad(), m, v, spec, (int) iterations);
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
        return "Adam(lr=" + spec.learningRate() + ", betas=" + spec.beta1() + "/" + spec.beta2() + ")";
    }

    @Override
    public void close() {
        moments.values().forEach(Tensor::close);
        moments.clear();
    }
}
