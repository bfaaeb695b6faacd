package dev.jcnn.train;

/** Mean loss and the loss's metric over a data set ({@code accuracy}: NaN for a loss without a metric). */
public record Evaluation(double loss, double accuracy, int samples) {
}
