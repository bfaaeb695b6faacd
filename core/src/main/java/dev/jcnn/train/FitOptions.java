package dev.jcnn.train;

import dev.jcnn.data.SampleSource;
import dev.jcnn.tensor.Shape;

/**
 * Settings for {@code fit}: epochs, batch size, seeded shuffling, validation data, a listener
 * and, for resumed runs, the epoch to start from. Immutable; each method returns a copy.
 */
public final class FitOptions {

    private final int epochs;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final int initialEpoch;
    private final SampleSource validation;
    private final float[] validationX;
    private final int[] validationLabels;
    private final TrainingListener listener;

    private FitOptions(int epochs, int batchSize, boolean shuffle, long seed, int initialEpoch, SampleSource validation,
                       float[] validationX, int[] validationLabels, TrainingListener listener) {
        if (epochs <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("epochs and batch size must be positive, got " + epochs + ", " + batchSize);
        }
        if (initialEpoch < 0 || initialEpoch > epochs) {
            throw new IllegalArgumentException("initial epoch " + initialEpoch + " must be in [0, " + epochs + "]");
        }
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.initialEpoch = initialEpoch;
        this.validation = validation;
        this.validationX = validationX;
        this.validationLabels = validationLabels;
        this.listener = listener != null ? listener : new TrainingListener() { };
    }

    /** Shuffled each epoch with seed 0, no validation. */
    public static FitOptions of(int epochs, int batchSize) {
        return new FitOptions(epochs, batchSize, true, 0L, 0, null, null, null, null);
    }

    public FitOptions seed(long s) {
        return new FitOptions(epochs, batchSize, shuffle, s, initialEpoch, validation, validationX, validationLabels, listener);
    }

    /** Whether each epoch visits the samples in an order drawn from (seed, epoch); else in the source's order. */
    public FitOptions shuffle(boolean on) {
        return new FitOptions(epochs, batchSize, on, seed, initialEpoch, validation, validationX, validationLabels, listener);
    }

    /** Epochs before this one are taken as done (a resumed run). */
    public FitOptions initialEpoch(int e) {
        return new FitOptions(epochs, batchSize, shuffle, seed, e, validation, validationX, validationLabels, listener);
    }

    /** Evaluates on these samples after each epoch, in batches of the training batch size. */
    public FitOptions validation(SampleSource data) {
        return new FitOptions(epochs, batchSize, shuffle, seed, initialEpoch, data, null, null, listener);
    }

    /** Evaluates after each epoch on whole samples of the model's input shape with their labels. */
    public FitOptions validation(float[] x, int[] labels) {
        return new FitOptions(epochs, batchSize, shuffle, seed, initialEpoch, null, x, labels, listener);
    }

    public FitOptions listener(TrainingListener l) {
        return new FitOptions(epochs, batchSize, shuffle, seed, initialEpoch, validation, validationX, validationLabels, l);
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public long seed() {
        return seed;
    }

    public int initialEpoch() {
        return initialEpoch;
    }

    public TrainingListener listener() {
        return listener;
    }

    /** The validation samples for a model of this input shape (arrays are read in it), or null for none. */
    public SampleSource validation(Shape inputShape) {
        if (validationX != null) {
            return SampleSource.of(inputShape, validationX, validationLabels);
        }
        return validation;
    }
}
