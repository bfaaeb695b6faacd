package dev.jcnn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.model.Sequential;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the new layers do besides their gradients: shapes, modes, statistics, messages. */
class NewLayerBehaviourTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @AfterEach
    void close() {
        cpu.close();
    }

    /** Keras' deconv_output_length for input 5 and the explicit form with output padding. */
    @ParameterizedTest(name = "kernel {0}, stride {1}, {2}, output padding {3} -> {4}")
    @CsvSource({
        "2, 2, valid, -1, 10",   // I·S + max(F − S, 0)
        "3, 2, valid, -1, 11",
        "1, 3, valid, -1, 15",   // F < S: I·S
        "3, 2, same, -1, 10",    // I·S
        "4, 2, same, -1, 10",
        "3, 2, same, 1, 10",     // (I − 1)·S + F − 2·(F/2) + OP
        "3, 2, valid, 1, 12",    // (I − 1)·S + F + OP
        "3, 2, p1, 1, 10",       // (I − 1)·S + F − 2P + OP
        "5, 1, p2, -1, 5"})      // a transposed SAME stride-1 convolution keeps the size
    void transposedConvolutionOutputSize(int kernel, int stride, String padding, int outputPadding, int expected) {
        Conv2DTranspose t = new Conv2DTranspose(2, kernel).strides(stride).named("t");
        t.padding(switch (padding) {
            case "valid" -> Padding.VALID;
            case "same" -> Padding.SAME;
            default -> Padding.of(Integer.parseInt(padding.substring(1)));
        });
        if (outputPadding >= 0) {
            t.outputPadding(outputPadding, outputPadding);
        }
        assertEquals(Shape.of(2, expected, expected), t.outputShape(Shape.of(3, 5, 5)));
        assertEquals(3 * 2 * kernel * kernel + 2, t.parameterCount(Shape.of(3, 5, 5)), "(C_in·filters·F·F) + filters");
    }

    @Test
    void anOutputPaddingAsLargeAsTheStrideIsRejected() {
        Conv2DTranspose t = new Conv2DTranspose(2, 3).strides(2).padding(Padding.of(1)).outputPadding(2, 0).named("up");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.outputShape(Shape.of(1, 4, 4)));
        assertEquals("up height: output size 9 (output padding 2) does not map back to input size 4 under kernel 3, stride 2,"
                + " padding 1/1; the output padding must be smaller than the stride", e.getMessage());
    }

    @Test
    void dropoutDropsAboutTheRateKeepsTheMeanAndRepeatsForASeed() {
        Shape s = Shape.of(8, 4, 16, 16);
        float[] ones = new float[s.size()];
        Arrays.fill(ones, 1f);
        float[] first;
        try (Dropout d = new Dropout(0.3).seed(5).named("d"); Tensor x = cpu.upload(s, ones)) {
            d.build(s.withoutBatch(), cpu, new Random(0));
            assertSame(x, d.forward(x, false), "identity in inference");
            float[] y = d.forward(x, true).toArray();
            first = y.clone();
            int zeros = 0;
            double sum = 0;
            for (float v : y) {
                zeros += v == 0f ? 1 : 0;
                sum += v;
                assertTrue(v == 0f || Math.abs(v - 1 / 0.7f) < 1e-6, "kept values are scaled by 1/(1 − rate): " + v);
            }
            assertEquals(0.3, (double) zeros / y.length, 0.02, "fraction dropped");
            assertEquals(1.0, sum / y.length, 0.03, "mean kept");
            assertFalse(Arrays.equals(first, d.forward(x, true).toArray()), "a new mask each step");
        }
        try (Dropout d = new Dropout(0.3).seed(5).named("d"); Tensor x = cpu.upload(s, ones)) {
            d.build(s.withoutBatch(), cpu, new Random(99));
            assertArrayEquals(first, d.forward(x, true).toArray(), "the same seed draws the same masks");
        }
        assertEquals("Dropout: rate must lie in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Dropout(1)).getMessage());
    }

    /** Training normalises with the batch and moves the moving averages; inference uses them. */
    @Test
    void batchNormalizationModes() {
        Shape s = Shape.of(16, 2, 3, 3);
        Random r = new Random(3);
        float[] v = new float[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (5 + 2 * r.nextGaussian());
        }
        try (BatchNormalization bn = new BatchNormalization().momentum(0.5).named("bn"); Tensor x = cpu.upload(s, v)) {
            bn.build(s.withoutBatch(), cpu, new Random(0));
            float[] inference = bn.forward(x, false).toArray();
            assertEquals(v[0] / Math.sqrt(1 + 1e-3), inference[0], 1e-4, "fresh: moving mean 0, variance 1");
            float[] train = bn.forward(x, true).toArray();
            double mean = 0;
            for (float t : train) {
                mean += t;
            }
            assertEquals(0, mean / train.length, 1e-5, "normalised with the batch's own statistics");
            float[] movingMean = bn.stateTensor("moving_mean").toArray();
            assertEquals(2.5, movingMean[0], 0.5, "half way from 0 to the batch mean of about 5");
            assertFalse(Arrays.equals(inference, bn.forward(x, false).toArray()), "inference follows the moving averages");
        }
        try (BatchNormalization bn = new BatchNormalization().named("bn"); Tensor x = cpu.upload(Shape.of(1, 2, 1, 1), new float[2])) {
            bn.build(Shape.of(2, 1, 1), cpu, new Random(0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.forward(x, true));
            assertEquals("bn: a training batch of shape (1, 2, 1, 1) has 1 value per channel, expected more than one to"
                    + " estimate a variance", e.getMessage());
        }
    }

    @Test
    void sequentialTakesTheNewLayersToo() {
        Sequential m = new Sequential("seq", Shape.of(1, 8, 8),
                new Conv2D(4, 3).padding(Padding.SAME), new BatchNormalization(), new ActivationLayer(Activation.RELU),
                new UpSampling2D(2), new Conv2DTranspose(2, 2).strides(2), new Dropout(0.5),
                new GlobalAveragePooling2D(), new Dense(3, Activation.SOFTMAX));
        try (m) {
            assertEquals(Shape.of(3), m.outputShape());
            String s = m.summary();
            assertTrue(s.contains("Non-trainable params: 8"), s);
            assertTrue(s.matches("(?s).*batch_normalization_1 \\(BatchNormalization\\)\\s+\\(None, 4, 8, 8\\)\\s+16\n.*"), s);
            assertTrue(s.matches("(?s).*conv2d_transpose_1 \\(Conv2DTranspose\\)\\s+\\(None, 2, 32, 32\\)\\s+34\n.*"), s);
            int[] labels = new int[16];
            float[] x = new float[16 * 64];
            Random r = new Random(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f));
            assertTrue(Double.isFinite(m.fit(x, labels, FitOptions.of(1, 8)).last().loss()));
            assertEquals(3 * 16, m.predict(x, 8).length);
        }
    }

    /** A MobileNet-style block: the depthwise row, its (F·F)·C·m + C·m parameters, and counts known once built. */
    @Test
    void depthwiseConvolutionInASummaryAndInTraining() {
        DepthwiseConv2D depthwise = new DepthwiseConv2D(3).depthMultiplier(2).strides(2).padding(Padding.SAME)
                .activation(Activation.RELU6);
        Sequential m = new Sequential("mobile", Shape.of(1, 8, 8), new Conv2D(4, 3).padding(Padding.SAME), depthwise,
                new Conv2D(5, 1), new GlobalAveragePooling2D(), new Dense(3, Activation.SOFTMAX));
        try (m) {
            String s = m.summary();
            // (3·3)·4·2 + 4·2 = 80
            assertTrue(s.matches("(?s).*depthwise_conv2d_1 \\(DepthwiseConv2D\\)\\s+\\(None, 8, 4, 4\\)\\s+80\n.*"), s);
            int[] labels = new int[8];
            float[] x = new float[8 * 64];
            Random r = new Random(2);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
                labels[i / 64] = i % 3;
            }
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f));
            assertEquals(8, depthwise.filters());
            assertEquals(4, depthwise.groups());
            assertTrue(Double.isFinite(m.fit(x, labels, FitOptions.of(1, 4)).last().loss()));
        }
    }
}
