package dev.jcnn.backend;

import static dev.jcnn.backend.Checks.distinct;

/**
 * Losses: each returns the mean loss (over the batch, or over all elements where said) and,
 * when the gradient tensor is not null, writes the gradient of that mean into it. Each public
 * op checks its tensors and arguments (labels, targets, weights, ε), then calls the backend's
 * {@code compute…} method. The logits are not read for the checks (on a GPU that would copy
 * them to the host): a NaN or infinite logit makes the loss NaN, which the trainer reports.
 *
 * @param <T> the backend's tensor class
 */
public abstract class LossOps<T extends Tensor> extends OpFamily<T> {

    protected LossOps(Backend backend, Class<T> tensorType) {
        super(backend, tensorType);
    }

    /**
     * Softmax cross-entropy of logits (N, classes) against integer labels, mean over the
     * batch; writes d(loss)/d(logits) into dlogits unless it is null. The
     * {@link CrossEntropySpec#PLAIN} case of {@link #softmaxCrossEntropy(Tensor, int[], CrossEntropySpec, Tensor)}.
     *
     * @throws IllegalArgumentException naming the sample when a label is outside [0, classes)
     */
    public final float softmaxCrossEntropy(Tensor logits, int[] labels, Tensor dlogits) {
        return softmaxCrossEntropy(logits, labels, CrossEntropySpec.PLAIN, dlogits);
    }

    /**
     * Softmax cross-entropy over axis 1 of logits (N, C) or (N, C, H, W) (any trailing axes:
     * the positions) against one class label per sample and position, in row-major order
     * (N·H·W labels), with the spec's label smoothing, class weights and ignored label: the
     * mean of PyTorch's {@code F.cross_entropy} ({@link CrossEntropySpec} has the formula).
     * Writes d(loss)/d(logits) into dlogits unless it is null.
     *
     * @throws IllegalArgumentException when the label count is not N·positions, a label is
     *     outside [0, C) and not the ignored one (naming its index, sample and position), the
     *     weights are not one per class, or the weights of the labels' classes sum to 0
     */
    public final float softmaxCrossEntropy(Tensor logits, int[] labels, CrossEntropySpec spec, Tensor dlogits) {
        String op = "softmaxCrossEntropy";
        T tl = owned(op, "logits", logits);
        T td = ownedOrNull(op, "dlogits", dlogits);
        Checks.notNull(op, "the cross-entropy spec", spec);
        int classes = Checks.channels(op, "logits", logits);
        if (spec.hasClassWeights() && spec.classWeightCount() != classes) {
            throw new IllegalArgumentException(op + ": " + spec.classWeightCount() + " class weights for logits "
                    + logits.shape() + " of " + classes + " classes, expected one weight per class");
        }
        checkLabels(op, logits, labels, spec);
        double weightSum = 0;
        int ignored = 0;
        for (int label : labels) {
            if (spec.ignores(label)) {
                ignored++;
            } else {
                weightSum += spec.classWeight(label);
            }
        }
        if (!(weightSum > 0)) {
            throw new IllegalArgumentException(op + ": the weights of the labels' classes sum to " + weightSum + " over "
                    + labels.length + " labels (" + ignored + " ignored), expected a positive sum to divide by");
        }
        checkGradient(op, logits, dlogits);
        starting(op);
        float loss = computeSoftmaxCrossEntropy(tl, labels, spec, weightSum, td);
        finished(op);
        return loss;
    }

    /**
     * Soft Dice loss of p = softmax over axis 1 of logits (N, C, ...) against the one-hot t of
     * one class label per sample and position (N·positions labels, row-major): per class c,
     * dice_c = (2 Σ p_c t_c + ε) / (Σ p_c + Σ t_c + ε), the sums over every sample and position,
     * and the loss is 1 − (1/C) Σ_c dice_c. Writes d(loss)/d(logits) into dlogits unless it is null.
     *
     * @throws IllegalArgumentException when the label count is not N·positions, a label is
     *     outside [0, C) (naming its index, sample and position), or ε is not a finite number &gt; 0
     */
    public final float softmaxDice(Tensor logits, int[] labels, double epsilon, Tensor dlogits) {
        String op = "softmaxDice";
        T tl = owned(op, "logits", logits);
        T td = ownedOrNull(op, "dlogits", dlogits);
        Checks.channels(op, "logits", logits);
        checkEpsilon(op, epsilon);
        checkLabels(op, logits, labels, CrossEntropySpec.PLAIN);
        checkGradient(op, logits, dlogits);
        starting(op);
        float loss = computeSoftmaxDice(tl, labels, epsilon, td);
        finished(op);
        return loss;
    }

    /**
     * Binary soft Dice loss of p = sigmoid(logits) against targets in [0, 1] of the logits'
     * shape: 1 − (2 Σ p t + ε) / (Σ p + Σ t + ε) over all elements. Writes d(loss)/d(logits)
     * into dlogits unless it is null.
     *
     * @throws IllegalArgumentException naming the index when a target is outside [0, 1] or NaN,
     *     or when ε is not a finite number &gt; 0
     */
    public final float sigmoidDice(Tensor logits, Tensor targets, double epsilon, Tensor dlogits) {
        String op = "sigmoidDice";
        T tl = owned(op, "logits", logits);
        T tt = owned(op, "targets", targets);
        T td = ownedOrNull(op, "dlogits", dlogits);
        checkEpsilon(op, epsilon);
        checkUnitTargets(op, logits, targets, tt);
        if (dlogits != null) {
            Checks.shape(op, "dlogits", dlogits, logits.shape());
            distinct(op, "dlogits", dlogits, "logits", logits, "targets", targets);
        }
        starting(op);
        float loss = computeSigmoidDice(tl, tt, epsilon, td);
        finished(op);
        return loss;
    }

    /**
     * Binary cross-entropy of sigmoid(logits) against targets in [0, 1], mean over all
     * elements; writes the gradient into dlogits unless it is null.
     *
     * @throws IllegalArgumentException naming the index when a target is outside [0, 1]
     */
    public final float sigmoidCrossEntropy(Tensor logits, Tensor targets, Tensor dlogits) {
        String op = "sigmoidCrossEntropy";
        T tl = owned(op, "logits", logits);
        T tt = owned(op, "targets", targets);
        T td = ownedOrNull(op, "dlogits", dlogits);
        checkUnitTargets(op, logits, targets, tt);
        if (dlogits != null) {
            Checks.shape(op, "dlogits", dlogits, logits.shape());
            distinct(op, "dlogits", dlogits, "logits", logits, "targets", targets);
        }
        starting(op);
        float loss = computeSigmoidCrossEntropy(tl, tt, td);
        finished(op);
        return loss;
    }

    /** Mean squared error over all elements; writes the gradient into dpredictions unless it is null. */
    public final float meanSquaredError(Tensor predictions, Tensor targets, Tensor dpredictions) {
        String op = "meanSquaredError";
        T tp = owned(op, "predictions", predictions);
        T tt = owned(op, "targets", targets);
        T td = ownedOrNull(op, "dpredictions", dpredictions);
        Checks.shape(op, "targets", targets, predictions.shape());
        if (dpredictions != null) {
            Checks.shape(op, "dpredictions", dpredictions, predictions.shape());
            distinct(op, "dpredictions", dpredictions, "predictions", predictions, "targets", targets);
        }
        starting(op);
        float loss = computeMeanSquaredError(tp, tt, td);
        finished(op);
        return loss;
    }

    /** Checks targets: the logits' shape, every value in [0, 1] (so not NaN). */
    private void checkUnitTargets(String op, Tensor logits, Tensor targets, T tt) {
        Checks.shape(op, "targets", targets, logits.shape());
        float[] values = targetValues(tt);
        for (int i = 0; i < targets.shape().size(); i++) {
            if (!(values[i] >= 0f && values[i] <= 1f)) {
                throw new IllegalArgumentException(op + ": target " + values[i] + " at index " + i + " of targets "
                        + targets.shape() + " is outside [0, 1]");
            }
        }
    }

    /** Checks one label per sample and position of logits (N, C, ...), each in [0, C) or the spec's ignored one. */
    private static void checkLabels(String op, Tensor logits, int[] labels, CrossEntropySpec spec) {
        int n = logits.shape().dim(0);
        int classes = logits.shape().dim(1);
        int positions = logits.shape().size() / (n * classes);
        if (labels == null || labels.length != n * positions) {
            throw new IllegalArgumentException(op + ": " + (labels == null ? "no" : String.valueOf(labels.length))
                    + " labels for logits " + logits.shape() + ", expected " + n * positions + " (one per sample"
                    + (positions > 1 ? " and position" : "") + ")");
        }
        for (int j = 0; j < labels.length; j++) {
            int label = labels[j];
            if ((label < 0 || label >= classes) && !spec.ignores(label)) {
                String where = positions > 1 ? "label " + label + " at index " + j + " (sample " + j / positions
                        + ", position " + j % positions + " of " + positions + ")" : "label " + label + " of sample " + j;
                throw new IllegalArgumentException(op + ": " + where + " is out of range, expected 0 to " + (classes - 1)
                        + spec.ignoreIndex().stream().mapToObj(i -> " or the ignored label " + i).findFirst().orElse(""));
            }
        }
    }

    /** Checks a gradient tensor, when given: the logits' shape, not the logits. */
    private static void checkGradient(String op, Tensor logits, Tensor dlogits) {
        if (dlogits != null) {
            Checks.shape(op, "dlogits", dlogits, logits.shape());
            distinct(op, "dlogits", dlogits, "logits", logits);
        }
    }

    private static void checkEpsilon(String op, double epsilon) {
        if (!(epsilon > 0 && Double.isFinite(epsilon))) {
            throw new IllegalArgumentException(op + ": epsilon " + epsilon + " is not a finite number > 0");
        }
    }

    /**
     * The values of a targets tensor on the host, for the range check of
     * {@link #sigmoidCrossEntropy} and {@link #sigmoidDice}: a copy by default; a host backend may return its storage,
     * which the check only reads.
     */
    protected float[] targetValues(T targets) {
        return targets.toArray();
    }

    /**
     * logits (N, C, ...) with P positions per sample; N·P labels, each in [0, C) or
     * {@code spec.skippedLabel()}; the spec's weights, when set, one per class; weightSum the sum
     * of the labels' class weights over the positions not ignored, &gt; 0; dlogits null or
     * logits' shape and distinct. Ignored positions get a zero gradient.
     */
    protected abstract float computeSoftmaxCrossEntropy(T logits, int[] labels, CrossEntropySpec spec, double weightSum,
            T dlogits);

    /** logits (N, C, ...); N·positions labels in [0, C); ε finite and &gt; 0; dlogits null or logits' shape and distinct. */
    protected abstract float computeSoftmaxDice(T logits, int[] labels, double epsilon, T dlogits);

    /** logits and targets of one shape, targets in [0, 1]; ε finite and &gt; 0; dlogits null or that shape and distinct. */
    protected abstract float computeSigmoidDice(T logits, T targets, double epsilon, T dlogits);

    /** logits and targets of one shape, targets in [0, 1]; dlogits null or that shape and distinct. */
    protected abstract float computeSigmoidCrossEntropy(T logits, T targets, T dlogits);

    /** predictions and targets of one shape; dpredictions null or that shape and distinct. */
    protected abstract float computeMeanSquaredError(T predictions, T targets, T dpredictions);
}
