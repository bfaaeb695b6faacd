package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;

/**
 * A training loss: returns its mean over the batch and writes the gradient with respect to
 * the model's output. Classification losses take integer labels; the others take a target
 * tensor of the output's shape.
 */
public interface Loss {

    /** The name the summary and logs use. */
    String name();

    /** Whether the targets are integer class labels (else float tensors of the output's shape). */
    boolean usesLabels();

    /** Loss against integer labels; dOutput may be null when only the value is needed. */
    default float compute(Backend backend, Tensor output, int[] labels, Tensor dOutput) {
        throw new UnsupportedOperationException(name() + " takes float targets, not class labels");
    }

    /** Loss against float targets; dOutput may be null when only the value is needed. */
    default float compute(Backend backend, Tensor output, Tensor targets, Tensor dOutput) {
        throw new UnsupportedOperationException(name() + " takes class labels, not float targets");
    }
}
