package dev.jcnn.train;

/**
 * One epoch's figures. Validation values are NaN when no validation data was given;
 * accuracy is NaN for losses without class labels.
 */
public record EpochStats(int epoch, double loss, double accuracy, double valLoss, double valAccuracy,
                         double seconds, double imagesPerSecond) {
}
