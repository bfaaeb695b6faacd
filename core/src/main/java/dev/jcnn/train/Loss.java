package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.data.Targets;
import dev.jcnn.tensor.Shape;

/**
 * A training loss: returns its mean over the batch and writes the gradient with respect to
 * what it reads. Each loss declares what it reads from the model ({@link #input}), what it
 * trains against ({@link #targets}) and the figure reported beside it ({@link #metric}), so
 * that the trainer pairs it with any model without knowing the loss.
 */
public interface Loss {

    /** The name the summary and logs use. */
    String name();

    /** What the loss reads from the model's output: logits of a softmax or a sigmoid, or the values. */
    LossInput input();

    /** Class labels (one per sample) or target tensors of the output's shape. */
    Targets targets();

    /**
     * The shape of one sample's target tensor for a model whose output per sample has shape
     * {@code output}, when {@link #targets} are tensors: the output's shape unless the loss says
     * otherwise (a class map has one channel).
     */
    default Shape targetShape(Shape output) {
        return output;
    }

    /** The figure reported beside the loss in training and evaluation. */
    Metric metric();

    /** Loss against integer labels; dInput may be null when only the value is needed. */
    default float compute(Backend backend, Tensor input, int[] labels, Tensor dInput) {
        throw new UnsupportedOperationException(name() + " takes " + targets() + ", not class labels");
    }

    /** Loss against float targets; dInput may be null when only the value is needed. */
    default float compute(Backend backend, Tensor input, Tensor targets, Tensor dInput) {
        throw new UnsupportedOperationException(name() + " takes " + targets() + ", not target tensors");
    }
}
