package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.layers.Parameter;
import dev.jcnn.tensor.Shape;
import dev.jcnn.zoo.ModelZoo;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every large zoo model built on the CPU backend at its reference input size: one training
 * forward pass gives the reference output shape and a probability per class, and one backward
 * pass of the cross-entropy (softmax minus the one-hot label) gives every trainable parameter
 * a finite gradient that is not all zero. VGG-16 holds 0.55 GB of weights and as much of
 * gradients; the surefire heap (4 GB) takes it.
 */
class ZooPassesTest {

    private static final Logger LOG = LogManager.getLogger(ZooPassesTest.class);

    private static CpuBackend cpu;

    @BeforeAll
    static void start() {
        cpu = new CpuBackend(BackendOptions.defaults());
    }

    @AfterAll
    static void stop() {
        cpu.close();
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(ModelZoo.ALEXNET, 1, Shape.of(3, 224, 224), Shape.of(1000)),
                Arguments.of(ModelZoo.ALEXNET_2012, 1, Shape.of(3, 227, 227), Shape.of(1000)),
                Arguments.of(ModelZoo.VGG16, 1, Shape.of(3, 224, 224), Shape.of(1000)),
                Arguments.of(ModelZoo.RESNET18, 1, Shape.of(3, 224, 224), Shape.of(1000)),
                Arguments.of(ModelZoo.MOBILENET_V2, 2, Shape.of(3, 224, 224), Shape.of(1000)),
                Arguments.of(ModelZoo.RESNET20, 2, Shape.of(3, 32, 32), Shape.of(10)),
                Arguments.of(ModelZoo.UNET, 2, Shape.of(1, 64, 64), Shape.of(10, 64, 64)));
    }

    @ParameterizedTest(name = "{0}, batch {1}: forward and backward at {2}")
    @MethodSource("models")
    void oneForwardAndBackwardPassAtTheReferenceSize(String name, int batch, Shape input, Shape output) {
        long start = System.nanoTime();
        try (Model m = ModelZoo.create(name)) {
            assertEquals(input, m.inputShape());
            assertEquals(output, m.outputShape());
            m.build(cpu, 3);
            Random random = new Random(11);
            float[] x = new float[input.withBatch(batch).size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            int classes = output.dim(0);
            int pixels = output.size() / classes;
            float[] gradient;
            boolean fromLogits;
            try (Tensor in = cpu.upload(input.withBatch(batch), x)) {
                float[] y = m.forward(in, true).toArray();
                assertEquals(output.withBatch(batch).size(), y.length, name);
                if (name.equals(ModelZoo.UNET)) {
                    // logit maps: the per-pixel softmax minus the one-hot label, as PixelwiseCrossEntropy's gradient
                    gradient = pixelwiseSoftmaxMinusLabel(y, batch, classes, pixels, random);
                    fromLogits = false;
                } else {
                    gradient = probabilitiesMinusLabel(name, y, batch, classes, random);
                    fromLogits = true;
                }
                try (Tensor d = cpu.upload(output.withBatch(batch), gradient)) {
                    m.backward(d, fromLogits);
                }
            }
            for (Parameter p : m.parameters()) {
                float[] g = p.grad().toArray();
                double sumOfSquares = 0;
                for (int i = 0; i < g.length; i++) {
                    assertTrue(Float.isFinite(g[i]), () -> name + ": " + p.name() + " has a non-finite gradient");
                    sumOfSquares += (double) g[i] * g[i];
                }
                assertTrue(sumOfSquares > 0, name + ": " + p.name() + " got no gradient");
            }
            LOG.info("{}: {} trainable parameters, forward and backward at batch {} in {} ms", name,
                    m.trainableParameterCount(), batch, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The output is a probability per class and sample; the gradient of the cross-entropy with respect to the logits. */
    private static float[] probabilitiesMinusLabel(String name, float[] p, int batch, int classes, Random random) {
        float[] d = p.clone();
        for (int n = 0; n < batch; n++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                assertTrue(p[n * classes + c] >= 0 && Float.isFinite(p[n * classes + c]), name + ": not a probability");
                sum += p[n * classes + c];
            }
            assertEquals(1, sum, 1e-3, name + ": the probabilities sum to one");
            d[n * classes + random.nextInt(classes)] -= 1;
        }
        return d;
    }

    private static float[] pixelwiseSoftmaxMinusLabel(float[] logits, int batch, int classes, int pixels, Random random) {
        float[] d = new float[logits.length];
        for (int n = 0; n < batch; n++) {
            for (int px = 0; px < pixels; px++) {
                int base = n * classes * pixels + px;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    assertTrue(Float.isFinite(logits[base + c * pixels]), "unet: a non-finite logit");
                    max = Math.max(max, logits[base + c * pixels]);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(logits[base + c * pixels] - max);
                }
                for (int c = 0; c < classes; c++) {
                    d[base + c * pixels] = (float) (Math.exp(logits[base + c * pixels] - max) / sum);
                }
                d[base + random.nextInt(classes) * pixels] -= 1;
            }
        }
        return d;
    }
}
