package dev.jcnn.train;

/**
 * Hooks into {@code fit}: progress bars, checkpoints, logs, early stopping. Every method does
 * nothing by default. A listener that needs the model or the optimizer, or may stop the run,
 * takes the {@link TrainingControl} handed to {@link #onFitStart}.
 */
public interface TrainingListener {

    /** Before the first epoch of a {@code fit} call, with the run's control. */
    default void onFitStart(TrainingControl control) {
    }

    default void onEpochStart(int epoch, int batches) {
    }

    /** After each step, with the running mean loss and accuracy of the epoch so far. */
    default void onBatchEnd(int epoch, int batch, double runningLoss, double runningAccuracy) {
    }

    default void onEpochEnd(EpochStats stats) {
    }

    /** After the last epoch (also when a listener stopped the run), before {@code fit} returns the history. */
    default void onFitEnd(History history) {
    }
}
