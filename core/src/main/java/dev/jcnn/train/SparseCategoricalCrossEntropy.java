package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.data.Targets;

/**
 * Softmax cross-entropy against integer labels, mean over the batch. It reads logits: when
 * the model ends in a softmax the trainer hands it the values before that softmax, so the
 * loss stays exact where a probability underflows (what Keras does for softmax outputs); when
 * the model ends in a linear layer its output are the logits.
 */
public final class SparseCategoricalCrossEntropy implements Loss {

    private static final Metric ACCURACY = new Accuracy();

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
        return backend.losses().softmaxCrossEntropy(logits, labels, dlogits);
    }
}
