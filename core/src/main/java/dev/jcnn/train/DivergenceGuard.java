package dev.jcnn.train;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Watches the loss of a run for divergence that stays finite (Adam at a huge learning rate
 * reaches losses of 1e36 and more): the loss smoothed over about 20 steps, against its
 * running minimum. Far above it warns once until it falls back; very far above it, and above
 * the run's first loss (so that a fit that reached a loss near zero may bounce back up to
 * where it started), it stops the run.
 */
final class DivergenceGuard {

    private static final Logger LOG = LogManager.getLogger(DivergenceGuard.class);
    /** The exponential average's weight of the newest step: about the last 20 steps count. */
    private static final double NEWEST = 0.05;

    private final String model;
    private final double warnFactor;
    private final double stopFactor;
    private double first = Double.NaN;
    private double smoothed = Double.NaN;
    private double minimum = Double.POSITIVE_INFINITY;
    private boolean warned;

    DivergenceGuard(String model, double warnFactor, double stopFactor) {
        this.model = model;
        this.warnFactor = warnFactor;
        this.stopFactor = stopFactor;
    }

    /**
     * Takes a step's (finite) loss; warns or throws as the class says.
     *
     * @param where the step, in words, for messages
     */
    void observe(float loss, String where) {
        if (Double.isNaN(first)) {
            first = loss;
            smoothed = loss;
        } else {
            smoothed += NEWEST * (loss - smoothed);
        }
        minimum = Math.min(minimum, smoothed);
        double floor = Math.max(minimum, Float.MIN_NORMAL);
        if (smoothed > stopFactor * floor && smoothed > first) {
            throw new TrainingDivergedException("loss diverged at " + where + ": the smoothed loss " + g(smoothed) + " is "
                    + g(smoothed / floor) + " times its minimum " + g(minimum) + " and above the first loss " + g(first)
                    + " (the guard stops at " + g(stopFactor) + " times); try a lower learning rate");
        }
        if (smoothed > warnFactor * floor) {
            if (!warned) {
                warned = true;
                LOG.warn("model {}: the loss may be diverging at {}: the smoothed loss {} is {} times its minimum {}",
                        model, where, g(smoothed), g(smoothed / floor), g(minimum));
            }
        } else {
            warned = false;
        }
    }

    private static String g(double v) {
        return String.format("%.4g", v);
    }
}
