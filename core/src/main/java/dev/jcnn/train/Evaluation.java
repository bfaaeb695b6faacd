package dev.jcnn.train;

/** Mean loss and accuracy over a data set (accuracy NaN without class labels). */
public record Evaluation(double loss, double accuracy, int samples) {
}
