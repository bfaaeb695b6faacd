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
            assertEquals(37, m.outputShape().size(), name);
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
}
