package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.io.TensorFile;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.ActivationLayer;
import dev.jcnn.layers.Add;
import dev.jcnn.layers.BatchNormalization;
import dev.jcnn.layers.Concatenate;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Dropout;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.GradientCheck;
import dev.jcnn.layers.Input;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Node;
import dev.jcnn.layers.Padding;
import dev.jcnn.layers.Parameter;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Functional models: residual blocks, branches and merges train, summarise, save and load like Sequential. */
class FunctionalTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        cpu.close();
    }

    /** A residual block, relu(h + F(h)), then a classifier: the docs' example on the bars task. */
    static Functional residual() {
        Node x = Input.of(1, 8, 8);
        Node h = new Conv2D(8, 3).padding(Padding.SAME).activation(Activation.RELU).apply(x);
        Node r = new Conv2D(8, 3).padding(Padding.SAME).activation(Activation.RELU).apply(h);
        r = new Conv2D(8, 3).padding(Padding.SAME).apply(r);
        h = new ActivationLayer(Activation.RELU).apply(new Add().apply(h, r));
        Node y = new Dense(3, Activation.SOFTMAX).apply(new Flatten().apply(new MaxPool2D(2).apply(h)));
        return new Functional("residual", x, y);
    }

    @Test
    void aResidualBlockTrains() {
        int[] y = new int[480];
        float[] x = TrainingTest.bars(480, 1, y);
        int[] vy = new int[200];
        float[] vx = TrainingTest.bars(200, 2, vy);
        try (Functional m = residual()) {
            m.build(cpu, 42).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f));
            History h = m.fit(x, y, FitOptions.of(3, 32).seed(7).validation(vx, vy));
            assertTrue(h.last().loss() < h.epochs().get(0).loss(), "loss falls: " + h.epochs());
            assertTrue(h.last().valAccuracy() > 0.95, "validation accuracy " + h.last().valAccuracy());
            assertEquals(h.last().valAccuracy(), m.evaluate(vx, vy, 50).accuracy(), 1e-12);
        }
    }

    @Test
    void theSummaryListsWhatFeedsEachLayer() {
        try (Functional m = residual()) {
            String s = m.summary();
            assertTrue(s.contains("Connected to"), s);
            assertTrue(s.matches("(?s).*input \\(InputLayer\\)\\s+\\(None, 1, 8, 8\\)\\s+0\\s*\n.*"), s);
            assertTrue(s.matches("(?s).*conv2d_1 \\(Conv2D\\)\\s+\\(None, 8, 8, 8\\)\\s+80\\s+input\n.*"), s);
            assertTrue(s.matches("(?s).*add_1 \\(Add\\)\\s+\\(None, 8, 8, 8\\)\\s+0\\s+conv2d_1, conv2d_3\n.*"), s);
            assertTrue(s.matches("(?s).*activation_1 \\(Activation\\(relu\\)\\)\\s+\\(None, 8, 8, 8\\)\\s+0\\s+add_1\n.*"), s);
            long expected = 80 + 584 + 584 + (8 * 4 * 4 * 3 + 3);
            assertEquals(expected, m.parameterCount());
            assertTrue(s.contains(String.format("Total params: %,d", expected)), s);
            assertTrue(s.contains("Non-trainable params: 0"), s);
        }
    }

    /** With the same seed a chain built either way starts and trains identically. */
    @Test
    void aChainIsSequentialsSpecialCase() {
        int[] y = new int[64];
        float[] x = TrainingTest.bars(64, 3, y);
        Node in = Input.of(1, 8, 8);
        Node h = new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU).apply(in);
        h = new MaxPool2D(2).apply(h);
        h = new Flatten().apply(h);
        h = new Dense(16, Activation.RELU).apply(h);
        Node out = new Dense(3, Activation.SOFTMAX).apply(h);
        try (Functional f = new Functional("small", in, out); Sequential s = TrainingTest.small()) {
            f.build(cpu, 9).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f, 0.9f));
            s.build(cpu, 9).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f, 0.9f));
            assertEquals(s.parameters().size(), f.parameters().size());
            for (int i = 0; i < s.parameters().size(); i++) {
                assertEquals(s.parameters().get(i).name(), f.parameters().get(i).name());
            }
            History hf = f.fit(x, y, FitOptions.of(2, 16).seed(4));
            History hs = s.fit(x, y, FitOptions.of(2, 16).seed(4));
            assertEquals(hs.last().loss(), hf.last().loss(), 1e-12);
            assertArrayEquals(s.predict(x, 32), f.predict(x, 32));
        }
    }

    /**
     * A node read by several layers, and twice by one, gets the sum of their gradients: the
     * whole model's gradient matches finite differences for every parameter of its first two layers.
     */
    @Test
    void gradientsAccumulateWhereANodeFeedsSeveralLayers() {
        Node x = Input.of(2, 5, 5);
        Node a = new Conv2D(3, 3).padding(Padding.SAME).activation(Activation.TANH).apply(x);
        Node b = new Conv2D(3, 3).padding(Padding.SAME).activation(Activation.TANH).apply(a);
        Node c = new Conv2D(3, 1).apply(a);
        Node s = new Add().apply(b, c, a);
        Node t = new Concatenate().apply(s, a);
        Node u = new Add().apply(t, t);
        Node y = new Dense(4).apply(new Flatten().apply(u));
        try (Functional m = new Functional(x, y)) {
            m.build(cpu, 3);
            Random random = new Random(5);
            Shape batch = Shape.of(2, 2, 5, 5);
            try (Tensor in = cpu.upload(batch, GradientCheck.random(random, batch.size(), 1.0))) {
                Tensor out = m.forward(in, true);
                float[] r = GradientCheck.random(random, out.shape().size(), 1.0);
                try (Tensor dOut = cpu.upload(out.shape(), r)) {
                    m.backward(dOut, false);
                }
                for (Layer l : m.layers().subList(0, 2)) {
                    for (Parameter p : l.parameters()) {
                        float[] grad = p.grad().toArray();
                        GradientCheck.check(p.name(), p.value().toArray(), grad, v -> {
                            cpu.write(p.value(), v);
                            return GradientCheck.dot(r, m.forward(in, true));
                        });
                    }
                }
            }
        }
    }

    /** BatchNormalization's moving statistics are non-trainable state: in the summary, in weight files, in inference. */
    @Test
    void savesAndLoadsWeightsAndMovingStatistics() throws Exception {
        int[] y = new int[96];
        float[] x = TrainingTest.bars(96, 4, y);
        Path file = dir.resolve("bn.jcnn");
        float[] before;
        try (Functional m = withBatchNorm()) {
            String s = m.summary();
            assertTrue(s.matches("(?s).*batch_normalization_1 \\(BatchNormalization\\)\\s+\\(None, 8, 8, 8\\)\\s+32\\s+conv2d_1\n.*"), s);
            assertTrue(s.contains("Non-trainable params: 16"), s);
            assertTrue(s.contains(String.format("Trainable params: %,d", m.parameterCount() - 16)), s);
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f));
            float[] initialMean = m.state().get(0).value().toArray();
            m.fit(x, y, FitOptions.of(2, 16));
            assertEquals(2, m.state().size());
            assertEquals("batch_normalization_1/moving_mean", m.state().get(0).name());
            assertTrue(m.parameters().stream().noneMatch(p -> p.name().contains("moving")), "state is not trained");
            assertNotEquals(initialMean[0], m.state().get(0).value().toArray()[0], "training moved the moving mean");
            m.save(file);
            before = m.predict(x, 32);
        }
        assertTrue(TensorFile.read(file).tensors().containsKey("batch_normalization_1/moving_variance"));
        try (Functional m = withBatchNorm()) {
            m.build(cpu, 77);
            m.load(file);
            assertArrayEquals(before, m.predict(x, 32), "inference uses the loaded moving statistics");
        }
    }

    static Functional withBatchNorm() {
        Node x = Input.of(1, 8, 8);
        Node h = new Conv2D(8, 3).padding(Padding.SAME).apply(x);
        h = new BatchNormalization().momentum(0.8).apply(h);
        h = new ActivationLayer(Activation.RELU).apply(h);
        h = new Dropout(0.2).seed(3).apply(new MaxPool2D(2).apply(h));
        Node y = new Dense(3, Activation.SOFTMAX).apply(new Flatten().apply(h));
        return new Functional("bn", x, y);
    }

    @Test
    void dropoutIsOffInInferenceSoPredictionsRepeat() {
        int[] y = new int[32];
        float[] x = TrainingTest.bars(32, 5, y);
        try (Functional m = withBatchNorm()) {
            m.build(cpu, 2).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f));
            m.fit(x, y, FitOptions.of(1, 16));
            assertArrayEquals(m.predict(x, 8), m.predict(x, 32));
        }
    }

    @Test
    void badGraphsGetClearMessages() {
        Node x = Input.of(1, 8, 8);
        Node a = new Conv2D(8, 3).padding(Padding.SAME).apply(x);
        Node b = new Conv2D(4, 3).padding(Padding.SAME).apply(x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Add().apply(a, b));
        assertEquals("add_1: inputs have shapes (8, 8, 8) and (4, 8, 8); Add needs equal shapes", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Concatenate().apply(a, new MaxPool2D(2).apply(b)));
        assertTrue(e.getMessage().startsWith("concatenate_1: inputs have shapes (8, 8, 8) and (4, 4, 4); Concatenate needs"
                + " equal sizes on every axis but the channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2D(2, 1).apply(a, b));
        assertEquals("conv2d_3: takes one input, got 2; merge several with Add or Concatenate first", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dense(3).apply(a));
        assertTrue(e.getMessage().contains("add a Flatten layer"), e.getMessage());

        Conv2D shared = new Conv2D(8, 1);
        shared.apply(a);
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> shared.apply(b));
        assertTrue(s.getMessage().contains("already applied to other inputs; layers are not shared"), s.getMessage());

        Node other = Input.of(1, 8, 8);
        Node c = new Add().apply(a, new Conv2D(8, 3).padding(Padding.SAME).apply(other));
        e = assertThrows(IllegalArgumentException.class, () -> new Functional("two", x, c));
        assertEquals("model 'two': layer 'conv2d_1' reads an input node 'input' (1, 8, 8) made by another Input.of call"
                + " than the model's input; a model has one input", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Functional("none", other, a));
        assertTrue(e.getMessage().startsWith("model 'none': layer 'conv2d_1' reads an input node 'input'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2D(2, 3).named("conv2d_1").apply(a));
        assertTrue(e.getMessage().startsWith("the name 'conv2d_1' is used twice in this graph"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sequential(Shape.of(1, 8, 8), new Add()));
        assertEquals("add_1: Add merges two or more inputs and cannot follow a single layer; use it in a functional"
                + " model: new Add().apply(a, b)", e.getMessage());
    }
}
