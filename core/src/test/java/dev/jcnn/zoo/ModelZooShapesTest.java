package dev.jcnn.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.model.Model;
import dev.jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;

/** The zoo's models built for the datasets' input shapes: the Dense layers follow the input. */
class ModelZooShapesTest {

    @Test
    void theDefaultShapesAreUnchanged() {
        assertEquals(Shape.of(1, 28, 28), ModelZoo.inputShape("lenet5"));
        assertEquals(Shape.of(3, 32, 32), ModelZoo.inputShape("cifar-cnn"));
        assertEquals(61_706, ModelZoo.create("lenet5").parameterCount());
        assertEquals(122_570, ModelZoo.create("cifar-cnn").parameterCount());
    }

    @Test
    void lenet5TakesCifarsThreeChannelsOf32By32() {
        Model m = ModelZoo.create("lenet5", Shape.of(3, 32, 32));
        assertEquals("lenet5", m.name());
        assertEquals(Shape.of(3, 32, 32), m.inputShape());
        // 3·25·6+6, 6·25·16+16, 16·6·6·120+120, 120·84+84, 84·10+10
        assertEquals(456 + 2_416 + 69_240 + 10_164 + 850, m.parameterCount());
        assertEquals(10, m.outputShape().size());
    }

    @Test
    void theCifarCnnTakesFashionMnistsOneChannelOf28By28() {
        Model m = ModelZoo.create("cifar-cnn", Shape.of(1, 28, 28));
        assertEquals(Shape.of(1, 28, 28), m.inputShape());
        // 28 → 14 → 7 → 3 after the three poolings: 64·3·3 = 576 values into Dense 64
        assertEquals(320 + 18_496 + 36_928 + 36_928 + 650, m.parameterCount());
    }

    @Test
    void theFcnTakesLargerImagesAndUnknownNamesAreRefused() {
        assertEquals(Shape.of(3, 32, 32), ModelZoo.create("fcn", Shape.of(3, 32, 32)).inputShape());
        assertEquals(10, ModelZoo.create("fcn", Shape.of(3, 32, 32)).outputShape().size());
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("vgg", Shape.of(1, 28, 28)));
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("lenet5", Shape.of(28, 28)));
    }

    @Test
    void everyModelTakesTheClassCountOfItsData() {
        for (String name : ModelZoo.NAMES) {
            Model m = ModelZoo.create(name, ModelZoo.inputShape(name), 37);
            // the classifiers give 37 scores, the U-Net 37 logit maps of its input's size
            assertEquals(name.equals(ModelZoo.UNET) ? Shape.of(37, 64, 64) : Shape.of(37), m.outputShape(), name);
        }
        // the bn-cnn: 320+128, 18,496+256, 3,136·256+256 + 1,024, 256·10+10 for ten classes (BN: 4 per channel)
        assertEquals(320 + 128 + 18_496 + 256 + 803_072 + 1_024 + 2_570, ModelZoo.create("bn-cnn").parameterCount());
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("lenet5", Shape.of(1, 28, 28), 1));
    }

    @Test
    void resnet20HasHeEtAlsShapeAndKerasParameterCount() {
        Model m = ModelZoo.create("resnet20");
        assertEquals(Shape.of(3, 32, 32), m.inputShape());
        assertEquals(Shape.of(10), m.outputShape());
        // 19 3×3 convolutions without bias: 16·3·9 + 6·16·16·9 + (16·32 + 5·32·32)·9 + (32·64 + 5·64·64)·9,
        // two 1×1 projections 16·32 + 32·64, 21 batch normalisations (2 trainable per channel) and Dense 64·10 + 10
        long convs = 432 + 6 * 2_304 + (4_608 + 5 * 9_216) + (18_432 + 5 * 36_864);
        long bnChannels = 16 + 6 * 16 + 7 * 32 + 7 * 64;
        assertEquals(convs + 512 + 2_048 + 2 * bnChannels + 650, 272_474);
        assertEquals(272_474 + 2 * bnChannels, m.parameterCount());
        assertTrue(m.summary().contains("Trainable params: 272,474"), m.summary());
        // Fashion-MNIST's 28×28 goes 28 → 14 → 7 through the strided stages
        assertEquals(Shape.of(10), ModelZoo.create("resnet20", Shape.of(1, 28, 28), 10).outputShape());
    }

    @Test
    void theImageNetModelsHaveTheirReferenceParameterCounts() {
        // torchvision's counts (sum of p.numel() over the trainable parameters) at 224×224, 1000 classes
        assertTrainable("alexnet", Shape.of(3, 224, 224), Shape.of(1000), 61_100_840);
        assertTrainable("vgg16", Shape.of(3, 224, 224), Shape.of(1000), 138_357_544);
        assertTrainable("resnet18", Shape.of(3, 224, 224), Shape.of(1000), 11_689_512);
        assertTrainable("mobilenetv2", Shape.of(3, 224, 224), Shape.of(1000), 3_504_872);
        for (String name : ModelZoo.IMAGENET) {
            assertEquals(1000, ModelZoo.defaultClasses(name), name);
            assertEquals(ModelZoo.entry(name).reference().orElseThrow(), ModelZoo.create(name).trainableParameterCount(),
                    name);
        }
        assertEquals(10, ModelZoo.defaultClasses("resnet20"));
        assertEquals(10, ModelZoo.defaultClasses("unet"));
    }

    @Test
    void alexNet2012HasThePapersLayersAndTheirParameters() {
        // weights + biases; conv2, conv4 and conv5 see half their input channels (two groups)
        long conv1 = 96L * 3 * 11 * 11 + 96;
        long conv2 = 256L * 48 * 5 * 5 + 256;
        long conv3 = 384L * 256 * 3 * 3 + 384;
        long conv4 = 384L * 192 * 3 * 3 + 384;
        long conv5 = 256L * 192 * 3 * 3 + 256;
        long fc6 = 256L * 6 * 6 * 4096 + 4096; // 227 → 55 → 27 → 13 → 6 after the convolutions and poolings
        long fc7 = 4096L * 4096 + 4096;
        long fc8 = 4096L * 1000 + 1000;
        long byHand = conv1 + conv2 + conv3 + conv4 + conv5 + fc6 + fc7 + fc8;
        assertEquals(60_965_224, byHand);
        Model m = assertTrainable("alexnet2012", Shape.of(3, 227, 227), Shape.of(1000), byHand);
        assertEquals(byHand, m.parameterCount(), "LRN has no parameters and there is no batch normalisation");
        assertEquals(2, m.layers().stream().filter(l -> l.type().equals("LocalResponseNorm")).count());
        assertEquals(60_965_224, ModelZoo.entry("alexnet2012").reference().orElseThrow());
    }

    @Test
    void theUnetKeepsTheImageSizeAndCountsItsParameters() {
        // two 3×3 convolutions without bias + BN (2 trainable per channel) per level, 2×2 transposed convolutions with bias
        long e1 = 16L * 1 * 9 + 32 + 16L * 16 * 9 + 32;
        long e2 = 32L * 16 * 9 + 64 + 32L * 32 * 9 + 64;
        long bottom = 64L * 32 * 9 + 128 + 64L * 64 * 9 + 128;
        long up2 = 64L * 32 * 4 + 32;
        long d2 = 32L * 64 * 9 + 64 + 32L * 32 * 9 + 64; // the concatenation: 32 + 32 channels in
        long up1 = 32L * 16 * 4 + 16;
        long d1 = 16L * 32 * 9 + 32 + 16L * 16 * 9 + 32;
        long head = 16L * 10 + 10;
        Model m = assertTrainable("unet", Shape.of(1, 64, 64), Shape.of(10, 64, 64),
                e1 + e2 + bottom + up2 + d2 + up1 + d1 + head);
        assertEquals(117_226, m.trainableParameterCount());
        assertEquals(Shape.of(3, 40, 24), ModelZoo.create("unet", Shape.of(3, 40, 24), 3).outputShape());
        assertEquals(Shape.of(1, 32, 32), ModelZoo.create("unet", Shape.of(1, 32, 32), 1).outputShape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelZoo.create("unet", Shape.of(1, 30, 32)));
        assertEquals("unet: the image sides must be multiples of 4 (two poolings), got 30x32 in input (1, 30, 32)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.create("resnet18", Shape.of(3, 224, 224), 1));
    }

    @Test
    void everyEntryNamesItsDefaultsAndTheSubsetsAreZooNames() {
        for (String name : ModelZoo.NAMES) {
            ModelZoo.Entry e = ModelZoo.entry(name);
            assertEquals(name, e.name());
            assertEquals(ModelZoo.inputShape(name), e.input());
            assertEquals(ModelZoo.defaultClasses(name), e.classes());
            Model m = ModelZoo.create(name);
            assertEquals(e.input(), m.inputShape(), name);
            e.reference().ifPresent(r -> assertEquals(r, m.trainableParameterCount(), name));
        }
        assertTrue(ModelZoo.NAMES.containsAll(ModelZoo.SMALL));
        assertTrue(ModelZoo.NAMES.containsAll(ModelZoo.IMAGENET));
        assertTrue(ModelZoo.SMALL.stream().allMatch(n -> ModelZoo.create(n).parameterCount() < 1_000_000));
        assertThrows(IllegalArgumentException.class, () -> ModelZoo.entry("vgg19"));
    }

    private static Model assertTrainable(String name, Shape input, Shape output, long trainable) {
        Model m = ModelZoo.create(name);
        assertEquals(name, m.name());
        assertEquals(input, m.inputShape(), name);
        assertEquals(output, m.outputShape(), name);
        assertEquals(trainable, m.trainableParameterCount(), name);
        assertTrue(m.summary().contains(String.format(java.util.Locale.ROOT, "Trainable params: %,d", trainable)), name);
        return m;
    }
}
