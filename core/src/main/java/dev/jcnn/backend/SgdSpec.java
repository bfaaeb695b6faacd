package dev.jcnn.backend;

/**
 * Stochastic gradient descent, as PyTorch defines it: g = grad + weightDecay·w;
 * v = momentum·v + g; the step is g + momentum·v with Nesterov, v without; w −= lr·step.
 */
public record SgdSpec(float learningRate, float momentum, boolean nesterov, float weightDecay) {

    public SgdSpec {
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be non-negative and finite, got " + weightDecay);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs a momentum above 0");
        }
    }
}
