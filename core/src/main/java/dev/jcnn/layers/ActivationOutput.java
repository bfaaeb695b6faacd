package dev.jcnn.layers;

import dev.jcnn.backend.Tensor;

/**
 * A layer whose output is an activation of values it keeps, its logits: a convolution or
 * dense layer with {@code activation=}, or an activation layer. A loss that reads logits
 * (softmax cross-entropy below a softmax, sigmoid cross-entropy below a sigmoid) reads them
 * and starts the backward pass there, stable where a probability underflows, as Keras does.
 */
public interface ActivationOutput {

    /** The activation the layer's output ends with (LINEAR for none). */
    Activation activation();

    /** The last forward pass's values before the activation. */
    Tensor logits();

    /** The backward pass given the gradient with respect to the logits. */
    Tensor backwardFromLogits(Tensor dlogits);
}
