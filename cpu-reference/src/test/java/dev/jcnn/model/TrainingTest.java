package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.io.WeightsFileException;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Padding;
import dev.jcnn.layers.Parameter;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.Adam;
import dev.jcnn.train.Evaluation;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.MeanSquaredError;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.train.TrainingDivergedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sequential end to end on the CPU backend: learning, saving, resuming, and the errors users meet. */
class TrainingTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        cpu.close();
    }

    /** Three classes of 1×8×8 images: a bright bar at the top, in the middle rows or at the bottom, plus noise. */
    static float[] bars(int n, long seed, int[] labels) {
        Random r = new Random(seed);
        float[] x = new float[n * 64];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
            for (int p = 0; p < 64; p++) {
                int row = p / 8;
                boolean on = row / 3 == labels[i] || (labels[i] == 2 && row == 8);
                x[i * 64 + p] = (on ? 1f : 0f) + (float) (r.nextGaussian() * 0.3);
            }
        }
        return x;
    }

    static Sequential small() {
        return new Sequential("small", Shape.of(1, 8, 8),
                new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU),
                new MaxPool2D(2),
                new Flatten(),
                new Dense(16, Activation.RELU),
                new Dense(3, Activation.SOFTMAX));
    }

    @Test
    void learnsASeparableTaskAndEvaluates() {
        int[] y = new int[600];
        float[] x = bars(600, 1, y);
        int[] vy = new int[200];
        float[] vx = bars(200, 2, vy);
        try (Sequential m = small()) {
            m.build(cpu, 42).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f, 0.9f));
            History h = m.fit(x, y, FitOptions.of(4, 32).seed(7).validation(vx, vy));
            assertEquals(4, h.epochs().size());
            assertTrue(h.last().loss() < h.epochs().get(0).loss(), "loss falls: " + h.epochs());
            assertTrue(h.last().valAccuracy() > 0.95, "validation accuracy " + h.last().valAccuracy());
            Evaluation e = m.evaluate(vx, vy, 50);
            assertEquals(h.last().valAccuracy(), e.accuracy(), 1e-12);
            int[] classes = m.predictClasses(vx, 64);
            int hits = 0;
            for (int i = 0; i < vy.length; i++) {
                hits += classes[i] == vy[i] ? 1 : 0;
            }
            assertEquals(e.accuracy(), hits / 200.0, 1e-12);
            float[] p = m.predict(vx, 64);
            float sum = p[0] + p[1] + p[2];
            assertEquals(1f, sum, 1e-5f, "softmax output sums to one");
        }
    }

    @Test
    void sameSeedSameModelAndAdamTrainsToo() {
        int[] y = new int[96];
        float[] x = bars(96, 3, y);
        float[] w1;
        float[] w2;
        try (Sequential a = small(); Sequential b = small()) {
            a.build(cpu, 5).compile(new SparseCategoricalCrossEntropy(), new Adam(0.01f));
            b.build(cpu, 5).compile(new SparseCategoricalCrossEntropy(), new Adam(0.01f));
            History h = a.fit(x, y, FitOptions.of(2, 16).seed(1));
            b.fit(x, y, FitOptions.of(2, 16).seed(1));
            w1 = a.parameters().get(0).value().toArray();
            w2 = b.parameters().get(0).value().toArray();
            assertTrue(h.last().loss() < h.epochs().get(0).loss());
        }
        assertArrayEquals(w1, w2, "training is deterministic for a seed");
    }

    @Test
    void savesAndLoadsWeights() throws Exception {
        int[] y = new int[64];
        float[] x = bars(64, 4, y);
        Path file = dir.resolve("small.jcnn");
        float[] before;
        try (Sequential m = small()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f));
            m.fit(x, y, FitOptions.of(1, 16));
            m.save(file);
            before = m.predict(x, 64);
        }
        try (Sequential m = small()) {
            m.build(cpu, 999);
            m.load(file);
            assertArrayEquals(before, m.predict(x, 64));
        }
    }

    @Test
    void rejectsTruncatedCorruptedAndMismatchedFilesWithoutChangingWeights() throws Exception {
        Path file = dir.resolve("w.jcnn");
        try (Sequential m = small()) {
            m.build(cpu, 1);
            m.save(file);
        }
        byte[] good = Files.readAllBytes(file);
        try (Sequential m = small()) {
            m.build(cpu, 2);
            float[] w = m.parameters().get(0).value().toArray();

            Path truncated = dir.resolve("truncated.jcnn");
            Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
            WeightsFileException e = assertThrows(WeightsFileException.class, () -> m.load(truncated));
            assertTrue(e.getMessage().contains("truncated.jcnn") && e.getMessage().contains("checksum mismatch"), e.getMessage());

            byte[] flipped = good.clone();
            flipped[good.length / 2] ^= 0x10;
            Path corrupted = dir.resolve("corrupted.jcnn");
            Files.write(corrupted, flipped);
            e = assertThrows(WeightsFileException.class, () -> m.load(corrupted));
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());

            Path foreign = dir.resolve("foreign.bin");
            Files.write(foreign, "hello, this is not a weights file at all".getBytes());
            e = assertThrows(WeightsFileException.class, () -> m.load(foreign));
            assertTrue(e.getMessage().contains("at offset 0: not a jcnn weights file"), e.getMessage());

            assertArrayEquals(w, m.parameters().get(0).value().toArray(), "nothing half-loaded");
        }
        try (Sequential other = new Sequential("small", Shape.of(1, 8, 8),
                new Conv2D(5, 3).padding(Padding.SAME).activation(Activation.RELU), new MaxPool2D(2), new Flatten(),
                new Dense(16, Activation.RELU), new Dense(3, Activation.SOFTMAX))) {
            other.build(cpu, 3);
            float[] w = other.parameters().get(2).value().toArray();
            WeightsFileException e = assertThrows(WeightsFileException.class, () -> other.load(file));
            assertTrue(e.getMessage().contains("tensor 'conv2d_1/kernel' has shape (4, 1, 3, 3), model 'small' expects (5, 1, 3, 3)"),
                    e.getMessage());
            assertArrayEquals(w, other.parameters().get(2).value().toArray(), "nothing half-loaded");
        }
    }

    @Test
    void resumingFromACheckpointMatchesAnUninterruptedRun() throws Exception {
        int[] y = new int[80];
        float[] x = bars(80, 6, y);
        Path ckpt = dir.resolve("ckpt.jcnn");
        float[] straight;
        try (Sequential m = small()) {
            m.build(cpu, 11).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f, true, 1e-4f));
            m.fit(x, y, FitOptions.of(2, 16).seed(3));
            straight = m.parameters().get(0).value().toArray();
        }
        try (Sequential m = small()) {
            m.build(cpu, 11).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f, true, 1e-4f));
            m.fit(x, y, FitOptions.of(1, 16).seed(3));
            m.saveCheckpoint(ckpt, Map.of("epoch", "1"));
        }
        try (Sequential m = small()) {
            m.build(cpu, 12).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f, true, 1e-4f));
            Map<String, String> meta = m.loadCheckpoint(ckpt);
            assertEquals("1", meta.get("epoch"));
            assertEquals(5, m.optimizer().iterations());
            m.fit(x, y, FitOptions.of(2, 16).seed(3).initialEpoch(1));
            assertArrayEquals(straight, m.parameters().get(0).value().toArray(), 1e-6f);
        }
    }

    @Test
    void aNanLossStopsTrainingAndNamesTheStepAndLayer() {
        int[] y = new int[32];
        float[] x = bars(32, 8, y);
        x[5 * 64 + 10] = Float.NaN;
        try (Sequential m = new Sequential("tanh", Shape.of(1, 8, 8),
                new Conv2D(4, 3).activation(Activation.TANH), new Flatten(), new Dense(3))) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f));
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> m.fit(x, y, FitOptions.of(1, 8).shuffle(false)));
            assertTrue(e.getMessage().startsWith("loss is NaN at epoch 1, step 1 (global step 1)"), e.getMessage());
            assertTrue(e.getMessage().contains("the output of layer 'conv2d_1' (Conv2D) is first non-finite"), e.getMessage());
        }
        try (Sequential m = small()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(1e8f));
            float[] clean = bars(32, 8, y);
            // the divergence guard off, so that the loss itself overflows
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> m.fit(clean, y,
                    FitOptions.of(3, 8).divergenceGuard(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY)));
            assertTrue(e.getMessage().matches("loss is (NaN|Infinity) at epoch \\d, step \\d \\(global step \\d+\\): .*layer '.*"),
                    e.getMessage());
        }
    }

    @Test
    void badInputGetsClearMessages() {
        try (Sequential m = small()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.predict(new float[2 * 3 * 64], Shape.of(3, 8, 8), 2));
            assertEquals("predict: the data's samples have shape (3, 8, 8), but model 'small' takes (1, 8, 8): 3 channels"
                    + " where it takes 1", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.predict(new float[2 * 144], Shape.of(1, 12, 12), 2));
            assertEquals("predict: the data's samples have shape (1, 12, 12), but model 'small' takes (1, 8, 8) and cannot"
                    + " take other sizes: dense_1: its weights fit inputs of shape (64), not (144)", e.getMessage());
            // three times the channels as flat arrays: the labels count the samples, and the message says so
            e = assertThrows(IllegalArgumentException.class, () -> m.fit(new float[2 * 3 * 64], new int[] {1, 2},
                    FitOptions.of(1, 2)));
            assertEquals("x holds 6 samples of shape (1, 8, 8) but 2 labels are given; expected one label per sample (x"
                    + " holds 192 values per label, a sample of (1, 8, 8) holds 64: are the samples of another shape?)",
                    e.getMessage());

            e = assertThrows(IllegalArgumentException.class, () -> m.fit(new float[64 * 2], new int[] {1, 3}, FitOptions.of(1, 2)));
            assertEquals("sparse_categorical_crossentropy: label 3 of sample 1 is out of range, expected 0 to 2", e.getMessage());

            e = assertThrows(IllegalArgumentException.class, () -> m.fit(new float[100], new int[] {1}, FitOptions.of(1, 2)));
            assertTrue(e.getMessage().startsWith("x holds 100 values, not a whole number of samples of shape (1, 8, 8)"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sequential(Shape.of(1, 4, 4), new Conv2D(2, 5).named("big")));
        assertEquals("big height: input size 4 (padded 4) is smaller than the window 5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2D(0, 3));
        assertEquals("Conv2D: filters and kernel size must be positive, got filters 0, kernel 3x3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1, 3));
        assertEquals("dimension 1 of shape [2, -1, 3] is -1, expected a positive size", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sequential(Shape.of(1, 8, 8), new Dense(3)));
        assertTrue(e.getMessage().contains("expects a flat input (features), got (1, 8, 8); add a Flatten layer"), e.getMessage());
    }

    @Test
    void aFullyConvolutionalStackTakesTwoInputSizes() {
        try (Sequential fcn = new Sequential("fcn", Shape.of(1, 12, 12),
                new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU),
                new MaxPool2D(2),
                new Conv2D(2, 3).padding(Padding.SAME))) {
            fcn.build(cpu, 1);
            assertEquals(Shape.of(2, 6, 6), fcn.outputShape());
            assertEquals(2 * 2 * 6 * 6, fcn.predict(new float[2 * 144], 2).length);
            float[] big = fcn.predict(new float[20 * 28], Shape.of(1, 20, 28), 1);
            assertEquals(2 * 10 * 14, big.length, "output map follows the formula for a 20×28 input");
        }
    }

    /** compile hands the optimizer to the model; compiling again with the same one keeps its momentum. */
    @Test
    void compilingAgainWithTheSameOptimizerKeepsItsState() {
        int[] y = new int[32];
        float[] x = bars(32, 9, y);
        try (Sequential m = small()) {
            Sgd sgd = new Sgd(0.05f, 0.9f);
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), sgd);
            m.fit(x, y, FitOptions.of(1, 8));
            float[] velocity = sgd.state(m.parameters()).get("conv2d_1/kernel/velocity").toArray();
            assertTrue(java.util.stream.IntStream.range(0, velocity.length).anyMatch(i -> velocity[i] != 0f));
            m.compile(new MeanSquaredError(), sgd);
            assertSame(sgd, m.optimizer());
            assertArrayEquals(velocity, sgd.state(m.parameters()).get("conv2d_1/kernel/velocity").toArray());
        }
    }

    @Test
    void closingTheModelReleasesEveryTensor() {
        Sequential m = small();
        m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f, 0.9f));
        int[] y = new int[16];
        m.fit(bars(16, 1, y), y, FitOptions.of(1, 8));
        Parameter p = m.parameters().get(0);
        m.close();
        assertThrows(IllegalStateException.class, p.value()::toArray);
    }
}
