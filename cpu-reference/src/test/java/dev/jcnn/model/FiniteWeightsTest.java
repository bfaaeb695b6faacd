package dev.jcnn.model;

import static dev.jcnn.model.TrainingTest.bars;
import static dev.jcnn.model.TrainingTest.small;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.io.TensorFile;
import dev.jcnn.io.WeightsFileException;
import dev.jcnn.testing.LogCapture;
import dev.jcnn.train.Adam;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.train.TrainingDivergedException;
import dev.jcnn.zoo.ModelZoo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, cases 3 and 7: non-finite weights are refused on load and stop training, a
 * finite divergence is stopped by the guard, and a checkpoint load is all or nothing.
 */
class FiniteWeightsTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        cpu.close();
    }

    private static void setValue(Tensor t, int index, float value) {
        float[] v = t.toArray();
        v[index] = value;
        t.backend().write(t, v);
    }

    private static List<float[]> weightsOf(Model m) {
        List<float[]> all = new ArrayList<>();
        m.weights().values().forEach(t -> all.add(t.toArray()));
        return all;
    }

    private static void assertSameWeights(List<float[]> expected, Model m) {
        List<float[]> now = weightsOf(m);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), now.get(i), "tensor " + i + " changed");
        }
    }

    @Test
    void aWeightsFileWithOneNanWeightIsRefusedNamingTheTensorAndIndex() throws Exception {
        Path file = dir.resolve("nan.jcnn");
        try (Sequential m = small()) {
            m.build(cpu, 1);
            setValue(m.parameters().get(2).value(), 17, Float.NaN); // dense_1/kernel; the writer computes the CRC
            m.save(file);
        }
        try (Sequential m = small()) {
            m.build(cpu, 2);
            List<float[]> before = weightsOf(m);
            WeightsFileException e = assertThrows(WeightsFileException.class, () -> m.load(file));
            assertEquals(file + ": tensor 'dense_1/kernel' holds a non-finite value, NaN at index 17 of (16, 64) (1 in all);"
                    + " a model trained to NaN or a damaged file, refused for model 'small'", e.getMessage());
            assertSameWeights(before, m);
        }
    }

    @Test
    void aCheckpointWithAnInfiniteAdamMomentIsRefusedAndChangesNothing() throws Exception {
        int[] y = new int[32];
        float[] x = bars(32, 8, y);
        Path file = dir.resolve("ckpt.jcnn");
        try (Sequential m = small()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Adam(0.01f));
            m.fit(x, y, FitOptions.of(1, 8));
            setValue(m.optimizer().state(m.parameters()).get("conv2d_1/kernel/v"), 3, Float.POSITIVE_INFINITY);
            m.saveCheckpoint(file, Map.of("epoch", "1"));
        }
        try (Sequential m = small()) {
            m.build(cpu, 2).compile(new SparseCategoricalCrossEntropy(), new Adam(0.01f));
            List<float[]> before = weightsOf(m);
            WeightsFileException e = assertThrows(WeightsFileException.class, () -> m.loadCheckpoint(file));
            assertTrue(e.getMessage().startsWith(file + ": tensor 'optimizer/conv2d_1/kernel/v' holds a non-finite value,"
                    + " Infinity at index 3 of (4, 1, 3, 3)"), e.getMessage());
            assertSameWeights(before, m);
            assertEquals(0, m.optimizer().iterations());
        }
    }

    @Test
    void aCheckpointWithBadIterationsChangesNothingAndNamesKeyAndValue() throws Exception {
        int[] y = new int[32];
        float[] x = bars(32, 8, y);
        Path good = dir.resolve("good.jcnn");
        try (Sequential m = small()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Adam(0.01f));
            m.fit(x, y, FitOptions.of(1, 8));
            m.saveCheckpoint(good, Map.of("epoch", "1"));
        }
        TensorFile.Contents c = TensorFile.read(good);
        for (String bad : new String[] {"xyz", "-3", "99999999999"}) {
            Path file = dir.resolve("bad" + bad + ".jcnn");
            Map<String, String> meta = new LinkedHashMap<>(c.metadata());
            meta.put("iterations", bad);
            TensorFile.write(file, meta, c.tensors());
            try (Sequential m = small()) {
                m.build(cpu, 2).compile(new SparseCategoricalCrossEntropy(), new Adam(0.01f));
                m.optimizer().setIterations(7);
                List<float[]> before = weightsOf(m);
                WeightsFileException e = assertThrows(WeightsFileException.class, () -> m.loadCheckpoint(file));
                assertEquals(file + ": metadata 'iterations' is '" + bad + "', expected the optimizer's step count, a whole"
                        + " number from 0 to 2147483647", e.getMessage());
                assertSameWeights(before, m);
                assertEquals(7, m.optimizer().iterations());
                float[] zeros = new float[4 * 9];
                assertArrayEquals(zeros, m.optimizer().state(m.parameters()).get("conv2d_1/kernel/m").toArray(),
                        "Adam's moments are untouched");
            }
        }
    }

    @Test
    void aNanWeightStopsTrainingAtTheFirstStepNamingTheLayer() {
        int[] y = new int[64];
        float[] x = bars(64, 8, y);
        try (Sequential m = small()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Adam(0.01f));
            setValue(m.parameters().get(0).value(), 5, Float.NaN); // conv2d_1/kernel
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> m.fit(x, y, FitOptions.of(2, 8)));
            // the forward pass drops this NaN (ReLU, then max pooling): on main the loss stayed finite for the whole run
            assertTrue(e.getMessage().startsWith("parameter 'conv2d_1/kernel' of layer 'conv2d_1' is non-finite after epoch"
                    + " 1, step 1 (global step 1): NaN at index 5; "), e.getMessage());
        }
    }

    @Test
    void parametersThatOverflowStopTrainingAtThatStepNamingTheLayer() {
        int[] y = new int[32];
        float[] x = bars(32, 8, y);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 100; // gradients above 1: the largest learning rate turns the update infinite
        }
        try (Sequential m = small()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(Float.MAX_VALUE));
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> m.fit(x, y, FitOptions.of(1, 8).shuffle(false)));
            assertTrue(e.getMessage().matches("parameter '(conv2d_1|dense_1|dense_2)/(kernel|bias)' of layer '\\w+' is"
                    + " non-finite after epoch 1, step 1 \\(global step 1\\): -?(Infinity|NaN) at index \\d+; .*"),
                    e.getMessage());
        }
    }

    @Test
    void withoutStepChecksTheEpochsEndStillStopsANanWeight() {
        int[] y = new int[64];
        float[] x = bars(64, 8, y);
        try (Sequential m = small()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Adam(0.01f));
            setValue(m.parameters().get(0).value(), 5, Float.NaN);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> m.fit(x, y, FitOptions.of(2, 8).finiteCheckEvery(0)));
            assertEquals("parameter 'conv2d_1/kernel' of layer 'conv2d_1' is non-finite after epoch 1, step 8 (global step"
                    + " 8) (unchecked since global step 0): NaN at index 5; its gradient is finite:"
                    + " the update overflowed, or the value was non-finite before; try a lower learning rate or check the"
                    + " input data", e.getMessage());
        }
    }

    @Test
    void adamAtAHugeLearningRateIsStoppedByTheDivergenceGuard() {
        Random r = new Random(5);
        int n = 256;
        float[] x = new float[n * 28 * 28];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
            for (int p = 0; p < 28 * 28; p++) {
                x[i * 784 + p] = (p % 10 == y[i] ? 1f : 0f) * r.nextFloat();
            }
        }
        try (Model m = ModelZoo.create("lenet5")) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Adam(1e6f));
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> m.fit(x, y, FitOptions.of(1, 32)));
            // the loss stays finite (1e35 at step 2): the guard stops it, not a non-finite value
            assertTrue(e.getMessage().matches("loss diverged at epoch 1, step \\d+ \\(global step \\d+\\): the smoothed"
                    + " loss .* times its minimum .* and above the first loss .*; try a lower learning rate"), e.getMessage());
        }
    }

    @Test
    void theGuardWarnsWithoutStoppingBelowItsStopFactor() {
        int[] y = new int[64];
        float[] x = bars(64, 8, y);
        try (Sequential m = small(); LogCapture log = new LogCapture()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Adam(1e3f));
            m.fit(x, y, FitOptions.of(2, 8).divergenceGuard(1.5, Double.POSITIVE_INFINITY));
            assertTrue(log.joined().contains("model small: the loss may be diverging at epoch"), log.joined());
        }
    }
}
