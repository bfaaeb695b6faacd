package dev.jcnn.backend;

/**
 * RMSprop as PyTorch's {@code torch.optim.RMSprop} defines it: g = grad + wd·w;
 * s = alpha·s + (1 − alpha)·g²; centered: a = alpha·a + (1 − alpha)·g and the denominator
 * sqrt(s − a²) + eps, else sqrt(s) + eps; with momentum b = momentum·b + g/denominator and
 * w −= lr·b, else w −= lr·g/denominator.
 */
public record RmsPropSpec(float learningRate, float alpha, float epsilon, float weightDecay, float momentum,
                          boolean centered) {

    public RmsPropSpec {
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("RMSprop: learning rate must be positive and finite, got " + learningRate);
        }
        if (!(alpha >= 0 && alpha < 1)) {
            throw new IllegalArgumentException("RMSprop: alpha must be in [0, 1), got " + alpha);
        }
        if (!(epsilon > 0) || !(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("RMSprop: epsilon must be positive and weight decay non-negative, got "
                    + epsilon + ", " + weightDecay);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("RMSprop: momentum must be in [0, 1), got " + momentum);
        }
    }

    /** PyTorch's defaults (alpha 0.99, eps 1e-8, no weight decay, no momentum, not centered) with this learning rate. */
    public static RmsPropSpec of(float learningRate) {
        return new RmsPropSpec(learningRate, 0.99f, 1e-8f, 0f, 0f, false);
    }
}
