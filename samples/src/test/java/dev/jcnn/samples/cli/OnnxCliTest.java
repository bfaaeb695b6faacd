package dev.jcnn.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.model.Sequential;
import dev.jcnn.zoo.ModelZoo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jcnn evaluate} and {@code jcnn predict} take an ONNX file as they take a model.jcnn. */
class OnnxCliTest {

    @Test
    void evaluateAndPredictGiveTheSameFiguresForTheExportedFile(@TempDir Path dir) throws Exception {
        Path weights = dir.resolve("model.jcnn");
        Path onnx = dir.resolve("lenet5.onnx");
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact()); Sequential m = ModelZoo.lenet5()) {
            m.build(cpu, 21);
            m.save(weights);
        }
        CliRun export = CliRun.of("export", weights, "--onnx", onnx);
        assertEquals(0, export.exit(), export::toString);

        CliRun p1 = CliRun.of("predict", weights, "--index", 0, 1, 2, "--data-dir", CliRun.slice(), "--no-verify",
                "--backend", "cpu");
        CliRun p2 = CliRun.of("predict", onnx, "--index", 0, 1, 2, "--data-dir", CliRun.slice(), "--no-verify",
                "--backend", "cpu");
        assertEquals(0, p1.exit(), p1::toString);
        assertEquals(0, p2.exit(), p2::toString);
        assertEquals(3, p2.out().strip().split("\n").length, p2::toString);
        assertEquals(p1.out(), p2.out());

        CliRun e1 = CliRun.of("evaluate", weights, "--data-dir", CliRun.slice(), "--no-verify", "--test-limit", 50,
                "--backend", "cpu", "-o", dir.resolve("a"));
        CliRun e2 = CliRun.of("evaluate", onnx, "--data-dir", CliRun.slice(), "--no-verify", "--test-limit", 50,
                "--backend", "cpu", "-o", dir.resolve("b"));
        assertEquals(0, e1.exit(), e1::toString);
        assertEquals(0, e2.exit(), e2::toString);
        assertEquals(figures(e1.out()), figures(e2.out()), e2::toString);
    }

    @Test
    void aMalformedOnnxFileIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path onnx = dir.resolve("broken.onnx");
        Files.write(onnx, "not onnx".getBytes(StandardCharsets.US_ASCII));
        CliRun r = CliRun.of("predict", onnx, "--index", 0, "--data-dir", CliRun.slice(), "--no-verify", "--backend",
                "cpu");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains(onnx.toString()) && r.err().contains("not a well-formed ONNX model"), r::toString);
    }

    /** The accuracy and loss line without the model's name and the timing. */
    private static String figures(String out) {
        String line = out.lines().filter(l -> l.contains("test accuracy")).findFirst().orElse("");
        return line.replaceAll("^.* on ", "").replaceAll(", [0-9.]+ s\\)", ")");
    }
}
