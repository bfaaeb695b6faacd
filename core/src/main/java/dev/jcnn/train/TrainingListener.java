package dev.jcnn.train;

/** Hooks into {@code fit}: progress bars, checkpoints, logs. Every method does nothing by default. */
public interface TrainingListener {

    default void onEpochStart(int epoch, int batches) {
    }

    /** After each step, with the running mean loss and accuracy of the epoch so far. */
    default void onBatchEnd(int epoch, int batch, double runningLoss, double runningAccuracy) {
    }

    default void onEpochEnd(EpochStats stats) {
    }
}
