package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.data.Targets;

/**
 * Softmax cross-entropy against integer labels, mean over the batch. It reads logits: when
 * the model ends in a softmax the trainer hands it the values before that softmax, so the
 * loss stays exact where a probability underflows (what Keras does for softmax outputs); when
 * the model ends in a linear layer its output are the logits.
 *
 * <p>{@link #withLabelSmoothing} and {@link #withClassWeights} follow PyTorch's
 * {@code F.cross_entropy(label_smoothing=, weight=)}: the target becomes (1 − ε) one-hot + ε/C,
 * each sample's terms are weighted by the classes' weights, and the mean divides by the sum of
 * the weights of the samples' labels (see {@link SoftmaxCrossEntropyMath}). With either set the
 * loss is computed on the host from the logits (a copy per batch) and its gradient written back.
 */
public final class SparseCategoricalCrossEntropy implements Loss {

    private static final Metric ACCURACY = new Accuracy();

    private final float smoothing;
    private final float[] weights;

    /** Plain softmax cross-entropy: no smoothing, every class weighted 1. */
    public SparseCategoricalCrossEntropy() {
        this(0f, null);
    }

    private SparseCategoricalCrossEntropy(float smoothing, float[] weights) {
        this.smoothing = smoothing;
        this.weights = weights;
    }

    /**
     * This loss with label smoothing ε in [0, 1] (PyTorch's {@code label_smoothing}).
     *
     * @throws IllegalArgumentException when ε is outside [0, 1]
     */
    public SparseCategoricalCrossEntropy withLabelSmoothing(float epsilon) {
        return new SparseCategoricalCrossEntropy(SoftmaxCrossEntropyMath.checkSmoothing(name(), epsilon), weights);
    }

    /**
     * This loss with one weight per class (PyTorch's {@code weight}), the mean weighted by them.
     *
     * @throws IllegalArgumentException when a weight is negative or not finite
     */
    public SparseCategoricalCrossEntropy withClassWeights(float... classWeights) {
        return new SparseCategoricalCrossEntropy(smoothing, SoftmaxCrossEntropyMath.checkWeights(name(), classWeights));
    }

    @Override
    public String name() {
        return "sparse_categorical_crossentropy";
    }

    @Override
    public LossInput input() {
        return LossInput.SOFTMAX_LOGITS;
    }

    @Override
    public Targets targets() {
        return Targets.CLASS_LABELS;
    }

    @Override
    public Metric metric() {
        return ACCURACY;
    }

    @Override
    public float compute(Backend backend, Tensor logits, int[] labels, Tensor dlogits) {
        if (smoothing == 0f && weights == null) {
            return backend.losses().softmaxCrossEntropy(logits, labels, dlogits);
        }
        if (logits.shape().rank() != 2) {
            throw new IllegalArgumentException(name() + ": logits " + logits.shape() + ", expected (N, classes)");
        }
        int n = logits.shape().dim(0);
        int classes = logits.shape().dim(1);
        if (labels.length != n) {
            throw new IllegalArgumentException(name() + ": " + labels.length + " labels for " + n + " samples");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name() + ": label " + labels[i] + " of sample " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        SoftmaxCrossEntropyMath.checkWeightCount(name(), weights, classes);
        float[] grad = dlogits == null ? null : new float[logits.shape().size()];
        float loss = SoftmaxCrossEntropyMath.compute(logits.toArray(), n, classes, 1, labels, weights, smoothing, grad);
        if (grad != null) {
            backend.write(dlogits, grad);
        }
        return loss;
    }
}
