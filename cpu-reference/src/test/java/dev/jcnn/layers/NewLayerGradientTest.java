package dev.jcnn.layers;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.tensor.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Finite-difference gradient checks of the layers of functional models and segmentation, over several configurations. */
class NewLayerGradientTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @AfterEach
    void close() {
        cpu.close();
    }

    @Test
    void conv2dTranspose() {
        GradientCheck.checkLayer(cpu, new Conv2DTranspose(3, 2).strides(2), Shape.of(2, 2, 3, 3), 1);
        GradientCheck.checkLayer(cpu, new Conv2DTranspose(2, 3).strides(2).padding(Padding.SAME), Shape.of(2, 3, 3, 4), 2);
        GradientCheck.checkLayer(cpu, new Conv2DTranspose(2, 3).strides(2).padding(Padding.of(1)).outputPadding(1, 1),
                Shape.of(1, 2, 3, 3), 3);
        GradientCheck.checkLayer(cpu, new Conv2DTranspose(2, 2, 3).strides(1, 2).useBias(false), Shape.of(2, 3, 2, 3), 4);
        GradientCheck.checkLayer(cpu, new Conv2DTranspose(2, 3).activation(Activation.TANH), Shape.of(1, 2, 3, 3), 5);
    }

    /** Dilated, grouped, depthwise, and all at once with SAME padding and an output padding. */
    @Test
    void conv2dTransposeDilatedAndGrouped() {
        GradientCheck.checkLayer(cpu, new Conv2DTranspose(2, 3).dilation(2), Shape.of(2, 2, 3, 3), 44);
        GradientCheck.checkLayer(cpu, new Conv2DTranspose(4, 3).strides(2).groups(2), Shape.of(1, 4, 2, 3), 45);
        GradientCheck.checkLayer(cpu, new Conv2DTranspose(3, 2).groups(3).useBias(false), Shape.of(2, 3, 3, 3), 46);
        GradientCheck.checkLayer(cpu, new Conv2DTranspose(4, 3).strides(2).padding(Padding.of(2)).outputPadding(1, 0)
                .dilation(2, 1).groups(2), Shape.of(1, 2, 3, 3), 47);
    }

    /** Multiplier 1 and 2, stride 2, SAME padding, dilation and an activation: the layer's settings reach the op. */
    @Test
    void depthwiseConv2D() {
        GradientCheck.checkLayer(cpu, new DepthwiseConv2D(3).padding(Padding.SAME), Shape.of(2, 3, 4, 5), 41);
        GradientCheck.checkLayer(cpu, new DepthwiseConv2D(3).depthMultiplier(2).strides(2), Shape.of(1, 2, 5, 5), 42);
        GradientCheck.checkLayer(cpu, new DepthwiseConv2D(2, 3).dilation(2).useBias(false).activation(Activation.TANH),
                Shape.of(2, 2, 5, 6), 43);
    }

    @Test
    void upSampling() {
        GradientCheck.checkLayer(cpu, new UpSampling2D(2), Shape.of(2, 2, 3, 3), 6);
        GradientCheck.checkLayer(cpu, new UpSampling2D(3, 2), Shape.of(1, 2, 2, 3), 7);
        GradientCheck.checkLayer(cpu, new UpSampling2D(2).interpolation(Interpolation.BILINEAR), Shape.of(2, 2, 3, 4), 8);
        GradientCheck.checkLayer(cpu, new UpSampling2D(3, 2).interpolation(Interpolation.BILINEAR), Shape.of(1, 1, 2, 3), 9);
        GradientCheck.checkLayer(cpu, new UpSampling2D(2).interpolation(Interpolation.BILINEAR), Shape.of(1, 2, 1, 1), 10);
    }

    @Test
    void globalAveragePooling() {
        GradientCheck.checkLayer(cpu, new GlobalAveragePooling2D(), Shape.of(2, 3, 4, 5), 11);
        GradientCheck.checkLayer(cpu, new GlobalAveragePooling2D(), Shape.of(3, 2, 1, 1), 12);
    }

    /** Gaussian inputs: no two of a channel's values lie within the finite-difference step of each other. */
    @Test
    void globalMaxPooling() {
        GradientCheck.checkLayer(cpu, new GlobalMaxPooling2D(), Shape.of(2, 3, 4, 5), 21);
        GradientCheck.checkLayer(cpu, new GlobalMaxPooling2D(), Shape.of(3, 2, 1, 1), 22);
        GradientCheck.checkLayer(cpu, new GlobalMaxPooling2D(), Shape.of(2, 2, 1, 7), 23);
    }

    @Test
    void batchNormalizationInTraining() {
        GradientCheck.checkLayer(cpu, new BatchNormalization(), Shape.of(4, 3, 3, 3), 13);
        GradientCheck.checkLayer(cpu, new BatchNormalization().epsilon(1e-2), Shape.of(2, 2, 1, 2), 14);
        GradientCheck.checkLayer(cpu, new BatchNormalization(), Shape.of(6, 4), 15);
    }

    /** AlexNet's defaults, a window wider than the channels, flat features. */
    @Test
    void localResponseNorm() {
        GradientCheck.checkLayer(cpu, new LocalResponseNorm(), Shape.of(2, 7, 3, 3), 31);
        GradientCheck.checkLayer(cpu, new LocalResponseNorm(5, 1.0, 0.75, 1.0), Shape.of(1, 3, 2, 2), 32);
        GradientCheck.checkLayer(cpu, new LocalResponseNorm(3, 0.5, 0.5, 1.0), Shape.of(3, 6), 33);
    }

    @Test
    void merges() {
        GradientCheck.checkMerge(cpu, new Add(), List.of(Shape.of(2, 3, 4, 4), Shape.of(2, 3, 4, 4)), 16);
        GradientCheck.checkMerge(cpu, new Add(), List.of(Shape.of(2, 5), Shape.of(2, 5), Shape.of(2, 5)), 17);
        GradientCheck.checkMerge(cpu, new Concatenate(), List.of(Shape.of(2, 3, 2, 3), Shape.of(2, 1, 2, 3),
                Shape.of(2, 2, 2, 3)), 18);
        GradientCheck.checkMerge(cpu, new Concatenate(), List.of(Shape.of(3, 4), Shape.of(3, 2)), 19);
    }

    /** Each evaluation builds a fresh layer with the same seed, so every forward pass draws the same mask. */
    @Test
    void dropoutWithAFixedMask() {
        Shape s = Shape.of(2, 3, 4, 4);
        Random random = new Random(20);
        float[] xv = GradientCheck.random(random, s.size(), 1.0);
        float[] r = GradientCheck.random(random, s.size(), 1.0);
        float[] dx;
        try (Dropout d = fresh(s); Tensor x = cpu.upload(s, xv); Tensor dy = cpu.upload(s, r)) {
            d.forward(x, true);
            dx = d.backward(dy).toArray();
        }
        GradientCheck.check("dropout input", xv, dx, v -> {
            try (Dropout d = fresh(s); Tensor x = cpu.upload(s, v)) {
                return GradientCheck.dot(r, d.forward(x, true));
            }
        });
    }

    private Dropout fresh(Shape s) {
        Dropout d = new Dropout(0.4).seed(77).named("dropout");
        d.build(s.withoutBatch(), cpu, new Random(0));
        return d;
    }
}
