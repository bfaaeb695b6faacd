package dev.jcnn.train;

import dev.jcnn.data.Augmentation;
import dev.jcnn.data.SampleSource;
import dev.jcnn.tensor.Shape;

/**
 * Settings for {@code fit}: epochs, batch size, seeded shuffling, augmentation of the
 * training data, batches prepared on background threads, validation data, a listener, for
 * resumed runs the epoch to start from, a learning-rate schedule, gradient clipping by global
 * norm, and the divergence checks. Immutable; each method returns a copy.
 *
 * <p>Divergence checks: a non-finite loss always stops training. The parameters are checked
 * finite every {@link #finiteCheckEvery} steps (default 1) and at every epoch's end, with the
 * optimizer's state; the first non-finite parameter stops training with a
 * {@link TrainingDivergedException} naming the step and the layer. The {@link #divergenceGuard}
 * compares the smoothed loss with its running minimum: far above it, it warns; very far above
 * it, and above the run's first loss, it stops training.
 */
public final class FitOptions implements Cloneable {

    /** The default {@link #divergenceGuard} factors: warn at 100× the smoothed loss's minimum, stop at 10^6×. */
    public static final double WARN_FACTOR = 100;
    public static final double STOP_FACTOR = 1e6;

    private final int epochs;
    private final int batchSize;
    private boolean shuffle = true;
    private long seed;
    private int initialEpoch;
    private SampleSource validation;
    private float[] validationX;
    private int[] validationLabels;
    private TrainingListener listener = new TrainingListener() { };
    private int finiteCheckEvery = 1;
    private double warnFactor = WARN_FACTOR;
    private double stopFactor = STOP_FACTOR;
    private Augmentation augmentation = Augmentation.none();
    private int loaderThreads;
    private int prefetchDepth;
    private LearningRateSchedule schedule;
    private float clipNorm;

    private FitOptions(int epochs, int batchSize) {
        if (epochs <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("epochs and batch size must be positive, got " + epochs + ", " + batchSize);
        }
        this.epochs = epochs;
        this.batchSize = batchSize;
    }

    /** Shuffled each epoch with seed 0, no validation, parameters checked finite at every step. */
    public static FitOptions of(int epochs, int batchSize) {
        return new FitOptions(epochs, batchSize);
    }

    private FitOptions copy() {
        try {
            return (FitOptions) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    public FitOptions seed(long s) {
        FitOptions o = copy();
        o.seed = s;
        return o;
    }

    /** Whether each epoch visits the samples in an order drawn from (seed, epoch); else in the source's order. */
    public FitOptions shuffle(boolean on) {
        FitOptions o = copy();
        o.shuffle = on;
        return o;
    }

    /** Epochs before this one are taken as done (a resumed run). */
    public FitOptions initialEpoch(int e) {
        if (e < 0 || e > epochs) {
            throw new IllegalArgumentException("initial epoch " + e + " must be in [0, " + epochs + "]");
        }
        FitOptions o = copy();
        o.initialEpoch = e;
        return o;
    }

    /** Evaluates on these samples after each epoch, in batches of the training batch size. */
    public FitOptions validation(SampleSource data) {
        FitOptions o = copy();
        o.validation = data;
        o.validationX = null;
        o.validationLabels = null;
        return o;
    }

    /** Evaluates after each epoch on whole samples of the model's input shape with their labels. */
    public FitOptions validation(float[] x, int[] labels) {
        FitOptions o = copy();
        o.validation = null;
        o.validationX = x;
        o.validationLabels = labels;
        return o;
    }

    /**
     * Changes each training image as the augmentation draws it from (seed, epoch, sample
     * index); validation, {@code evaluate} and {@code predict} always see the images as they are.
     */
    public FitOptions augmentation(Augmentation a) {
        if (a == null) {
            throw new IllegalArgumentException("augmentation: expected one (Augmentation.none() for none), got null");
        }
        FitOptions o = copy();
        o.augmentation = a;
        return o;
    }

    /**
     * Prepares training batches (read, augment, pack) on {@code threads} background threads,
     * up to {@code depth} batches ahead of the step that trains on them, while the backend
     * computes. The batches and their order are the same for any thread count, as each batch
     * is drawn from (seed, epoch, batch number) alone. 0 threads (the default) reads each batch
     * on the training thread when it is needed. With threads the source is read from several
     * threads at once: the sources of {@code dev.jcnn.data} allow it.
     *
     * @throws IllegalArgumentException when threads is outside 0..64 or depth below threads (and 1)
     */
    public FitOptions prefetch(int threads, int depth) {
        if (threads < 0 || threads > 64) {
            throw new IllegalArgumentException("prefetch: threads " + threads + ", expected 0 (none) to 64");
        }
        if (threads > 0 && (depth < threads || depth > 1024)) {
            throw new IllegalArgumentException("prefetch: depth " + depth + " batches ahead with " + threads
                    + " threads; expected " + threads + " to 1024 (at least one batch per thread)");
        }
        FitOptions o = copy();
        o.loaderThreads = threads;
        o.prefetchDepth = threads == 0 ? 0 : depth;
        return o;
    }

    /**
     * Sets the optimizer's learning rate from the schedule before every step (unit STEP, at
     * the optimizer's iteration count) or at the start of every epoch (unit EPOCH, at the
     * epochs done); null for none (the optimizer's rate as it is).
     */
    public FitOptions schedule(LearningRateSchedule s) {
        FitOptions o = copy();
        o.schedule = s;
        return o;
    }

    /**
     * Clips the gradients by their global norm before every update
     * ({@link GradientClipping#clipByGlobalNorm}, PyTorch's {@code clip_grad_norm_}); 0 turns it off.
     *
     * @throws IllegalArgumentException when maxNorm is negative, NaN or infinite
     */
    public FitOptions gradientClipping(float maxNorm) {
        if (maxNorm != 0) {
            GradientClipping.checkMaxNorm(maxNorm);
        }
        FitOptions o = copy();
        o.clipNorm = maxNorm;
        return o;
    }

    /** Several listeners, called in this order. */
    public FitOptions listeners(TrainingListener... all) {
        return listener(TrainingListeners.of(all));
    }

    public FitOptions listener(TrainingListener l) {
        FitOptions o = copy();
        o.listener = l != null ? l : new TrainingListener() { };
        return o;
    }

    /**
     * Checks the parameters finite after every {@code steps} optimizer steps (1, the default:
     * after each; 0: only at each epoch's end). Each check reads every parameter to the host:
     * next to a step's work that is little on the CPU (LeNet-5's 61,706 floats against its
     * ~1 ms step of 64 images), but a device-to-host copy on a GPU, where a larger interval
     * trades the exactness of the step named for speed.
     */
    public FitOptions finiteCheckEvery(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("finiteCheckEvery: steps must be 0 (epoch ends only) or positive, got "
                    + steps);
        }
        FitOptions o = copy();
        o.finiteCheckEvery = steps;
        return o;
    }

    /**
     * The divergence guard: when the smoothed loss (an exponential average over about 20
     * steps) rises above {@code warnFactor} times its running minimum, a warning is logged
     * (once until it falls back); above {@code stopFactor} times the minimum and above the
     * run's first loss, training stops with a {@link TrainingDivergedException}. A factor of
     * {@code Double.POSITIVE_INFINITY} turns that part off.
     */
    public FitOptions divergenceGuard(double warnFactor, double stopFactor) {
        if (!(warnFactor > 1) || !(stopFactor > 1)) {
            throw new IllegalArgumentException("divergenceGuard: the factors must be above 1 (or infinite: off), got "
                    + warnFactor + " and " + stopFactor);
        }
        FitOptions o = copy();
        o.warnFactor = warnFactor;
        o.stopFactor = stopFactor;
        return o;
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

    /** How the training images are changed; {@link Augmentation#none()} by default. */
    public Augmentation augmentation() {
        return augmentation;
    }

    /** Background threads preparing batches; 0 for none. */
    public int loaderThreads() {
        return loaderThreads;
    }

    /** How many batches are prepared ahead at most; 0 without background threads. */
    public int prefetchDepth() {
        return prefetchDepth;
    }

    public TrainingListener listener() {
        return listener;
    }

    /** The learning-rate schedule, or null for none. */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** The global norm gradients are clipped to; 0 for no clipping. */
    public float clipNorm() {
        return clipNorm;
    }

    /** Steps between finite checks of the parameters; 0 for epoch ends only. */
    public int finiteCheckEvery() {
        return finiteCheckEvery;
    }

    /** The divergence guard's warning factor. */
    public double warnFactor() {
        return warnFactor;
    }

    /** The divergence guard's stopping factor. */
    public double stopFactor() {
        return stopFactor;
    }

    /** The validation samples for a model of this input shape (arrays are read in it), or null for none. */
    public SampleSource validation(Shape inputShape) {
        if (validationX != null) {
            return SampleSource.of(inputShape, validationX, validationLabels);
        }
        return validation;
    }
}
