package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.ActivationLayer;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Dropout;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Padding;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.BinaryCrossEntropy;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.MeanSquaredError;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A loss and the model's output cannot silently disagree: a loss on logits below the model's
 * own final activation reads the logits (as Keras' from_logits), a model without one predicts
 * probabilities anyway, and the combinations that would train on probabilities as if they were
 * logits are refused at compile with what to change.
 */
class LossAndOutputTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @AfterEach
    void close() {
        cpu.close();
    }

    static Sequential binary(Activation last) {
        return new Sequential("binary", Shape.of(1, 8, 8),
                new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU),
                new MaxPool2D(2),
                new Flatten(),
                new Dense(1, last));
    }

    /** 1 for the bars at the top (class 0 of {@link TrainingTest#bars}), 0 otherwise: about a third positive. */
    static float[] topBar(int[] labels) {
        float[] t = new float[labels.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = labels[i] == 0 ? 1f : 0f;
        }
        return t;
    }

    /**
     * Dense(1, SIGMOID) with binary cross-entropy applied the sigmoid twice (the loss stuck near
     * 0.693, the accuracy at the share of one class). Now the loss reads the logits below the
     * sigmoid: the model trains exactly as the same model without the sigmoid, and both predict
     * the same probabilities.
     */
    @Test
    void aSigmoidOutputWithBinaryCrossEntropyReadsItsLogits() {
        int[] y = new int[400];
        float[] x = TrainingTest.bars(400, 1, y);
        float[] t = topBar(y);
        try (Sequential sigmoid = binary(Activation.SIGMOID); Sequential linear = binary(Activation.LINEAR)) {
            sigmoid.build(cpu, 3).compile(new BinaryCrossEntropy(), new Sgd(0.1f, 0.9f));
            linear.build(cpu, 3).compile(new BinaryCrossEntropy(), new Sgd(0.1f, 0.9f));
            assertTrue(sigmoid.trainer().binding().readsLogits());
            History hs = sigmoid.fit(x, t, FitOptions.of(3, 32).seed(2));
            History hl = linear.fit(x, t, FitOptions.of(3, 32).seed(2));
            for (int e = 0; e < 3; e++) {
                assertEquals(hl.epochs().get(e).loss(), hs.epochs().get(e).loss(), 0.0, "epoch " + (e + 1));
                assertEquals(hl.epochs().get(e).accuracy(), hs.epochs().get(e).accuracy(), 0.0);
            }
            assertTrue(hs.last().loss() < 0.2, "the loss falls well below ln 2: " + hs.epochs());
            double positives = 0;
            for (float v : t) {
                positives += v;
            }
            positives /= t.length;
            assertTrue(hs.last().accuracy() > 0.97 && positives < 0.45, "binary accuracy " + hs.last().accuracy()
                    + ", where always answering the larger class scores " + (1 - positives));
            float[] ps = sigmoid.predict(x, 64);
            float[] pl = linear.predict(x, 64);
            assertArrayEquals(ps, pl, 1e-6f, "both predict probabilities");
            for (float p : ps) {
                assertTrue(p >= 0 && p <= 1, "a probability: " + p);
            }
        }
    }

    /** A classifier ending in a linear layer trains on its logits and predicts their softmax, as one ending in a softmax. */
    @Test
    void aClassifierPredictsProbabilitiesWhateverItsOutputLayer() {
        int[] y = new int[200];
        float[] x = TrainingTest.bars(200, 4, y);
        try (Sequential softmax = TrainingTest.small(); Sequential logits = new Sequential("small", Shape.of(1, 8, 8),
                new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU), new MaxPool2D(2), new Flatten(),
                new Dense(16, Activation.RELU), new Dense(3))) {
            softmax.build(cpu, 5).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f));
            logits.build(cpu, 5).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f));
            assertTrue(softmax.trainer().binding().readsLogits());
            assertFalse(logits.trainer().binding().readsLogits());
            History hs = softmax.fit(x, y, FitOptions.of(2, 16).seed(1));
            History hl = logits.fit(x, y, FitOptions.of(2, 16).seed(1));
            assertEquals(hs.last().loss(), hl.last().loss(), 0.0);
            float[] ps = softmax.predict(x, 50);
            float[] pl = logits.predict(x, 50);
            assertArrayEquals(ps, pl, 1e-6f);
            for (int i = 0; i < 200; i++) {
                assertEquals(1f, pl[3 * i] + pl[3 * i + 1] + pl[3 * i + 2], 1e-5f, "sample " + i);
            }
            assertArrayEquals(softmax.predictClasses(x, 50), logits.predictClasses(x, 50));
        }
    }

    /** A softmax passed on through Flatten would have its probabilities taken for logits: refused, saying what to change. */
    @Test
    void aSoftmaxFollowedByFlattenIsRefused() {
        try (Sequential m = new Sequential("late_flatten", Shape.of(1, 8, 8),
                new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(3, 8).activation(Activation.SOFTMAX),
                new Flatten())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f)));
            assertEquals("model 'late_flatten': sparse_categorical_crossentropy reads logits (the values before a"
                    + " softmax), but the output is the softmax of layer 'conv2d_2' passed on through 'flatten_1', so its"
                    + " probabilities would be taken for logits; make the softmax the last layer (e.g. new Softmax() after"
                    + " the Flatten) or drop it so that the output holds logits", e.getMessage());
        }
        try (Sequential m = new Sequential("dropped", Shape.of(1, 8, 8), new Flatten(),
                new Dense(1, Activation.SIGMOID), new Dropout(0.5))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.compile(new BinaryCrossEntropy(), new Sgd(0.1f)));
            assertTrue(e.getMessage().contains("the output is the sigmoid of layer 'dense_1' passed on through"
                    + " 'dropout_1'"), e.getMessage());
        }
        try (Sequential fine = new Sequential("softmax_last", Shape.of(1, 8, 8),
                new Conv2D(3, 8), new Flatten(), new ActivationLayer(Activation.SOFTMAX))) {
            fine.compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f));
            assertTrue(fine.trainer().binding().readsLogits(), "Flatten, then the softmax: the loss reads the logits");
        }
    }

    /** The other squashing activation: its outputs are no logits of the loss's link. */
    @Test
    void aSigmoidUnderSoftmaxCrossEntropyAndASoftmaxUnderBinaryCrossEntropyAreRefused() {
        try (Sequential m = new Sequential("s", Shape.of(1, 8, 8), new Flatten(), new Dense(3, Activation.SIGMOID))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f)));
            assertEquals("model 's': sparse_categorical_crossentropy reads logits (the values before a softmax), but the"
                    + " output ends in a sigmoid (layer 'dense_1'); end the model in a softmax or in a layer without"
                    + " activation", e.getMessage());
        }
        try (Sequential m = new Sequential("b", Shape.of(1, 8, 8), new Flatten(), new Dense(2, Activation.SOFTMAX))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.compile(new BinaryCrossEntropy(), new Sgd(0.1f)));
            assertTrue(e.getMessage().endsWith("but the output ends in a softmax (layer 'dense_1'); end the model in a"
                    + " sigmoid or in a layer without activation"), e.getMessage());
        }
        try (Sequential m = new Sequential("regression", Shape.of(1, 8, 8), new Flatten(), new Dense(2, Activation.SIGMOID))) {
            m.compile(new MeanSquaredError(), new Sgd(0.1f));
            assertFalse(m.trainer().binding().readsLogits(), "a loss on values reads the output as it is");
        }
    }

    /** Class labels need a flat output of scores: a map of scores per position is refused before the first batch. */
    @Test
    void classLabelsNeedOneScorePerClass() {
        try (Sequential m = new Sequential("maps", Shape.of(1, 8, 8), new Conv2D(3, 3))) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(new float[128], new int[] {0, 1}, FitOptions.of(1, 2)));
            assertEquals("fit: sparse_categorical_crossentropy needs one score per class, but model 'maps' outputs"
                    + " (3, 6, 6) per sample; end it in GlobalAveragePooling2D or Flatten", e.getMessage());
        }
    }
}
