package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.CrossEntropySpec;
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
 * the weights of the samples' labels ({@link CrossEntropySpec} has the formula). Every form is
 * the backend's {@code softmaxCrossEntropy} op, on the device that holds the logits.
 */
public final class SparseCategoricalCrossEntropy implements Loss {

    private static final Metric ACCURACY = new Accuracy();

    private final CrossEntropySpec spec;

    /** Plain softmax cross-entropy: no smoothing, every class weighted 1. */
    public SparseCategoricalCrossEntropy() {
        this(CrossEntropySpec.PLAIN);
    }

    private SparseCategoricalCrossEntropy(CrossEntropySpec spec) {
        this.spec = spec;
    }

    /**
     * This loss with label smoothing ε in [0, 1] (PyTorch's {@code label_smoothing}).
     *
     * @throws IllegalArgumentException when ε is outside [0, 1]
     */
    public SparseCategoricalCrossEntropy withLabelSmoothing(float epsilon) {
        return new SparseCategoricalCrossEntropy(spec.withLabelSmoothing(epsilon));
    }

    /**
     * This loss with one weight per class (PyTorch's {@code weight}), the mean weighted by them.
     *
     * @throws IllegalArgumentException when a weight is negative or not finite
     */
    public SparseCategoricalCrossEntropy withClassWeights(float... classWeights) {
        return new SparseCategoricalCrossEntropy(spec.withClassWeights(classWeights));
    }

    /** This loss with the samples labelled {@code label} left out of the loss and its gradient (PyTorch's {@code ignore_index}). */
    public SparseCategoricalCrossEntropy withIgnoreIndex(int label) {
        return new SparseCategoricalCrossEntropy(spec.withIgnoreIndex(label));
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
        return backend.losses().softmaxCrossEntropy(logits, labels, spec, dlogits);
    }
}
