package dev.jcnn.train;

import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay (PyTorch's definition). */
public final class Sgd implements Optimizer {

    private SgdSpec spec;
    private final Map<String, Tensor> velocity = new LinkedHashMap<>();
    private long iterations;

    public Sgd(float learningRate) {
        this(learningRate, 0f, false, 0f);
    }

    public Sgd(float learningRate, float momentum) {
        this(learningRate, momentum, false, 0f);
    }

    public Sgd(float learningRate, float momentum, boolean nesterov, float weightDecay) {
        this.spec = new SgdSpec(learningRate, momentum, nesterov, weightDecay);
    }

    @Override
    public void step(List<Parameter> parameters) {
        for (Parameter p : parameters) {
            Tensor v = spec.momentum() == 0 ? null : velocity.computeIfAbsent(p.name(),
                    k -> p.value().backend().allocate(p.value().shape()));
            p.value().backend().optimizers().sgd(p.value(), p.grad(), v, spec);
        }
        iterations++;
    }

    @Override
    public float learningRate() {
        return spec.learningRate();
    }

    @Override
    public void setLearningRate(float lr) {
        spec = new SgdSpec(lr, spec.momentum(), spec.nesterov(), spec.weightDecay());
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
        if (spec.momentum() == 0) {
            return out;
        }
        for (Parameter p : parameters) {
            out.put(p.name() + "/velocity", velocity.computeIfAbsent(p.name(),
                    k -> p.value().backend().allocate(p.value().shape())));
        }
        return out;
    }

    @Override
    public String describe() {
        return "SGD(lr=" + spec.learningRate() + ", momentum=" + spec.momentum()
                + (spec.nesterov() ? ", nesterov" : "") + (spec.weightDecay() > 0 ? ", weight decay=" + spec.weightDecay() : "") + ")";
    }

    @Override
    public void close() {
        velocity.values().forEach(Tensor::close);
        velocity.clear();
    }
}
