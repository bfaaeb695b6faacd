package dev.jcnn.train;

/**
 * What a {@link TrainingListener} may reach of the run it listens to ({@link
 * TrainingListener#onFitStart}): the model and optimizer being trained, and a clean stop.
 */
public interface TrainingControl {

    /** The model being trained. */
    Trainable model();

    /** The optimizer updating it. */
    Optimizer optimizer();

    /**
     * Asks {@code fit} to stop: it finishes the step under way, ends the epoch there (its
     * figures cover the batches trained, the validation runs and {@code onEpochEnd} is called),
     * then returns its {@link History}, which records the reason. A request in
     * {@code onEpochEnd} stops after that epoch. The first reason given is kept.
     */
    void stop(String reason);

    /** Whether a stop has been asked for. */
    boolean stopRequested();
}
