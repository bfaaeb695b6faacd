package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;

/** Binary cross-entropy of sigmoid(logits) against targets in [0, 1], per element, mean over all (segmentation masks). */
public final class BinaryCrossEntropy implements Loss {

    @Override
    public String name() {
        return "binary_crossentropy_from_logits";
    }

    @Override
    public boolean usesLabels() {
        return false;
    }

    @Override
    public float compute(Backend backend, Tensor logits, Tensor targets, Tensor dlogits) {
        return backend.losses().sigmoidCrossEntropy(logits, targets, dlogits);
    }
}
