package dev.jcnn.zoo;

import dev.jcnn.layers.Activation;
import dev.jcnn.layers.ActivationLayer;
import dev.jcnn.layers.BatchNormalization;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Dropout;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.GlobalAveragePooling2D;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Padding;
import dev.jcnn.layers.Softmax;
import dev.jcnn.model.Sequential;
import dev.jcnn.tensor.Shape;
import java.util.List;
import java.util.Locale;

/**
 * Ready-made models by name: the LeNet-5 of the course, a small CIFAR-style CNN and a fully
 * convolutional net. The command line trains them; tests and benchmarks share them. Each
 * model is named after its zoo entry, so a weights file (whose metadata keeps the model
 * name) says which architecture to rebuild.
 */
public final class ModelZoo {

    /** LeNet-5 as the course draws it, with ReLU and max pooling: 61,706 parameters. */
    public static final String LENET5 = "lenet5";
    /** A small CIFAR-style CNN for 32×32×3 images. */
    public static final String CIFAR = "cifar-cnn";
    /** A fully convolutional classifier: no Dense layer, a global average over the class maps, so it takes larger images too. */
    public static final String FCN = "fcn";

    /** Two convolution blocks with batch normalisation, for 1×28×28 images such as Fashion-MNIST's. */
    public static final String BN_CNN = "bn-cnn";

    /** Every name, in the order help texts list them. */
    public static final List<String> NAMES = List.of(LENET5, CIFAR, FCN, BN_CNN);

    /** The classes of the datasets the zoo's models are made for (MNIST, Fashion-MNIST, CIFAR-10). */
    public static final int CLASSES = 10;

    private ModelZoo() {
    }

    /** A new, unbuilt model by name. */
    public static Sequential create(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case LENET5 -> lenet5();
            case CIFAR, "cifar" -> cifarCnn();
            case FCN -> fcn();
            case BN_CNN -> bnCnn();
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; known models: "
                    + String.join(", ", NAMES));
        };
    }

    /**
     * A new, unbuilt model by name for images of another shape (C, H, W): the same layers, the
     * Dense layers sized for it. LeNet-5 takes 3×32×32 as well as 1×28×28; an image too small
     * for the model's convolutions and pooling is refused.
     */
    public static Sequential create(String name, Shape input) {
        return create(name, input, CLASSES);
    }

    /**
     * A new, unbuilt model by name for images of the given shape (C, H, W) and the given number
     * of classes (its last layer's outputs), e.g. an image folder's class count.
     *
     * @throws IllegalArgumentException when classes is below 2
     */
    public static Sequential create(String name, Shape input, int classes) {
        input.requireRank(3);
        if (classes < 2) {
            throw new IllegalArgumentException("model '" + name + "': " + classes + " classes; a classifier needs at"
                    + " least 2");
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case LENET5 -> lenet5(input, classes);
            case CIFAR, "cifar" -> cifarCnn(input, classes);
            case FCN -> fcn(input, classes);
            case BN_CNN -> bnCnn(input, classes);
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; known models: "
                    + String.join(", ", NAMES));
        };
    }

    /** The per-sample input shape the named model expects. */
    public static Shape inputShape(String name) {
        return create(name).inputShape();
    }

    /** 6@5×5 SAME, pool, 16@5×5, pool, 120, 84, 10 (softmax). */
    public static Sequential lenet5() {
        return lenet5(Shape.of(1, 28, 28));
    }

    /** LeNet-5 for images of the given shape (C, H, W). */
    public static Sequential lenet5(Shape input) {
        return lenet5(input, CLASSES);
    }

    /** The same for the given number of classes. */
    public static Sequential lenet5(Shape input, int classes) {
        return new Sequential(LENET5, input,
                new Conv2D(6, 5).padding(Padding.SAME).activation(Activation.RELU),
                new MaxPool2D(2),
                new Conv2D(16, 5).activation(Activation.RELU),
                new MaxPool2D(2),
                new Flatten(),
                new Dense(120, Activation.RELU),
                new Dense(84, Activation.RELU),
                new Dense(classes, Activation.SOFTMAX));
    }

    /** For 32×32×3: three blocks of 3×3 SAME convolution and 2×2 pooling (32, 64, 64 filters), Dense 64, Dense 10. */
    public static Sequential cifarCnn() {
        return cifarCnn(Shape.of(3, 32, 32));
    }

    /** The CIFAR-style CNN for images of the given shape (C, H, W), e.g. Fashion-MNIST's 1×28×28. */
    public static Sequential cifarCnn(Shape input) {
        return cifarCnn(input, CLASSES);
    }

    /** The same for the given number of classes. */
    public static Sequential cifarCnn(Shape input, int classes) {
        return new Sequential(CIFAR, input,
                new Conv2D(32, 3).padding(Padding.SAME).activation(Activation.RELU),
                new MaxPool2D(2),
                new Conv2D(64, 3).padding(Padding.SAME).activation(Activation.RELU),
                new MaxPool2D(2),
                new Conv2D(64, 3).padding(Padding.SAME).activation(Activation.RELU),
                new MaxPool2D(2),
                new Flatten(),
                new Dense(64, Activation.RELU),
                new Dense(classes, Activation.SOFTMAX));
    }

    /**
     * Convolutions and pooling only: 28×28 → 14×14 → 7×7, then a 7×7 convolution to ten class
     * maps, their mean over the positions (GlobalAveragePooling2D) and a softmax. On 28×28 the
     * maps are 1×1; on a larger image the last convolution slides, its maps grow by the formula
     * O = ⌊(I − F + 2P)/S⌋ + 1 (8×8 for 56×56), and the class scores are their means.
     */
    public static Sequential fcn() {
        return fcn(Shape.of(1, 28, 28));
    }

    /** The fully convolutional net for images of the given shape (C, H, W), at least 28×28. */
    public static Sequential fcn(Shape input) {
        return fcn(input, CLASSES);
    }

    /** The same for the given number of classes. */
    public static Sequential fcn(Shape input, int classes) {
        return new Sequential(FCN, input,
                new Conv2D(16, 3).padding(Padding.SAME).activation(Activation.RELU),
                new MaxPool2D(2),
                new Conv2D(32, 3).padding(Padding.SAME).activation(Activation.RELU),
                new MaxPool2D(2),
                new Conv2D(classes, 7),
                new GlobalAveragePooling2D(),
                new Softmax());
    }

    /** For 1×28×28: {@link #bnCnn(Shape)}. */
    public static Sequential bnCnn() {
        return bnCnn(Shape.of(1, 28, 28));
    }

    /**
     * The Fashion-MNIST benchmark's "2 Conv + pooling + BN" shape: two blocks of 3×3 SAME
     * convolution (32, then 64 filters), batch normalisation, ReLU and 2×2 pooling, then Dense
     * 256 with batch normalisation, ReLU and dropout 0.3, and Dense 10. The convolutions and the
     * first Dense have no activation of their own, so the normalisation sees their raw output,
     * as in the BN paper.
     */
    public static Sequential bnCnn(Shape input) {
        return bnCnn(input, CLASSES);
    }

    /** The same for the given number of classes. */
    public static Sequential bnCnn(Shape input, int classes) {
        return new Sequential(BN_CNN, input,
                new Conv2D(32, 3).padding(Padding.SAME),
                new BatchNormalization().momentum(0.9),
                new ActivationLayer(Activation.RELU),
                new MaxPool2D(2),
                new Conv2D(64, 3).padding(Padding.SAME),
                new BatchNormalization().momentum(0.9),
                new ActivationLayer(Activation.RELU),
                new MaxPool2D(2),
                new Flatten(),
                new Dense(256),
                new BatchNormalization().momentum(0.9),
                new ActivationLayer(Activation.RELU),
                new Dropout(0.3),
                new Dense(classes, Activation.SOFTMAX));
    }
}
