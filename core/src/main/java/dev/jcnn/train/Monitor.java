package dev.jcnn.train;

import java.util.Locale;

/**
 * An epoch figure that a callback watches ({@link EarlyStopping}, {@link ReduceLearningRateOnPlateau},
 * {@link BestModelCheckpoint}), by Keras' names, with the direction that counts as better.
 */
public enum Monitor {
    /** The training loss; lower is better. */
    LOSS(false),
    /** The loss's metric on the training batches; higher is better. */
    ACCURACY(true),
    /** The validation loss; lower is better. */
    VAL_LOSS(false),
    /** The loss's metric on the validation data; higher is better. */
    VAL_ACCURACY(true);

    private final boolean higherIsBetter;

    Monitor(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    /** Keras' name: "loss", "accuracy", "val_loss", "val_accuracy". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /**
     * The figure of this epoch.
     *
     * @throws IllegalStateException when the epoch has none (validation figures without
     *     validation data, accuracy for a loss without a metric), naming the callback
     */
    public double value(EpochStats stats, String callback) {
        double v = switch (this) {
            case LOSS -> stats.loss();
            case ACCURACY -> stats.accuracy();
            case VAL_LOSS -> stats.valLoss();
            case VAL_ACCURACY -> stats.valAccuracy();
        };
        if (Double.isNaN(v)) {
            throw new IllegalStateException(callback + " monitors " + id() + ", but epoch " + stats.epoch() + " has none"
                    + (this == VAL_LOSS || this == VAL_ACCURACY ? " (fit was given no validation data)"
                    : " (the loss has no metric)"));
        }
        return v;
    }

    /** Whether value improves on best by more than minDelta in this figure's direction. */
    public boolean improves(double value, double best, double minDelta) {
        return higherIsBetter ? value > best + minDelta : value < best - minDelta;
    }

    /** The worst possible figure, where every first epoch improves. */
    double worst() {
        return higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /**
     * The monitor of this name, in any case.
     *
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static Monitor parse(String name) {
        for (Monitor m : values()) {
            if (m.id().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("monitor '" + name + "': expected loss, accuracy, val_loss or val_accuracy");
    }

    static double checkMinDelta(String callback, double minDelta) {
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException(callback + ": min delta " + minDelta + ", expected 0 or more, finite");
        }
        return minDelta;
    }
}
