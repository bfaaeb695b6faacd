package dev.jcnn.zoo;

import dev.jcnn.layers.Activation;
import dev.jcnn.layers.ActivationLayer;
import dev.jcnn.layers.Add;
import dev.jcnn.layers.BatchNormalization;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Dropout;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.GlobalAveragePooling2D;
import dev.jcnn.layers.Input;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.LayerConfig;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Node;
import dev.jcnn.layers.Padding;
import dev.jcnn.layers.Softmax;
import dev.jcnn.model.Functional;
import dev.jcnn.model.Model;
import dev.jcnn.model.Sequential;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Ready-made models by name: the LeNet-5 of the course, a small CIFAR-style CNN, a fully
 * convolutional net, a CNN with batch normalisation and the CIFAR ResNet-20 of He et al.
 * Chains are {@link Sequential}; networks with skips are {@link Functional}. The command line trains them; tests and benchmarks share them. Each
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

    /** The CIFAR ResNet-20 of He et al. 2016: 3×32×32, 19 convolutions, two 1×1 projections and a Dense layer: 272,474 trainable parameters for ten classes. */
    public static final String RESNET20 = "resnet20";

    /** Every name, in the order help texts list them. */
    public static final List<String> NAMES = List.of(LENET5, CIFAR, FCN, BN_CNN, RESNET20);

    /** The classes of the datasets the zoo's models are made for (MNIST, Fashion-MNIST, CIFAR-10). */
    public static final int CLASSES = 10;

    private ModelZoo() {
    }

    /** A new, unbuilt model by name, at its own input shape. */
    public static Model create(String name) {
        return create(name, defaultInput(name));
    }

    private static Shape defaultInput(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case LENET5, FCN, BN_CNN -> Shape.of(1, 28, 28);
            case CIFAR, "cifar", RESNET20 -> Shape.of(3, 32, 32);
            default -> throw unknown(name);
        };
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown model '" + name + "'; known models: " + String.join(", ", NAMES));
    }

    /**
     * A new, unbuilt model by name for images of another shape (C, H, W): the same layers, the
     * Dense layers sized for it. LeNet-5 takes 3×32×32 as well as 1×28×28; an image too small
     * for the model's convolutions and pooling is refused.
     */
    public static Model create(String name, Shape input) {
        return create(name, input, CLASSES);
    }

    /**
     * A new, unbuilt model by name for images of the given shape (C, H, W) and the given number
     * of classes (its last layer's outputs), e.g. an image folder's class count.
     *
     * @throws IllegalArgumentException when classes is below 2
     */
    public static Model create(String name, Shape input, int classes) {
        return create(name, input, classes, List.of());
    }

    /**
     * The same with preprocessing layers first (such as a {@link dev.jcnn.layers.Normalization}):
     * the input passes through them, in order, before the model's own layers. The zoo's own
     * layers keep the names they have without them, so a weights file's keys do not depend on
     * the preprocessing.
     */
    public static Model create(String name, Shape input, int classes, List<Layer> preprocessing) {
        input.requireRank(3);
        if (classes < 2) {
            throw new IllegalArgumentException("model '" + name + "': " + classes + " classes; a classifier needs at"
                    + " least 2");
        }
        Model plain = switch (name.toLowerCase(Locale.ROOT)) {
            case LENET5 -> lenet5(input, classes);
            case CIFAR, "cifar" -> cifarCnn(input, classes);
            case FCN -> fcn(input, classes);
            case BN_CNN -> bnCnn(input, classes);
            case RESNET20 -> resnet20(input, classes);
            default -> throw unknown(name);
        };
        return preprocessing.isEmpty() ? plain : withPreprocessing(plain, preprocessing);
    }

    /**
     * The model rebuilt with the preprocessing layers between its input and its first layer:
     * fresh copies of its layers, made from their stored settings, named as before.
     */
    private static Model withPreprocessing(Model plain, List<Layer> preprocessing) {
        try (plain) {
            if (plain instanceof Sequential) {
                List<Layer> layers = new ArrayList<>(preprocessing);
                for (Layer l : plain.layers()) {
                    layers.add(LayerConfig.read(LayerConfig.write(l)));
                }
                return new Sequential(plain.name(), plain.inputShape(), layers.toArray(Layer[]::new));
            }
            Functional graph = (Functional) plain;
            Node x = Input.of("input", plain.inputShape());
            Node h = x;
            for (Layer l : preprocessing) {
                h = l.apply(h);
            }
            java.util.Map<Node, Node> copies = new java.util.HashMap<>();
            copies.put(graph.inputNode(), h);
            for (Node n : graph.nodes()) {
                if (n == graph.inputNode()) {
                    continue;
                }
                Layer copy = LayerConfig.read(LayerConfig.write(n.layer()));
                copies.put(n, copy.apply(n.inputs().stream().map(copies::get).toArray(Node[]::new)));
            }
            return new Functional(plain.name(), x, copies.get(graph.outputNode()));
        }
    }

    /** The per-sample input shape the named model expects. */
    public static Shape inputShape(String name) {
        return defaultInput(name);
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

    /** For 3×32×32: {@link #resnet20(Shape, int)} with ten classes. */
    public static Functional resnet20() {
        return resnet20(Shape.of(3, 32, 32), CLASSES);
    }

    /**
     * The CIFAR ResNet-20 of He et al. 2016 (section 4.2, n = 3): a 3×3 convolution with 16
     * filters, three stages of three basic blocks (two 3×3 convolutions, each followed by batch
     * normalisation, with the block's input added before the second ReLU) with 16, 32 and 64
     * filters, the second and third stages starting with stride 2, then global average pooling
     * and Dense with softmax. Where a block changes the shape, its shortcut is a 1×1 convolution
     * with stride 2 and batch normalisation (the paper's option B); the convolutions have no bias
     * (the normalisation that follows has one). 28×28 images work as well (28 → 14 → 7).
     */
    public static Functional resnet20(Shape input, int classes) {
        Node x = Input.of("input", input);
        Node h = conv(16, 3, 1).apply(x);
        h = bn().apply(h);
        h = relu().apply(h);
        int[] widths = {16, 32, 64};
        for (int stage = 0; stage < widths.length; stage++) {
            for (int block = 0; block < 3; block++) {
                h = basicBlock(h, widths[stage], stage > 0 && block == 0 ? 2 : 1);
            }
        }
        h = new GlobalAveragePooling2D().apply(h);
        Node y = new Dense(classes, Activation.SOFTMAX).apply(h);
        return new Functional(RESNET20, x, y);
    }

    /** relu(F(x) + shortcut(x)), F = conv-BN-ReLU-conv-BN; the shortcut projects when the shape changes. */
    private static Node basicBlock(Node x, int filters, int stride) {
        Node r = conv(filters, 3, stride).apply(x);
        r = relu().apply(bn().apply(r));
        r = bn().apply(conv(filters, 3, 1).apply(r));
        Node shortcut = x;
        if (stride != 1 || x.shape().dim(0) != filters) {
            shortcut = bn().apply(new Conv2D(filters, 1).strides(stride).useBias(false).apply(x));
        }
        return relu().apply(new Add().apply(r, shortcut));
    }

    /** A 3×3 (or F×F) convolution without bias, padded to keep the size at stride 1 (PyTorch's padding F/2). */
    private static Conv2D conv(int filters, int kernel, int stride) {
        return new Conv2D(filters, kernel).strides(stride).padding(Padding.of(kernel / 2)).useBias(false);
    }

    /** Batch normalisation with PyTorch's momentum 0.1 (Keras' 0.9) and epsilon 1e-5. */
    private static BatchNormalization bn() {
        return new BatchNormalization().momentum(0.9).epsilon(1e-5);
    }

    private static ActivationLayer relu() {
        return new ActivationLayer(Activation.RELU);
    }
}
