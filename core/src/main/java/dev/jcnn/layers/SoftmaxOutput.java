package dev.jcnn.layers;

import dev.jcnn.backend.Tensor;

/**
 * A layer that can end in softmax. Sparse categorical cross-entropy then reads the logits
 * before the softmax and starts the backward pass there: (softmax − one-hot)/N, stable even
 * when a probability underflows, as Keras does for a softmax output.
 */
public interface SoftmaxOutput {

    /** Whether the layer's output is a softmax over channels. */
    boolean endsWithSoftmax();

    /** The last forward pass's values before the softmax. */
    Tensor logits();

    /** The backward pass given the gradient with respect to the logits. */
    Tensor backwardFromLogits(Tensor dlogits);
}
