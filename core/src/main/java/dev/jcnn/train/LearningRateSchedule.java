package dev.jcnn.train;

/**
 * The learning rate as a function of the run's position, as PyTorch's
 * {@code torch.optim.lr_scheduler} and Keras' {@code LearningRateSchedule} define it. The
 * position counts from 0 in the schedule's {@link Unit}: {@link Unit#STEP} is the number of
 * optimizer updates done before the step (the optimizer's {@link Optimizer#iterations()}, which
 * checkpoints keep), like a PyTorch scheduler stepped after every batch or a Keras schedule;
 * {@link Unit#EPOCH} is the number of epochs done (epoch − 1), like a PyTorch scheduler
 * stepped after every epoch. The rate is a pure function of the position, so a resumed run
 * continues with exactly the rates of an uninterrupted one. {@code fit} sets it on the
 * optimizer before every step, or at the start of every epoch ({@link FitOptions#schedule}).
 */
public interface LearningRateSchedule {

    /** What the position counts. */
    enum Unit {
        /** Optimizer updates: the rate may change at every step. */
        STEP,
        /** Finished epochs: the rate is constant within an epoch. */
        EPOCH
    }

    Unit unit();

    /** The learning rate at this position (≥ 0). */
    float learningRate(long position);

    /** For logs, e.g. "step(lr=0.1, every 30 epochs × 0.1)". */
    String describe();

    /**
     * PyTorch's {@code StepLR}: base · gamma^⌊position / stepSize⌋.
     *
     * @throws IllegalArgumentException when base is not positive, stepSize below 1 or gamma outside (0, 1]
     */
    static LearningRateSchedule step(float base, int stepSize, double gamma, Unit unit) {
        checkBase(base);
        if (stepSize < 1) {
            throw new IllegalArgumentException("step schedule: step size " + stepSize + ", expected at least 1");
        }
        checkGamma("step", gamma);
        return new Schedules.Step(base, stepSize, gamma, checkUnit(unit));
    }

    /**
     * PyTorch's {@code ExponentialLR}: base · gamma^position.
     *
     * @throws IllegalArgumentException when base is not positive or gamma outside (0, 1]
     */
    static LearningRateSchedule exponential(float base, double gamma, Unit unit) {
        checkBase(base);
        checkGamma("exponential", gamma);
        return new Schedules.Exponential(base, gamma, checkUnit(unit));
    }

    /**
     * Cosine annealing after a linear warm-up, as PyTorch's {@code SequentialLR} of
     * {@code LinearLR(start_factor = 1/(warmup + 1), total_iters = warmup)} and
     * {@code CosineAnnealingLR(T_max = total − warmup, eta_min = minimum)} with the milestone at
     * warmup: for position t below warmup, base · (t + 1)/(warmup + 1); from warmup to total,
     * minimum + (base − minimum) · (1 + cos(π (t − warmup)/(total − warmup)))/2; from total on,
     * minimum (where PyTorch's cosine would rise again).
     *
     * @throws IllegalArgumentException when base is not positive, warmup negative, total not
     *     above warmup, or minimum outside [0, base]
     */
    static LearningRateSchedule cosine(float base, long total, long warmup, float minimum, Unit unit) {
        checkBase(base);
        if (warmup < 0 || total <= warmup) {
            throw new IllegalArgumentException("cosine schedule: " + warmup + " warm-up and " + total
                    + " positions in all; expected a warm-up of 0 or more, shorter than the whole");
        }
        if (!(minimum >= 0 && minimum <= base)) {
            throw new IllegalArgumentException("cosine schedule: minimum rate " + minimum + ", expected 0 to the base "
                    + base);
        }
        return new Schedules.Cosine(base, total, warmup, minimum, checkUnit(unit));
    }

    private static void checkBase(float base) {
        if (!(base > 0) || !Float.isFinite(base)) {
            throw new IllegalArgumentException("learning-rate schedule: base rate " + base + ", expected positive and finite");
        }
    }

    private static void checkGamma(String what, double gamma) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException(what + " schedule: gamma " + gamma + ", expected in (0, 1]");
        }
    }

    private static Unit checkUnit(Unit unit) {
        if (unit == null) {
            throw new IllegalArgumentException("learning-rate schedule: expected a unit (STEP or EPOCH), got null");
        }
        return unit;
    }
}
