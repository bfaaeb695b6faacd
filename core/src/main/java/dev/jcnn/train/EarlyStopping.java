package dev.jcnn.train;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Stops {@code fit} when the monitored figure has not improved for {@code patience} epochs,
 * as Keras' {@code EarlyStopping}: an epoch improves when its figure beats the best so far by
 * more than {@code minDelta} (lower for losses, higher for accuracies); after each epoch that
 * does not, a counter goes up, and when it reaches patience (patience epochs in a row without
 * improvement; 0: the first) training stops (fit returns its
 * {@link History}, {@link History#stoppedEarly()} true). With restoreBestWeights, the weights
 * of the best epoch (a host copy taken at each improvement) are written back into the model
 * when it stops the run, as Keras does. One instance serves one {@code fit} call at a time;
 * its counters start afresh with each. Use it as the options' listener (or one of
 * {@link FitOptions#listeners}).
 */
public final class EarlyStopping implements TrainingListener {

    private static final Logger LOG = LogManager.getLogger(EarlyStopping.class);

    private final Monitor monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;
    private TrainingControl control;
    private double best;
    private int bestEpoch;
    private int wait;
    private WeightSnapshot bestWeights;
    private int stoppedEpoch;

    /**
     * @throws IllegalArgumentException when monitor is null, patience negative or minDelta negative
     */
    public EarlyStopping(Monitor monitor, int patience, double minDelta, boolean restoreBestWeights) {
        if (monitor == null) {
            throw new IllegalArgumentException("early stopping: expected a monitor, got null");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("early stopping: patience " + patience + ", expected 0 or more epochs");
        }
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = Monitor.checkMinDelta("early stopping", minDelta);
        this.restoreBestWeights = restoreBestWeights;
    }

    /** Watches the validation loss, no minimum delta, keeps the last weights. */
    public static EarlyStopping onValidationLoss(int patience) {
        return new EarlyStopping(Monitor.VAL_LOSS, patience, 0, false);
    }

    @Override
    public void onFitStart(TrainingControl c) {
        control = c;
        best = monitor.worst();
        bestEpoch = 0;
        wait = 0;
        bestWeights = null;
        stoppedEpoch = 0;
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        double value = monitor.value(stats, "early stopping");
        if (monitor.improves(value, best, minDelta)) {
            best = value;
            bestEpoch = stats.epoch();
            wait = 0;
            if (restoreBestWeights) {
                bestWeights = new WeightSnapshot(control.model());
            }
            return;
        }
        wait++;
        if (wait >= patience) {
            stoppedEpoch = stats.epoch();
            String reason = "early stopping: " + monitor.id() + " has not improved on " + best + " (epoch " + bestEpoch
                    + ") by more than " + minDelta + " for " + wait + " epochs";
            if (restoreBestWeights && bestWeights != null) {
                bestWeights.restore(control.model());
                reason += "; the weights of epoch " + bestEpoch + " restored";
            }
            LOG.info(reason);
            control.stop(reason);
        }
    }

    /** The best figure of the last run (the monitor's worst before any epoch). */
    public double best() {
        return best;
    }

    /** The epoch of the best figure; 0 before any. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The epoch after which it stopped the last run; 0 when it did not. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }
}
