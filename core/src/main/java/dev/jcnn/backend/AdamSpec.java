package dev.jcnn.backend;

/**
 * Adam (Kingma and Ba), as PyTorch defines it, with L2 weight decay added to the gradient:
 * m = b1·m + (1−b1)·g; v = b2·v + (1−b2)·g²; w −= lr·(m/(1−b1^t)) / (sqrt(v/(1−b2^t)) + eps).
 */
public record AdamSpec(float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {

    public AdamSpec {
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("epsilon must be positive and weight decay non-negative, got "
                    + epsilon + ", " + weightDecay);
        }
    }

    /** PyTorch's and Keras' defaults with the given learning rate. */
    public static AdamSpec of(float learningRate) {
        return new AdamSpec(learningRate, 0.9f, 0.999f, 1e-8f, 0f);
    }
}
