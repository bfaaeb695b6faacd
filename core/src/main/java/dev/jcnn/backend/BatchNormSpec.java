package dev.jcnn.backend;

/**
 * Batch normalization settings, per channel (axis 1) over every other axis.
 *
 * @param epsilon       added to the variance before the square root; positive
 * @param averageFactor the weight of the batch statistics in the running averages:
 *                      running = (1 − f)·running + f·batch. This is PyTorch's {@code momentum}
 *                      and cuDNN's exponentialAverageFactor; Keras' momentum is 1 − f.
 */
public record BatchNormSpec(float epsilon, float averageFactor) {

    public BatchNormSpec {
        if (!(epsilon > 0f) || !Float.isFinite(epsilon)) {
            throw new IllegalArgumentException("batch normalization epsilon must be positive and finite, got " + epsilon);
        }
        if (!(averageFactor >= 0f && averageFactor <= 1f)) {
            throw new IllegalArgumentException("batch normalization average factor must lie in [0, 1], got " + averageFactor);
        }
    }
}
