package dev.jcnn.layers;

import dev.jcnn.backend.PoolMode;

/**
 * The maximum of each channel over the whole image, Keras' {@code GlobalMaxPooling2D}
 * (PyTorch's {@code adaptive_max_pool2d(x, 1)} flattened): (C, H, W) becomes (C), for any
 * image size. Runs as max pooling with one window the size of the image, so the gradient goes
 * to each channel's maximum, as the backend's max pooling breaks ties.
 */
public class GlobalMaxPooling2D extends GlobalPooling2D {

    public GlobalMaxPooling2D() {
        super(PoolMode.MAX);
    }
}
