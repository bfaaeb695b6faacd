package dev.jcnn.train;

import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.Parameter;
import java.util.List;

/** Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay (PyTorch's definition). */
public final class Sgd extends SlotOptimizer {

    private SgdSpec spec;

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
    protected List<String> slotNames() {
        return spec.momentum() == 0 ? List.of() : List.of("velocity");
    }

    @Override
    protected void update(Parameter p, long step) {
        Tensor v = spec.momentum() == 0 ? null : slot(p, "velocity");
        p.value().backend().optimizers().sgd(p.value(), p.grad(), v, spec);
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
    public String describe() {
        return "SGD(lr=" + spec.learningRate() + ", momentum=" + spec.momentum()
                + (spec.nesterov() ? ", nesterov" : "") + (spec.weightDecay() > 0 ? ", weight decay=" + spec.weightDecay() : "") + ")";
    }
}
