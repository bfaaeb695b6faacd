package dev.jcnn.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.io.TensorFile;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Add;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.GlobalAveragePooling2D;
import dev.jcnn.layers.Input;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Node;
import dev.jcnn.layers.Normalization;
import dev.jcnn.layers.Padding;
import dev.jcnn.model.Functional;
import dev.jcnn.model.ModelFormat;
import dev.jcnn.tensor.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evaluate, predict and visualize take any self-describing model file; train stores class names and normalisation. */
class ModelFileCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void trainWithNormalizeStoresTheStatisticsAndClassNamesWhichPredictAndVisualizeUse() throws IOException {
        Path run = tmp.resolve("run");
        CliRun t = CliRun.of("train", "lenet5", "--data-dir", CliRun.slice(), "--no-verify", "--limit", 200,
                "--test-limit", 50, "--epochs", 1, "--batch-size", 32, "--output", run, "--backend", "cpu",
                "--progress", "lines", "--normalize");
        assertEquals(0, t.exit(), t::toString);
        assertTrue(t.out().contains("normalising each input channel: mean ["), t::toString);
        JsonNode arch = JSON.readTree(TensorFile.read(run.resolve("model.jcnn")).metadata().get(ModelFormat.METADATA_KEY));
        JsonNode first = arch.get("layers").get(0);
        assertEquals("Normalization", first.get("type").asText(), arch::toString);
        // MNIST's pixels in [0, 1]: a mean near 0.13 and a standard deviation near 0.31
        double mean = first.get("config").get("mean").get(0).asDouble();
        double std = first.get("config").get("std").get(0).asDouble();
        assertTrue(mean > 0.08 && mean < 0.2 && std > 0.25 && std < 0.4, first::toString);
        assertEquals("[1,28,28]", arch.get("input").get("shape").toString());
        assertEquals(IntStream.range(0, 10).mapToObj(Integer::toString).toList(),
                JSON.convertValue(arch.get("class_names"), List.class));
        assertEquals("Normalization", JSON.readTree(TensorFile.read(run.resolve("checkpoint.jcnn")).metadata()
                .get(ModelFormat.METADATA_KEY)).get("layers").get(0).get("type").asText(), "the checkpoint too");

        CliRun s = CliRun.of("summary", run.resolve("model.jcnn"));
        assertEquals(0, s.exit(), s::toString);
        assertTrue(s.out().contains("normalization (Normalization)") && s.out().contains("Non-trainable params: 2")
                && s.out().contains("Classes: 0, 1, 2"), s::toString);

        CliRun e = CliRun.of("evaluate", run.resolve("model.jcnn"), "--data-dir", CliRun.slice(), "--no-verify",
                "--test-limit", 50, "--backend", "cpu");
        assertEquals(0, e.exit(), e::toString);
        assertTrue(e.out().contains("per class:  0: "), e::toString);

        CliRun v = CliRun.of("visualize", run.resolve("model.jcnn"), "--index", 0, "--data-dir", CliRun.slice(),
                "--no-verify", "--backend", "cpu", "--output", tmp.resolve("vis"));
        assertEquals(0, v.exit(), v::toString);
        assertTrue(v.out().startsWith("conv2d_1: 6 filters of 1×5×5"), v::toString);
    }

    @Test
    void resumeKeepsTheRunsNormalizationAndRefusesToAddOne() throws IOException {
        Path run = tmp.resolve("run");
        Object[] common = {"--data-dir", CliRun.slice(), "--no-verify", "--limit", 100, "--test-limit", 20,
            "--batch-size", 32, "--output", run, "--backend", "cpu", "--progress", "lines"};
        CliRun first = CliRun.of(concat(new Object[] {"train", "lenet5", "--epochs", 1, "--normalize"}, common));
        assertEquals(0, first.exit(), first::toString);
        CliRun resumed = CliRun.of(concat(new Object[] {"train", "lenet5", "--epochs", 2, "--resume"}, common));
        assertEquals(0, resumed.exit(), resumed::toString);
        assertEquals("Normalization", JSON.readTree(TensorFile.read(run.resolve("model.jcnn")).metadata()
                .get(ModelFormat.METADATA_KEY)).get("layers").get(0).get("type").asText(), "resumed with its layer");

        Path plain = tmp.resolve("plain");
        Object[] other = common.clone();
        other[10] = plain;
        CliRun noNorm = CliRun.of(concat(new Object[] {"train", "lenet5", "--epochs", 1}, other));
        assertEquals(0, noNorm.exit(), noNorm::toString);
        CliRun bad = CliRun.of(concat(new Object[] {"train", "lenet5", "--epochs", 2, "--resume", "--normalize"}, other));
        assertEquals(1, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("it was trained without --normalize"), bad::toString);
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** A model no zoo knows, written by code: the CLI rebuilds it from the file, class names included. */
    @Test
    void aFunctionalModelWrittenByCodeIsEvaluatedAndPredictedWithItsOwnClassNames() throws IOException {
        Node x = Input.of(1, 28, 28);
        Node n = new Normalization(new float[] {0.13f}, new float[] {0.31f}).apply(x);
        Node h = new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU).apply(n);
        Node r = new Conv2D(4, 3).padding(Padding.SAME).apply(h);
        Node y = new Dense(10, Activation.SOFTMAX).apply(new GlobalAveragePooling2D().apply(new MaxPool2D(2)
                .apply(new Add().apply(h, r))));
        List<String> names = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
        Path file = tmp.resolve("residual.jcnn");
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact()); Functional m = new Functional("residual", x, y)) {
            m.build(cpu, 3);
            m.classNames(names);
            m.save(file);
        }
        CliRun e = CliRun.of("evaluate", file, "--data-dir", CliRun.slice(), "--no-verify", "--test-limit", 40,
                "--backend", "cpu");
        assertEquals(0, e.exit(), e::toString);
        assertTrue(e.out().startsWith("residual on cpu: test accuracy ") && e.out().contains("9 nine: "), e::toString);

        Path png = tmp.resolve("digit.png");
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(14, 14, 0, 255);
        ImageIO.write(img, "png", png.toFile());
        CliRun p = CliRun.of("predict", file, "--image", png, "--backend", "cpu");
        assertEquals(0, p.exit(), p::toString);
        assertTrue(p.out().matches("(?s)" + java.util.regex.Pattern.quote(png.toString()) + ": \\d (zero|one|two|three"
                + "|four|five|six|seven|eight|nine) \\(p=.*"), p::toString);
    }

    @Test
    void aFileOfWeightsOnlyOfAModelNoZooKnowsIsRefusedClearly() throws IOException {
        Path file = tmp.resolve("old.jcnn");
        try (var in = ModelFileCliTest.class.getResourceAsStream("/dev/jcnn/model/main-format-weights.jcnn")) {
            if (in == null) {
                // the fixture lives in cpu-reference's tests: write the same kind of file here
                TensorFile.write(file, java.util.Map.of("model", "old", "input", "(1, 6, 6)"), java.util.Map.of(
                        "dense_1/kernel", new TensorFile.Entry(Shape.of(1), new float[] {1})));
            } else {
                java.nio.file.Files.copy(in, file);
            }
        }
        CliRun e = CliRun.of("evaluate", file, "--data-dir", CliRun.slice(), "--no-verify", "--backend", "cpu");
        assertEquals(1, e.exit(), e::toString);
        assertTrue(e.err().contains(file + " holds weights only, written before format 1, of model 'old', which is no"
                + " zoo model"), e::toString);
    }
}
