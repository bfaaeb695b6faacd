package dev.jcnn.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.io.TensorFile;
import dev.jcnn.model.Model;
import dev.jcnn.testing.LogCapture;
import dev.jcnn.zoo.ModelZoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, cases 3 and 7 on the command line: a diverging run does not report success, a
 * model file with a NaN weight is refused, and a failed load leaves no tensor open.
 */
class FiniteWeightsCliTest {

    @TempDir
    Path tmp;

    /** LeNet-5's weights saved with one NaN (the writer computes the CRC). */
    private Path lenetWithNan() throws IOException {
        Path file = tmp.resolve("nan.jcnn");
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact()); Model m = ModelZoo.create("lenet5")) {
            m.build(cpu, 1);
            Tensor kernel = m.parameters().get(0).value();
            float[] v = kernel.toArray();
            v[7] = Float.NaN;
            cpu.write(kernel, v);
            m.save(file);
        }
        return file;
    }

    @Test
    void adamAtAHugeLearningRateExitsWithAnError() {
        Path run = tmp.resolve("run");
        CliRun r = CliRun.of("train", "lenet5", "--epochs", 1, "--lr", "1e6", "--limit", 320, "--test-limit", 50,
                "--data-dir", CliRun.slice(), "--no-verify", "--output", run, "--backend", "cpu", "--progress", "lines");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().matches("(?s)jcnn train: error: loss diverged at epoch 1, step \\d+ .*; try a lower learning"
                + " rate\\n"), r::toString);
        assertFalse(Files.exists(run.resolve(ModelFiles.WEIGHTS)), "no model is saved from a diverged run");
    }

    @Test
    void evaluateRefusesANanWeightNamingTheTensorAndLeavesNoTensorOpen() throws IOException {
        Path file = lenetWithNan();
        try (LogCapture log = new LogCapture()) {
            CliRun r = CliRun.of("evaluate", file, "--data-dir", CliRun.slice(), "--no-verify", "--test-limit", 20,
                    "--backend", "cpu");
            assertEquals(1, r.exit(), r::toString);
            assertTrue(r.err().startsWith("jcnn evaluate: error: " + file + ": tensor 'conv2d_1/kernel' holds a non-finite"
                    + " value, NaN at index 7 of (6, 1, 5, 5)"), r::toString);
            assertFalse(log.joined().contains("still open"), log.joined());
        }
    }

    @Test
    void aLoadThatFailsLeavesNoTensorOpen() throws IOException {
        TensorFile.Contents c = TensorFile.read(lenetWithNan());
        Map<String, TensorFile.Entry> some = new LinkedHashMap<>(c.tensors());
        some.remove("dense_1/bias");
        Path file = tmp.resolve("missing.jcnn");
        TensorFile.write(file, c.metadata(), some);
        for (String command : new String[] {"evaluate", "visualize"}) {
            try (LogCapture log = new LogCapture()) {
                CliRun r = CliRun.of(command, file, "--data-dir", CliRun.slice(), "--no-verify", "--backend", "cpu",
                        "--output", tmp.resolve(command));
                assertEquals(1, r.exit(), r::toString);
                assertTrue(r.err().contains("has no tensor 'dense_1/bias'"), r::toString);
                assertFalse(log.joined().contains("still open"), command + ": " + log.joined());
            }
        }
    }

    @Test
    void resumeRefusesACheckpointWithOneNanWeight() throws IOException {
        Path run = tmp.resolve("resumed");
        Object[] train = {"train", "lenet5", "--epochs", 1, "--limit", 320, "--test-limit", 50, "--data-dir",
            CliRun.slice(), "--no-verify", "--output", run, "--backend", "cpu", "--progress", "lines"};
        CliRun first = CliRun.of(train);
        assertEquals(0, first.exit(), first::toString);
        Path checkpoint = run.resolve(ModelFiles.CHECKPOINT);
        TensorFile.Contents c = TensorFile.read(checkpoint);
        Map<String, TensorFile.Entry> tensors = new LinkedHashMap<>(c.tensors());
        float[] kernel = tensors.get("conv2d_2/kernel").data().clone();
        kernel[11] = Float.NaN;
        tensors.put("conv2d_2/kernel", new TensorFile.Entry(tensors.get("conv2d_2/kernel").shape(), kernel));
        TensorFile.write(checkpoint, c.metadata(), tensors); // a valid file: the CRC is computed anew
        try (LogCapture log = new LogCapture()) {
            CliRun resumed = CliRun.of("train", "lenet5", "--resume", "--epochs", 2, "--test-limit", 50, "--data-dir",
                    CliRun.slice(), "--no-verify", "--output", run, "--backend", "cpu", "--progress", "lines");
            assertEquals(1, resumed.exit(), resumed::toString);
            assertTrue(resumed.err().startsWith("jcnn train: error: " + checkpoint + ": tensor 'conv2d_2/kernel' holds a"
                    + " non-finite value, NaN at index 11 of (16, 6, 5, 5)"), resumed::toString);
            assertFalse(log.joined().contains("still open"), log.joined());
        }
    }
}
