package dev.jcnn.samples.segmentation;

import dev.jcnn.backend.Interpolation;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.ActivationLayer;
import dev.jcnn.layers.Add;
import dev.jcnn.layers.BatchNormalization;
import dev.jcnn.layers.Concatenate;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Conv2DTranspose;
import dev.jcnn.layers.Dropout;
import dev.jcnn.layers.Input;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Node;
import dev.jcnn.layers.Padding;
import dev.jcnn.layers.UpSampling2D;
import dev.jcnn.model.Functional;

/**
 * A small U-Net for binary masks: two poolings down, a residual block at the bottom, a
 * transposed convolution and a bilinear upsampling back up, each joined with the encoder's
 * features of the same resolution; one logit per pixel (a binary mask), or one per class and
 * pixel. Only convolutions, so it takes any image whose sides are multiples of 4.
 */
public final class EncoderDecoder {

    private EncoderDecoder() {
    }

    /**
     * @param size  the side of the (square) training images, a multiple of 4
     * @param width the channels of the first level; the next levels have 2× and 4×
     */
    public static Functional create(int size, int width) {
        return create(size, width, 1);
    }

    /**
     * @param size    the side of the (square) training images, a multiple of 4
     * @param width   the channels of the first level; the next levels have 2× and 4×
     * @param outputs logits per pixel: 1 for a binary mask, else one per class
     */
    public static Functional create(int size, int width, int outputs) {
        if (outputs <= 0) {
            throw new IllegalArgumentException("encoder-decoder: " + outputs + " outputs per pixel, expected at least 1");
        }
        if (size <= 0 || size % 4 != 0 || width <= 0) {
            throw new IllegalArgumentException("encoder-decoder: the image side must be a positive multiple of 4 (two"
                    + " poolings) and the width positive, got size " + size + ", width " + width);
        }
        Node x = Input.of("image", dev.jcnn.tensor.Shape.of(1, size, size));
        Node e1 = block(x, width);
        Node e2 = block(new MaxPool2D(2).apply(e1), 2 * width);
        Node b = block(new MaxPool2D(2).apply(e2), 4 * width);
        Node r = conv(b, 4 * width, Activation.RELU);
        r = conv(r, 4 * width, Activation.LINEAR);
        b = new ActivationLayer(Activation.RELU).apply(new Add().apply(b, r));
        b = new Dropout(0.1).apply(b);
        Node u2 = new Conv2DTranspose(2 * width, 2).strides(2).activation(Activation.RELU).apply(b);
        Node d2 = conv(new Concatenate().apply(u2, e2), 2 * width, Activation.RELU);
        Node u1 = new UpSampling2D(2).interpolation(Interpolation.BILINEAR).apply(d2);
        u1 = conv(u1, width, Activation.RELU);
        Node d1 = conv(new Concatenate().apply(u1, e1), width, Activation.RELU);
        Node logits = new Conv2D(outputs, 1).apply(d1);
        return new Functional("segmentation", x, logits);
    }

    /** conv 3×3 SAME without bias, batch normalization, ReLU. */
    private static Node block(Node in, int channels) {
        Node h = new Conv2D(channels, 3).padding(Padding.SAME).useBias(false).apply(in);
        h = new BatchNormalization().momentum(0.9).apply(h);
        return new ActivationLayer(Activation.RELU).apply(h);
    }

    private static Node conv(Node in, int channels, Activation a) {
        return new Conv2D(channels, 3).padding(Padding.SAME).activation(a).apply(in);
    }
}
