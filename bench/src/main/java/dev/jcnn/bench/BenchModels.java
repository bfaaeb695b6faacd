package dev.jcnn.bench;

import dev.jcnn.layers.Activation;
import dev.jcnn.layers.ActivationLayer;
import dev.jcnn.layers.Add;
import dev.jcnn.layers.BatchNormalization;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.GlobalAveragePooling2D;
import dev.jcnn.layers.Input;
import dev.jcnn.layers.Node;
import dev.jcnn.layers.Padding;
import dev.jcnn.model.Functional;
import dev.jcnn.model.Model;
import dev.jcnn.zoo.ModelZoo;

/**
 * The models the CIFAR-sized benchmarks train, by name: the zoo's, and a ResNet-20 of the PyTorch
 * peer's architecture ({@code scripts/peers/pytorch_resnet20.py}) until the zoo has one.
 */
final class BenchModels {

    static final String RESNET20 = "resnet20";

    private BenchModels() {
    }

    /** The zoo's model of that name, or the ResNet-20 stand-in for "resnet20". */
    static Model create(String name) {
        // Once ModelZoo has "resnet20" (with this architecture) this is ModelZoo.create(name) alone.
        return RESNET20.equals(name) && !ModelZoo.NAMES.contains(RESNET20) ? resnet20() : ModelZoo.create(name);
    }

    /**
     * ResNet-20 for CIFAR-10 (He et al. 2016, section 4.2): 3×32×32, a 3×3 convolution of 16 filters with batch
     * normalisation and ReLU, three stages of three basic blocks with 16, 32 and 64 filters, stride 2 at the
     * first block of stages 2 and 3 with a 1×1 convolution and batch normalisation on the shortcut, global
     * average pooling and a dense layer of 10. Convolutions have no bias (the batch normalisation has one), and
     * pad by 1 as PyTorch's peer does.
     */
    static Model resnet20() {
        Node x = Input.of(3, 32, 32);
        Node h = convBn(16, 3, 1, x, true);
        int channels = 16;
        for (int filters : new int[] {16, 32, 64}) {
            for (int block = 0; block < 3; block++) {
                int stride = block == 0 && filters != channels ? 2 : 1;
                Node r = convBn(filters, 3, stride, h, true);
                r = convBn(filters, 3, 1, r, false);
                Node shortcut = stride == 1 && filters == channels ? h : convBn(filters, 1, stride, h, false);
                h = new ActivationLayer(Activation.RELU).apply(new Add().apply(r, shortcut));
                channels = filters;
            }
        }
        Node y = new Dense(ModelZoo.CLASSES, Activation.SOFTMAX).apply(new GlobalAveragePooling2D().apply(h));
        return new Functional(RESNET20, x, y);
    }

    private static Node convBn(int filters, int kernel, int stride, Node in, boolean relu) {
        Node c = new Conv2D(filters, kernel).strides(stride).padding(kernel == 3 ? Padding.of(1) : Padding.VALID)
                .useBias(false).apply(in);
        Node n = new BatchNormalization().apply(c);
        return relu ? new ActivationLayer(Activation.RELU).apply(n) : n;
    }
}
