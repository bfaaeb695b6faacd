package dev.jcnn.backend;

import static dev.jcnn.backend.Checks.distinct;

/**
 * Losses: each returns the mean loss (over the batch, or over all elements where said) and,
 * when the gradient tensor is not null, writes the gradient of that mean into it. Each public
 * op checks its tensors and arguments, then calls the backend's {@code compute…} method.
 *
 * @param <T> the backend's tensor class
 */
public abstract class LossOps<T extends Tensor> extends OpFamily<T> {

    protected LossOps(Backend backend, Class<T> tensorType) {
        super(backend, tensorType);
    }

    /**
     * Softmax cross-entropy of logits (N, classes) against integer labels, mean over the
     * batch; writes d(loss)/d(logits) into dlogits unless it is null.
     *
     * @throws IllegalArgumentException naming the sample when a label is outside [0, classes)
     */
    public final float softmaxCrossEntropy(Tensor logits, int[] labels, Tensor dlogits) {
        String op = "softmaxCrossEntropy";
        T tl = owned(op, "logits", logits);
        T td = ownedOrNull(op, "dlogits", dlogits);
        Checks.rank(op, "logits", logits, 2);
        Checks.labels(op, labels, logits.shape().dim(0), logits.shape().dim(1));
        if (dlogits != null) {
            Checks.shape(op, "dlogits", dlogits, logits.shape());
            distinct(op, "dlogits", dlogits, "logits", logits);
        }
        starting(op);
        float loss = computeSoftmaxCrossEntropy(tl, labels, td);
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
        Checks.shape(op, "targets", targets, logits.shape());
        float[] values = targetValues(tt);
        for (int i = 0; i < targets.shape().size(); i++) {
            if (!(values[i] >= 0f && values[i] <= 1f)) {
                throw new IllegalArgumentException(op + ": target " + values[i] + " at index " + i + " of targets "
                        + targets.shape() + " is outside [0, 1]");
            }
        }
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

    /**
     * The values of a targets tensor on the host, for the range check of
     * {@link #sigmoidCrossEntropy}: a copy by default; a host backend may return its storage,
     * which the check only reads.
     */
    protected float[] targetValues(T targets) {
        return targets.toArray();
    }

    /** logits (N, classes), every label in [0, classes); dlogits null or logits' shape and distinct. */
    protected abstract float computeSoftmaxCrossEntropy(T logits, int[] labels, T dlogits);

    /** logits and targets of one shape, targets in [0, 1]; dlogits null or that shape and distinct. */
    protected abstract float computeSigmoidCrossEntropy(T logits, T targets, T dlogits);

    /** predictions and targets of one shape; dpredictions null or that shape and distinct. */
    protected abstract float computeMeanSquaredError(T predictions, T targets, T dpredictions);
}
