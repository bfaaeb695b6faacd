package dev.jcnn.train;

/**
 * One epoch's figures. {@code accuracy} is the loss's metric (accuracy for class labels,
 * binary accuracy for binary cross-entropy), NaN for a loss without one; validation values
 * are NaN when no validation data was given.
 */
public record EpochStats(int epoch, double loss, double accuracy, double valLoss, double valAccuracy,
                         double seconds, double imagesPerSecond) {
}
