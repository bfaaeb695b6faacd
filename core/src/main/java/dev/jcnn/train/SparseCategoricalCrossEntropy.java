package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;

/**
 * Softmax cross-entropy against integer labels, mean over the batch. It reads logits: when
 * the model ends in a softmax the model hands it the values before that softmax, so the
 * loss stays exact where a probability underflows (what Keras does for softmax outputs).
 */
public final class SparseCategoricalCrossEntropy implements Loss {

    @Override
    public String name() {
        return "sparse_categorical_crossentropy";
    }

    @Override
    public boolean usesLabels() {
        return true;
    }

    @Override
    public float compute(Backend backend, Tensor logits, int[] labels, Tensor dlogits) {
        return backend.losses().softmaxCrossEntropy(logits, labels, dlogits);
    }
}
