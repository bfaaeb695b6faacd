package dev.jcnn.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcnn.backend.BackendProvider;
import dev.jcnn.backend.Backends;
import dev.jcnn.zoo.ModelZoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that need no trained model, the other zoo models, and the errors users meet first. */
class CommandsTest {

    @TempDir
    Path tmp;

    @Test
    void helpListsEveryCommand() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.exit(), r::toString);
        for (String c : new String[] {"train", "evaluate", "predict", "summary", "devices", "parity", "visualize", "bench"}) {
            assertTrue(r.out().contains("\n  " + c + " "), c + " in\n" + r.out());
        }
    }

    @Test
    void summaryPrintsTheKerasTable() {
        CliRun r = CliRun.of("summary", "lenet5");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("conv2d_1 (Conv2D)                (None, 6, 28, 28)               156"), r::toString);
        assertTrue(r.out().contains("Total params: 61,706"), r::toString);
        CliRun cifar = CliRun.of("summary", "cifar-cnn");
        assertTrue(cifar.out().contains("(None, 32, 32, 32)"), cifar::toString);
    }

    @Test
    void summaryShowsAZooModelsReferenceCountAndListsTheZoo() {
        CliRun alexnet = CliRun.of("summary", "alexnet");
        assertEquals(0, alexnet.exit(), alexnet::toString);
        assertTrue(alexnet.out().contains("Trainable params: 61,100,840\n"), alexnet::toString);
        assertTrue(alexnet.out().contains("Reference: 61,100,840 trainable parameters (the same)\n"), alexnet::toString);
        CliRun zoo = CliRun.of("summary", "--zoo");
        assertEquals(0, zoo.exit(), zoo::toString);
        String[][] expected = {
            {"lenet5", "(1, 28, 28)", "10", "61,706", "61,706"},
            {"resnet20", "(3, 32, 32)", "10", "272,474", "272,474"},
            {"alexnet", "(3, 224, 224)", "1000", "61,100,840", "61,100,840"},
            {"alexnet2012", "(3, 227, 227)", "1000", "60,965,224", "60,965,224"},
            {"vgg16", "(3, 224, 224)", "1000", "138,357,544", "138,357,544"},
            {"resnet18", "(3, 224, 224)", "1000", "11,689,512", "11,689,512"},
            {"mobilenetv2", "(3, 224, 224)", "1000", "3,504,872", "3,504,872"},
            {"unet", "(1, 64, 64)", "10", "117,226", "-"},
        };
        for (String[] row : expected) {
            assertTrue(zoo.out().matches("(?s).*\n" + java.util.regex.Pattern.quote(row[0]) + " +"
                    + java.util.regex.Pattern.quote(row[1]) + " +" + row[2] + " +" + row[3] + " +" + row[4] + "  .*"),
                    row[0] + " in\n" + zoo.out());
        }
        assertEquals(ModelZoo.NAMES.size() + 1, zoo.out().lines().count(), zoo::toString);
        CliRun neither = CliRun.of("summary");
        assertEquals(2, neither.exit(), neither::toString);
        assertTrue(neither.err().contains("give a MODEL or --zoo, not neither"), neither::toString);
    }

    @Test
    void devicesListsTheCpuAndSaysWhyCudaCannotStart() {
        CliRun r = CliRun.of("devices");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("cpu   available: plain Java on "), r::toString);
        assertTrue(r.out().matches("(?s)(.*\\n)?cuda  (available: .*\\n      device: |not available: ).*"), r::toString);
        assertTrue(r.out().contains("best: "), r::toString);
    }

    @Test
    void parityRunsOnlyWithAGpuAndOtherwiseSaysWhy() {
        CliRun r = CliRun.of("parity", "--batch-size", 2);
        boolean cuda = Backends.providers().stream().filter(p -> p.name().equals("cuda"))
                .anyMatch(p -> p.availability().available());
        if (cuda) {
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().matches("(?s).*parity: \\d+ passed, 0 failed\\n"), r::toString);
        } else {
            assertEquals(Jcnn.NOT_AVAILABLE, r.exit(), r::toString);
            String reason = Backends.providers().stream().filter(p -> p.name().equals("cuda")).findFirst()
                    .map(BackendProvider::availability).map(a -> "the cuda backend cannot start here: " + a.reason())
                    .orElse("no 'cuda' backend on the class path");
            assertEquals("parity: not run: " + reason + "\n", r.out());
        }
    }

    @Test
    void parityOfTheCpuAgainstItselfPasses() {
        CliRun r = CliRun.of("parity", "--backend", "cpu", "--batch-size", 2);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("ok   lenet5 conv2d_1 output"), r::toString);
        assertTrue(r.out().contains("ok   fcn conv2d_3/kernel gradient"), r::toString);
        assertTrue(r.out().contains("ok   resnet20 add_1 output"), r::toString);
        assertTrue(r.out().contains("ok   resnet20 dense_1/kernel gradient"), r::toString);
        assertTrue(r.out().matches("(?s).*parity: \\d+ passed, 0 failed\\n"), r::toString);
    }

    @Test
    void benchWritesImagesPerSecond() throws IOException {
        CliRun r = CliRun.of("bench", "lenet5", "--batch-size", 16, "--steps", 3, "--warmup", 1, "--warmup-seconds", 0,
                "--steady", 100, "--backend", "cpu", "--json", "--output", tmp);
        assertEquals(0, r.exit(), r::toString);
        JsonNode j = new ObjectMapper().readTree(tmp.resolve("bench.json").toFile());
        assertEquals(16, j.get("batchSize").asInt());
        assertEquals(3, j.get("steps").asInt());
        assertTrue(j.get("imagesPerSecond").asDouble() > 0, j::toString);
        assertTrue(r.out().startsWith("lenet5 on cpu ("), r::toString);
        // the warm-up ran two stretches of half a second at least, which (within 100%) agreed
        assertTrue(j.get("warmupSteady").asBoolean() && j.get("warmupSeconds").asDouble() >= 2 * 0.5, j::toString);
        assertTrue(r.out().contains("(steady within 100.0%)"), r::toString);
        // the FMA peak, and the convolutions' share of it, layer by layer in the timed steps
        assertTrue(j.get("fmaPeakGflops").asDouble() > 0, j::toString);
        JsonNode conv2 = j.get("layers").get(2);
        assertEquals("conv2d_2", conv2.get("name").asText(), j::toString);
        assertTrue(conv2.get("forwardGflops").asDouble() > 0 && conv2.get("forwardPeakShare").asDouble() > 0, j::toString);
        assertEquals(8, j.get("layers").size(), j::toString);
        assertTrue(r.out().matches("(?s).*conv2d_2 +\\(16, 10, 10\\) .*%.*"), r::toString);
    }

    @Test
    void theOtherZooModelsTrainOnMnistToo() throws IOException {
        for (String model : new String[] {"cifar-cnn", "fcn"}) {
            Path out = tmp.resolve(model);
            CliRun r = CliRun.of("train", model, "--epochs", 1, "--limit", 160, "--test-limit", 50, "--batch-size", 16,
                    "--data-dir", CliRun.slice(), "--no-verify", "--output", out, "--json", "--backend", "cpu",
                    "--progress", "lines");
            assertEquals(0, r.exit(), r::toString);
            JsonNode j = new ObjectMapper().readTree(out.resolve("train.json").toFile());
            assertEquals(model, j.get("model").asText());
            assertEquals(50, j.get("testImages").asInt());
            // MNIST keeps each model's own input: cifar-cnn sees the digits padded to 3×32×32
            assertEquals(model.equals("cifar-cnn") ? "(3, 32, 32)" : "(1, 28, 28)",
                    dev.jcnn.io.TensorFile.read(out.resolve("model.jcnn")).metadata().get("input"));
            assertTrue(Double.isFinite(j.get("testLoss").asDouble()), j::toString);
            assertTrue(Files.isRegularFile(out.resolve("model.jcnn")));
        }
    }

    @Test
    void unknownModelIsNamedWithTheKnownOnes() {
        CliRun r = CliRun.of("train", "lenet6", "--data-dir", tmp, "--no-verify");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("jcnn train: error: unknown model 'lenet6'; known models: " + String.join(", ", ModelZoo.NAMES) + "\n", r.err());
        assertTrue(r.err().contains(", resnet18, mobilenetv2, unet\n"), r::toString);
    }

    @Test
    void missingModelFileSaysWhatWritesOne() {
        Path f = tmp.resolve("nothing.jcnn");
        CliRun r = CliRun.of("evaluate", f);
        assertEquals(1, r.exit(), r::toString);
        assertEquals("jcnn evaluate: error: " + f + ": no such model file; 'jcnn train MODEL' writes model.jcnn into"
                + " its output folder\n", r.err());
    }

    @Test
    void resumeWithoutACheckpointSaysSo() {
        Path out = tmp.resolve("fresh");
        CliRun r = CliRun.of("train", "lenet5", "--resume", "--output", out);
        assertEquals(1, r.exit(), r::toString);
        assertEquals("jcnn train: error: --resume: no checkpoint at " + out.resolve("checkpoint.jcnn")
                + "; train without --resume first (or point --output at the run's folder)\n", r.err());
    }

    @Test
    void noDataAnywhereSaysWhereToPutTheFiles() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty-mirror"));
        Path data = tmp.resolve("data");
        CliRun r = CliRun.of("train", "lenet5", "--data-dir", data, "--mirror", empty.toUri(), "--npm", "");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("jcnn train: error: could not fetch MNIST into " + data + ":\n"), r::toString);
        assertTrue(r.err().contains("Put these files (raw, or gzipped with .gz added to the name) into " + data), r::toString);
        assertTrue(r.err().contains("  train-images-idx3-ubyte   47040016 bytes  sha256 "
                + "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"), r::toString);
    }

    @Test
    void aCorruptedIdxFileIsReportedWithFileAndOffset() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("bad"));
        TrainEndToEndTest.copyTree(CliRun.slice(), data);
        Path labels = data.resolve("t10k-labels-idx1-ubyte.gz");
        Files.delete(labels);
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 5});
        CliRun r = CliRun.of("evaluate", "--data-dir", data, "--no-verify", writeAnyModel());
        assertEquals(1, r.exit(), r::toString);
        assertEquals("jcnn evaluate: error: " + data.resolve("t10k-labels-idx1-ubyte") + ", offset 0: magic number"
                + " 0x00000803, expected 0x00000801 (IDX of unsigned bytes with 1 dimension: labels); found IDX of"
                + " unsigned bytes with 3 dimensions: images\n", r.err());
    }

    private Path writeAnyModel() throws IOException {
        Path f = tmp.resolve("untrained.jcnn");
        try (var b = Backends.create("cpu"); var m = dev.jcnn.zoo.ModelZoo.lenet5()) {
            m.build(b, 1);
            m.save(f);
        }
        return f;
    }
}
