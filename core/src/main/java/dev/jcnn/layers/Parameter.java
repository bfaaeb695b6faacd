package dev.jcnn.layers;

import dev.jcnn.backend.Tensor;

/**
 * A trainable tensor of a layer and its gradient, which the layer's backward pass writes; or
 * a non-trainable state tensor (see {@link Layer#state()}), whose grad is null.
 *
 * @param name  "layer/param", unique within a model, the key in weight files
 * @param value the weights
 * @param grad  their gradient, same shape; null for non-trainable state
 */
public record Parameter(String name, Tensor value, Tensor grad) {
}
