package dev.jcnn.zoo;

import dev.jcnn.layers.Activation;
import dev.jcnn.layers.ActivationLayer;
import dev.jcnn.layers.Add;
import dev.jcnn.layers.BatchNormalization;
import dev.jcnn.layers.Concatenate;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Conv2DTranspose;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.DepthwiseConv2D;
import dev.jcnn.layers.Dropout;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.GlobalAveragePooling2D;
import dev.jcnn.layers.Input;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.LayerConfig;
import dev.jcnn.layers.LocalResponseNorm;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Node;
import dev.jcnn.layers.Padding;
import dev.jcnn.layers.Softmax;
import dev.jcnn.model.Functional;
import dev.jcnn.model.Model;
import dev.jcnn.model.Sequential;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Ready-made models by name: the LeNet-5 of the course, a small CIFAR-style CNN, a fully
 * convolutional net, a CNN with batch normalisation, the CIFAR ResNet-20 of He et al., the
 * ImageNet classics (AlexNet as torchvision has it and as the 2012 paper draws it, VGG-16,
 * ResNet-18, MobileNetV2) and a small U-Net for segmentation. Chains are {@link Sequential};
 * networks with skips are {@link Functional}. The command line trains them; tests and
 * benchmarks share them. Each model is named after its zoo entry, so a weights file (whose
 * metadata keeps the model name) says which architecture to rebuild.
 *
 * <p>The classifiers end in a Dense layer with softmax (the losses take its logits); the U-Net
 * ends in its class logit maps. Parameter counts in this documentation are trainable
 * parameters ({@link Model#trainableParameterCount()}), as torchvision and Keras count them;
 * {@link Model#parameterCount()} adds batch normalisation's moving statistics.
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

    /** torchvision's AlexNet (Krizhevsky 2014, "One weird trick"): 3×224×224, 61,100,840 parameters for 1000 classes. */
    public static final String ALEXNET = "alexnet";

    /** AlexNet as in Krizhevsky, Sutskever and Hinton 2012: 3×227×227, LRN, two groups, 60,965,224 parameters for 1000 classes. */
    public static final String ALEXNET_2012 = "alexnet2012";

    /** VGG-16 of Simonyan and Zisserman 2015 (configuration D, torchvision's, no batch normalisation): 3×224×224, 138,357,544 parameters. */
    public static final String VGG16 = "vgg16";

    /** ResNet-18 of He et al. 2016 as torchvision has it: 3×224×224, 11,689,512 parameters for 1000 classes. */
    public static final String RESNET18 = "resnet18";

    /** MobileNetV2 of Sandler et al. 2018 as torchvision has it (width 1.0): 3×224×224, 3,504,872 parameters. */
    public static final String MOBILENET_V2 = "mobilenetv2";

    /** A small U-Net (Ronneberger et al. 2015) for segmentation: 1×64×64 by default, 16/32/64 filters, class logit maps. */
    public static final String UNET = "unet";

    /** Every name, in the order help texts list them. */
    public static final List<String> NAMES = List.of(LENET5, CIFAR, FCN, BN_CNN, RESNET20, ALEXNET, ALEXNET_2012, VGG16,
            RESNET18, MOBILENET_V2, UNET);

    /**
     * The classifiers for the small datasets (28×28 and 32×32 images, ten classes), under 1 M
     * parameters: what the command line trains on MNIST and CIFAR-10 and what tests, exports
     * and parity runs go through model by model. The ImageNet models (up to 138 M parameters
     * at 224×224) and the U-Net (a segmentation model) are not among them.
     */
    public static final List<String> SMALL = List.of(LENET5, CIFAR, FCN, BN_CNN, RESNET20);

    /** The models made for ImageNet: 1000 classes and 224×224 (227×227 for the 2012 AlexNet) by default. */
    public static final List<String> IMAGENET = List.of(ALEXNET, ALEXNET_2012, VGG16, RESNET18, MOBILENET_V2);

    /** The classes of the datasets the small models are made for (MNIST, Fashion-MNIST, CIFAR-10); the U-Net's default too. */
    public static final int CLASSES = 10;

    /** ImageNet's classes: the default of the {@link #IMAGENET} models. */
    public static final int IMAGENET_CLASSES = 1000;

    /**
     * What the zoo knows of one model.
     *
     * @param name       its zoo name
     * @param source     the paper (and implementation) it follows, in words
     * @param input      its default per-sample input shape (C, H, W), the reference's
     * @param classes    its default class count: 1000 for the ImageNet models, else 10
     * @param reference  the trainable parameter count its reference gives at that input and class
     *                   count (torchvision, the paper or the course), empty for the zoo's own models
     */
    public record Entry(String name, String source, Shape input, int classes, OptionalLong reference) {
    }

    /** The zoo's record of a model: source, default input and classes, reference parameter count. */
    public static Entry entry(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        Shape input = defaultInput(n);
        int classes = defaultClasses(n);
        return switch (n) {
            case LENET5 -> new Entry(LENET5, "LeNet-5 (LeCun et al. 1998) as the course draws it, ReLU and max pooling",
                    input, classes, OptionalLong.of(61_706));
            case CIFAR, "cifar" -> new Entry(CIFAR, "a small CIFAR-style CNN (this project)", input, classes,
                    OptionalLong.empty());
            case FCN -> new Entry(FCN, "a fully convolutional classifier (this project)", input, classes,
                    OptionalLong.empty());
            case BN_CNN -> new Entry(BN_CNN, "two convolution blocks with batch normalisation (this project)", input,
                    classes, OptionalLong.empty());
            case RESNET20 -> new Entry(RESNET20, "ResNet-20 for CIFAR (He et al. 2016, section 4.2), option-B shortcuts",
                    input, classes, OptionalLong.of(272_474));
            case ALEXNET -> new Entry(ALEXNET, "AlexNet as torchvision has it (Krizhevsky 2014)", input, classes,
                    OptionalLong.of(61_100_840));
            case ALEXNET_2012 -> new Entry(ALEXNET_2012, "AlexNet as in Krizhevsky, Sutskever and Hinton 2012 (LRN, two"
                    + " groups)", input, classes, OptionalLong.of(60_965_224));
            case VGG16 -> new Entry(VGG16, "VGG-16 (Simonyan and Zisserman 2015) as torchvision has it", input, classes,
                    OptionalLong.of(138_357_544));
            case RESNET18 -> new Entry(RESNET18, "ResNet-18 (He et al. 2016) as torchvision has it", input, classes,
                    OptionalLong.of(11_689_512));
            case MOBILENET_V2 -> new Entry(MOBILENET_V2, "MobileNetV2 (Sandler et al. 2018) as torchvision has it",
                    input, classes, OptionalLong.of(3_504_872));
            case UNET -> new Entry(UNET, "a small U-Net (Ronneberger et al. 2015), 16/32/64 filters", input, classes,
                    OptionalLong.empty());
            default -> throw unknown(name);
        };
    }

    private ModelZoo() {
    }

    /** A new, unbuilt model by name, at its own input shape and class count ({@link #entry}). */
    public static Model create(String name) {
        return create(name, defaultInput(name));
    }

    private static Shape defaultInput(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case LENET5, FCN, BN_CNN -> Shape.of(1, 28, 28);
            case CIFAR, "cifar", RESNET20 -> Shape.of(3, 32, 32);
            case ALEXNET, VGG16, RESNET18, MOBILENET_V2 -> Shape.of(3, 224, 224);
            case ALEXNET_2012 -> Shape.of(3, 227, 227);
            case UNET -> Shape.of(1, 64, 64);
            default -> throw unknown(name);
        };
    }

    /** The class count a model gets when none is given: 1000 for the ImageNet models, else 10. */
    public static int defaultClasses(String name) {
        defaultInput(name); // refuses an unknown name
        return IMAGENET.contains(name.toLowerCase(Locale.ROOT)) ? IMAGENET_CLASSES : CLASSES;
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown model '" + name + "'; known models: " + String.join(", ", NAMES));
    }

    /**
     * A new, unbuilt model by name for images of another shape (C, H, W): the same layers, the
     * Dense layers sized for it. LeNet-5 takes 3×32×32 as well as 1×28×28; an image too small
     * for the model's convolutions and pooling is refused. The classes are the model's default,
     * {@link #defaultClasses}.
     */
    public static Model create(String name, Shape input) {
        return create(name, input, defaultClasses(name));
    }

    /**
     * A new, unbuilt model by name for images of the given shape (C, H, W) and the given number
     * of classes (its last layer's outputs), e.g. an image folder's class count.
     *
     * For the U-Net the classes are its logit maps; 1 makes it a binary segmenter (one logit
     * per pixel, for binary cross-entropy).
     *
     * @throws IllegalArgumentException when classes is below 2 (below 1 for the U-Net)
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
        if (classes < 2 && !(name.equalsIgnoreCase(UNET) && classes == 1)) {
            throw new IllegalArgumentException("model '" + name + "': " + classes + " classes; a classifier needs at"
                    + " least 2");
        }
        Model plain = switch (name.toLowerCase(Locale.ROOT)) {
            case LENET5 -> lenet5(input, classes);
            case CIFAR, "cifar" -> cifarCnn(input, classes);
            case FCN -> fcn(input, classes);
            case BN_CNN -> bnCnn(input, classes);
            case RESNET20 -> resnet20(input, classes);
            case ALEXNET -> alexnet(input, classes);
            case ALEXNET_2012 -> alexnet2012(input, classes);
            case VGG16 -> vgg16(input, classes);
            case RESNET18 -> resnet18(input, classes);
            case MOBILENET_V2 -> mobilenetV2(input, classes);
            case UNET -> unet(input, classes, 16);
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
            Map<Node, Node> copies = new HashMap<>();
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

    /**
     * torchvision's AlexNet, the single-tower version of Krizhevsky's 2014 "One weird trick"
     * paper: 64@11×11 stride 4 padding 2, 3×3/2 max pooling, 192@5×5 padding 2, pooling, 384, 256
     * and 256 3×3 convolutions padding 1, pooling, then dropout 0.5, Dense 4096, dropout, Dense
     * 4096 and Dense with softmax; ReLU after every convolution and hidden Dense layer. At 224×224
     * the features are 256×6×6 (224 → 55 → 27 → 13 → 6), so torchvision's adaptive average pooling
     * to 6×6 changes nothing and is left out; at another size the first Dense layer follows the
     * input instead. 61,100,840 parameters for 1000 classes.
     */
    public static Sequential alexnet(Shape input, int classes) {
        return new Sequential(ALEXNET, input,
                new Conv2D(64, 11).strides(4).padding(Padding.of(2)).activation(Activation.RELU),
                new MaxPool2D(3).strides(2),
                new Conv2D(192, 5).padding(Padding.of(2)).activation(Activation.RELU),
                new MaxPool2D(3).strides(2),
                new Conv2D(384, 3).padding(Padding.of(1)).activation(Activation.RELU),
                new Conv2D(256, 3).padding(Padding.of(1)).activation(Activation.RELU),
                new Conv2D(256, 3).padding(Padding.of(1)).activation(Activation.RELU),
                new MaxPool2D(3).strides(2),
                new Flatten(),
                new Dropout(0.5),
                new Dense(4096, Activation.RELU),
                new Dropout(0.5),
                new Dense(4096, Activation.RELU),
                new Dense(classes, Activation.SOFTMAX));
    }

    /**
     * AlexNet as in Krizhevsky, Sutskever and Hinton 2012 ("ImageNet classification with deep
     * convolutional neural networks", figure 2 and section 3), on 227×227×3 (the size at which
     * the stated 55×55 maps come out): 96@11×11 stride 4, ReLU, local response normalisation (n
     * = 5, α = 1e-4, β = 0.75, k = 2; PyTorch's convention, which divides α by n), overlapping
     * 3×3/2 max pooling; 256@5×5 padding 2 in two groups (the paper's two GPUs), LRN, pooling;
     * 384@3×3 connected to all of its input; 384@3×3 and 256@3×3 in two groups; pooling; Dense
     * 4096, dropout 0.5, Dense 4096, dropout 0.5, Dense with softmax. 60,965,224 parameters for
     * 1000 classes.
     */
    public static Sequential alexnet2012(Shape input, int classes) {
        return new Sequential(ALEXNET_2012, input,
                new Conv2D(96, 11).strides(4).activation(Activation.RELU),
                new LocalResponseNorm(5, 1e-4, 0.75, 2),
                new MaxPool2D(3).strides(2),
                new Conv2D(256, 5).padding(Padding.of(2)).groups(2).activation(Activation.RELU),
                new LocalResponseNorm(5, 1e-4, 0.75, 2),
                new MaxPool2D(3).strides(2),
                new Conv2D(384, 3).padding(Padding.of(1)).activation(Activation.RELU),
                new Conv2D(384, 3).padding(Padding.of(1)).groups(2).activation(Activation.RELU),
                new Conv2D(256, 3).padding(Padding.of(1)).groups(2).activation(Activation.RELU),
                new MaxPool2D(3).strides(2),
                new Flatten(),
                new Dense(4096, Activation.RELU),
                new Dropout(0.5),
                new Dense(4096, Activation.RELU),
                new Dropout(0.5),
                new Dense(classes, Activation.SOFTMAX));
    }

    /**
     * VGG-16, configuration D of Simonyan and Zisserman 2015, as torchvision has it (no batch
     * normalisation): five blocks of 3×3 convolutions padding 1 with ReLU (2 × 64, 2 × 128, 3 ×
     * 256, 3 × 512, 3 × 512), each closed by 2×2 max pooling, then Dense 4096 with ReLU and
     * dropout 0.5, the same again and Dense with softmax. At 224×224 the features are 512×7×7,
     * torchvision's adaptive pooling size, so it is left out. 138,357,544 parameters for 1000
     * classes.
     */
    public static Sequential vgg16(Shape input, int classes) {
        List<Layer> layers = new ArrayList<>();
        int[][] blocks = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        for (int[] block : blocks) {
            for (int filters : block) {
                layers.add(new Conv2D(filters, 3).padding(Padding.of(1)).activation(Activation.RELU));
            }
            layers.add(new MaxPool2D(2));
        }
        layers.add(new Flatten());
        layers.add(new Dense(4096, Activation.RELU));
        layers.add(new Dropout(0.5));
        layers.add(new Dense(4096, Activation.RELU));
        layers.add(new Dropout(0.5));
        layers.add(new Dense(classes, Activation.SOFTMAX));
        return new Sequential(VGG16, input, layers.toArray(Layer[]::new));
    }

    /**
     * ResNet-18 of He et al. 2016 (table 1) as torchvision has it: a 7×7 convolution with 64
     * filters and stride 2, batch normalisation and ReLU, 3×3/2 max pooling padding 1, four
     * stages of two basic blocks with 64, 128, 256 and 512 filters (the last three starting with
     * stride 2 and a 1×1 projection with batch normalisation on the shortcut), global average
     * pooling and Dense with softmax. The convolutions have no bias. 11,689,512 parameters for
     * 1000 classes.
     */
    public static Functional resnet18(Shape input, int classes) {
        Node x = Input.of("input", input);
        Node h = relu().apply(bn().apply(conv(64, 7, 2).apply(x)));
        h = new MaxPool2D(3).strides(2).padding(Padding.of(1)).apply(h);
        int[] widths = {64, 128, 256, 512};
        for (int stage = 0; stage < widths.length; stage++) {
            for (int block = 0; block < 2; block++) {
                h = basicBlock(h, widths[stage], stage > 0 && block == 0 ? 2 : 1);
            }
        }
        h = new GlobalAveragePooling2D().apply(h);
        Node y = new Dense(classes, Activation.SOFTMAX).apply(h);
        return new Functional(RESNET18, x, y);
    }

    /**
     * MobileNetV2 of Sandler et al. 2018 (table 2, width 1.0) as torchvision has it: a 3×3
     * convolution with 32 filters and stride 2, seventeen inverted residual blocks, a 1×1
     * convolution to 1280 channels, global average pooling, dropout 0.2 and Dense with softmax.
     * Every convolution has no bias and is followed by batch normalisation and, except the
     * blocks' last (the linear bottleneck), ReLU6. 3,504,872 parameters for 1000 classes.
     */
    public static Functional mobilenetV2(Shape input, int classes) {
        Node x = Input.of("input", input);
        Node h = relu6().apply(bn().apply(conv(32, 3, 2).apply(x)));
        // expansion t, output channels c, repeats n, first stride s: the paper's table 2
        int[][] settings = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2},
            {6, 320, 1, 1}};
        for (int[] s : settings) {
            for (int i = 0; i < s[2]; i++) {
                h = invertedResidual(h, s[0], s[1], i == 0 ? s[3] : 1);
            }
        }
        h = relu6().apply(bn().apply(conv(1280, 1, 1).apply(h)));
        h = new GlobalAveragePooling2D().apply(h);
        h = new Dropout(0.2).apply(h);
        Node y = new Dense(classes, Activation.SOFTMAX).apply(h);
        return new Functional(MOBILENET_V2, x, y);
    }

    /**
     * An inverted residual block: a 1×1 expansion to t times the channels (none when t is 1),
     * a depthwise 3×3 convolution (one group per channel) with the block's stride, both with
     * ReLU6, then a linear 1×1 projection to the output channels; the input is added when the
     * shape stays the same.
     */
    private static Node invertedResidual(Node x, int expansion, int filters, int stride) {
        int channels = x.shape().dim(0);
        int hidden = channels * expansion;
        Node h = x;
        if (expansion != 1) {
            h = relu6().apply(bn().apply(conv(hidden, 1, 1).apply(h)));
        }
        h = relu6().apply(bn().apply(new DepthwiseConv2D(3).strides(stride).padding(Padding.of(1)).useBias(false)
                .apply(h)));
        h = bn().apply(conv(filters, 1, 1).apply(h));
        return stride == 1 && channels == filters ? new Add().apply(x, h) : h;
    }

    /**
     * A small U-Net after Ronneberger et al. 2015, three levels deep: at each level two 3×3
     * convolutions padding 1 (no bias) with batch normalisation and ReLU, with width, 2·width
     * and 4·width filters; 2×2 max pooling down; back up a 2×2 transposed convolution with stride
     * 2 halving the channels, concatenated with the encoder's features of that level, and two
     * convolutions; a 1×1 convolution to one logit map per class (no softmax: {@link
     * dev.jcnn.train.PixelwiseCrossEntropy} takes the logits). The output is (classes, H, W).
     * Only convolutions, so it takes any image whose sides are multiples of 4. With width 16,
     * one input channel and ten classes, 117,226 trainable parameters.
     *
     * @param classes the logit maps: one per class, or 1 for a binary mask
     * @throws IllegalArgumentException when a side is not a positive multiple of 4, or classes
     *     or width is not positive
     */
    public static Functional unet(Shape input, int classes, int width) {
        input.requireRank(3);
        if (input.dim(1) % 4 != 0 || input.dim(2) % 4 != 0) {
            throw new IllegalArgumentException("unet: the image sides must be multiples of 4 (two poolings), got "
                    + input.dim(1) + "x" + input.dim(2) + " in input " + input);
        }
        if (classes < 1 || width < 1) {
            throw new IllegalArgumentException("unet: classes and width must be positive, got classes " + classes
                    + ", width " + width);
        }
        Node x = Input.of("input", input);
        Node e1 = twoConvs(x, width);
        Node e2 = twoConvs(new MaxPool2D(2).apply(e1), 2 * width);
        Node bottom = twoConvs(new MaxPool2D(2).apply(e2), 4 * width);
        Node d2 = twoConvs(new Concatenate().apply(e2, up(bottom, 2 * width)), 2 * width);
        Node d1 = twoConvs(new Concatenate().apply(e1, up(d2, width)), width);
        Node logits = new Conv2D(classes, 1).apply(d1);
        return new Functional(UNET, x, logits);
    }

    /** (conv 3×3 without bias, batch normalisation, ReLU) twice: a U-Net level. */
    private static Node twoConvs(Node x, int filters) {
        Node h = relu().apply(bn().apply(conv(filters, 3, 1).apply(x)));
        return relu().apply(bn().apply(conv(filters, 3, 1).apply(h)));
    }

    /** The U-Net's way up: a 2×2 transposed convolution with stride 2, twice the size. */
    private static Node up(Node x, int filters) {
        return new Conv2DTranspose(filters, 2).strides(2).apply(x);
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

    private static ActivationLayer relu6() {
        return new ActivationLayer(Activation.RELU6);
    }
}
