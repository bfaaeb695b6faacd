package dev.jcnn.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.model.Sequential;
import dev.jcnn.zoo.ModelZoo;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jcnn export MODEL_FILE --onnx OUT.onnx}: the file ONNX Runtime runs predicts what the saved model predicts. */
class ExportCommandTest {

    @Test
    void exportedFilePredictsWhatTheSavedModelPredicts(@TempDir Path dir) throws Exception {
        Path weights = dir.resolve("model.jcnn");
        Path onnx = dir.resolve("lenet5.onnx");
        float[] x = new float[3 * 28 * 28];
        Random random = new Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        float[] expected;
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact()); Sequential m = ModelZoo.lenet5()) {
            m.build(cpu, 99);
            m.save(weights);
            expected = m.predict(x, 3);
        }

        CliRun run = CliRun.of("export", weights, "--onnx", onnx);
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("exported lenet5") && run.out().contains("ONNX opset 17"), run::toString);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {3, 1, 28, 28});
                OrtSession.Result result = session.run(Map.of("input", input))) {
            float[][] actual = (float[][]) result.get(0).getValue();
            for (int n = 0; n < 3; n++) {
                for (int k = 0; k < 10; k++) {
                    float r = expected[n * 10 + k];
                    assertTrue(Math.abs(actual[n][k] - r) <= 1e-5 + 1e-4 * Math.abs(r),
                            "sample " + n + " class " + k + ": " + actual[n][k] + " vs " + r);
                }
            }
        }
    }

    @Test
    void withoutOnnxOptionItSaysWhatIsMissing(@TempDir Path dir) {
        CliRun run = CliRun.of("export", dir.resolve("model.jcnn"));
        assertEquals(2, run.exit(), run::toString);
        assertTrue(run.err().contains("--onnx"), run::toString);
    }

    @Test
    void aMissingModelFileIsNamedAndNothingIsWritten(@TempDir Path dir) {
        Path onnx = dir.resolve("out.onnx");
        CliRun run = CliRun.of("export", dir.resolve("nothing.jcnn"), "--onnx", onnx);
        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("nothing.jcnn"), run::toString);
        assertFalse(Files.exists(onnx));
    }

    @Test
    void anOutputInAMissingFolderIsRefused(@TempDir Path dir) throws Exception {
        Path weights = dir.resolve("model.jcnn");
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact()); Sequential m = ModelZoo.fcn()) {
            m.build(cpu, 1);
            m.save(weights);
        }
        CliRun run = CliRun.of("export", weights, "--onnx", dir.resolve("no/such/folder/out.onnx"));
        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("does not exist (--onnx)"), run::toString);
    }
}
