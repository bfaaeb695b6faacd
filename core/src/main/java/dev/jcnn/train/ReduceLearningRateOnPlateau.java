package dev.jcnn.train;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Multiplies the optimizer's learning rate by {@code factor} when the monitored figure has not
 * improved (by more than {@code minDelta}) for {@code patience} epochs, as Keras'
 * {@code ReduceLROnPlateau}: after a reduction the count starts again, and for
 * {@code cooldown} epochs no epoch counts; the rate never goes below {@code minimum}. It sets
 * the rate at epoch ends, so it is meant for runs without a {@link LearningRateSchedule}
 * (which would set the rate again). Its counters start afresh with each {@code fit} call.
 */
public final class ReduceLearningRateOnPlateau implements TrainingListener {

    private static final Logger LOG = LogManager.getLogger(ReduceLearningRateOnPlateau.class);

    private final Monitor monitor;
    private final double factor;
    private final int patience;
    private final double minDelta;
    private final int cooldown;
    private final float minimum;
    private TrainingControl control;
    private double best;
    private int wait;
    private int cooldownLeft;

    /**
     * @throws IllegalArgumentException when monitor is null, factor outside (0, 1), patience
     *     or cooldown negative, minDelta or minimum negative
     */
    public ReduceLearningRateOnPlateau(Monitor monitor, double factor, int patience, double minDelta, int cooldown,
            float minimum) {
        if (monitor == null) {
            throw new IllegalArgumentException("reduce on plateau: expected a monitor, got null");
        }
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("reduce on plateau: factor " + factor + ", expected in (0, 1)");
        }
        if (patience < 0 || cooldown < 0) {
            throw new IllegalArgumentException("reduce on plateau: patience " + patience + " and cooldown " + cooldown
                    + ", expected 0 or more epochs");
        }
        if (!(minimum >= 0) || !Float.isFinite(minimum)) {
            throw new IllegalArgumentException("reduce on plateau: minimum rate " + minimum + ", expected 0 or more");
        }
        this.monitor = monitor;
        this.factor = factor;
        this.patience = patience;
        this.minDelta = Monitor.checkMinDelta("reduce on plateau", minDelta);
        this.cooldown = cooldown;
        this.minimum = minimum;
    }

    /** Keras' defaults on this monitor: factor 0.1, patience 10, min delta 1e-4, no cooldown, minimum 0. */
    public static ReduceLearningRateOnPlateau of(Monitor monitor) {
        return new ReduceLearningRateOnPlateau(monitor, 0.1, 10, 1e-4, 0, 0f);
    }

    @Override
    public void onFitStart(TrainingControl c) {
        control = c;
        best = monitor.worst();
        wait = 0;
        cooldownLeft = 0;
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        double value = monitor.value(stats, "reduce on plateau");
        boolean cooling = cooldownLeft > 0;
        if (cooling) {
            cooldownLeft--;
            wait = 0;
        }
        if (monitor.improves(value, best, minDelta)) {
            best = value;
            wait = 0;
        } else if (!cooling) {
            wait++;
            if (wait >= patience) {
                Optimizer o = control.optimizer();
                float old = o.learningRate();
                if (old > minimum) {
                    float lr = (float) Math.max(old * factor, minimum);
                    o.setLearningRate(lr);
                    LOG.info("epoch {}: {} has not improved on {} for {} epochs; learning rate {} -> {}", stats.epoch(),
                            monitor.id(), best, wait, old, lr);
                    cooldownLeft = cooldown;
                    wait = 0;
                }
            }
        }
    }
}
