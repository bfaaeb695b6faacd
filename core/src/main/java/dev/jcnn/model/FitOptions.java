package dev.jcnn.model;

/**
 * Settings for {@code fit}: epochs, batch size, shuffling, validation data, a listener
 * and, for resumed runs, the epoch to start from. Immutable; each method returns a copy.
 */
public record FitOptions(int epochs, int batchSize, boolean shuffle, long seed, int initialEpoch,
                         float[] validationX, int[] validationLabels, TrainingListener listener) {

    public FitOptions {
        if (epochs <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("epochs and batch size must be positive, got " + epochs + ", " + batchSize);
        }
        if (initialEpoch < 0 || initialEpoch > epochs) {
            throw new IllegalArgumentException("initial epoch " + initialEpoch + " must be in [0, " + epochs + "]");
        }
        if (listener == null) {
            listener = new TrainingListener() { };
        }
    }

    /** Shuffled each epoch with seed 0, no validation. */
    public static FitOptions of(int epochs, int batchSize) {
        return new FitOptions(epochs, batchSize, true, 0L, 0, null, null, null);
    }

    public FitOptions seed(long s) {
        return new FitOptions(epochs, batchSize, shuffle, s, initialEpoch, validationX, validationLabels, listener);
    }

    public FitOptions shuffle(boolean on) {
        return new FitOptions(epochs, batchSize, on, seed, initialEpoch, validationX, validationLabels, listener);
    }

    /** Epochs before this one are taken as done (a resumed run). */
    public FitOptions initialEpoch(int e) {
        return new FitOptions(epochs, batchSize, shuffle, seed, e, validationX, validationLabels, listener);
    }

    public FitOptions validation(float[] x, int[] labels) {
        return new FitOptions(epochs, batchSize, shuffle, seed, initialEpoch, x, labels, listener);
    }

    public FitOptions listener(TrainingListener l) {
        return new FitOptions(epochs, batchSize, shuffle, seed, initialEpoch, validationX, validationLabels, l);
    }
}
