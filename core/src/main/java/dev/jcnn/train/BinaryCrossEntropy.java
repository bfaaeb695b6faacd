package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.data.Targets;

/**
 * Binary cross-entropy of sigmoid(logits) against targets in [0, 1], per element, mean over
 * all (segmentation masks). It reads logits: below a final sigmoid when the model ends in one,
 * else the output itself.
 */
public final class BinaryCrossEntropy implements Loss {

    private static final Metric BINARY_ACCURACY = new BinaryAccuracy();

    @Override
    public String name() {
        return "binary_crossentropy";
    }

    @Override
    public LossInput input() {
        return LossInput.SIGMOID_LOGITS;
    }

    @Override
    public Targets targets() {
        return Targets.TENSORS;
    }

    @Override
    public Metric metric() {
        return BINARY_ACCURACY;
    }

    @Override
    public float compute(Backend backend, Tensor logits, Tensor targets, Tensor dlogits) {
        return backend.losses().sigmoidCrossEntropy(logits, targets, dlogits);
    }
}
