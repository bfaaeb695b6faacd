package dev.jcnn.layers;

import dev.jcnn.backend.PoolMode;

/**
 * The mean of each channel over the whole image, Keras' {@code GlobalAveragePooling2D}:
 * (C, H, W) becomes (C). It takes any image size, so a classifier ending in it stays fully
 * convolutional. Runs as average pooling with one window the size of the image.
 */
public class GlobalAveragePooling2D extends GlobalPooling2D {

    public GlobalAveragePooling2D() {
        super(PoolMode.AVERAGE_EXCLUDE_PAD);
    }
}
