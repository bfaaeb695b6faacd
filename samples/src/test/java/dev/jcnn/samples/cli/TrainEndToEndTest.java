package dev.jcnn.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcnn.io.TensorFile;
import dev.jcnn.samples.plot.ConfusionMatrix;
import dev.jcnn.samples.plot.ImageGrid;
import dev.jcnn.samples.plot.LineChart;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line end to end on the committed MNIST slice (2,000 training and 500 test
 * images): train LeNet-5 for one epoch, then reload what it saved to evaluate, predict,
 * visualize and resume. The tests share one training run and go in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path run;
    static CliRun trained;

    @BeforeAll
    static void trainOneEpoch() {
        run = tmp.resolve("run");
        trained = CliRun.of("train", "lenet5", "--epochs", 1, "--batch-size", 32, "--data-dir", CliRun.slice(),
                "--no-verify", "--output", run, "--json", "--backend", "cpu", "--progress", "lines", "--seed", 3);
    }

    @Test
    @Order(1)
    void trainsSavesAndReportsTestAccuracy() throws IOException {
        assertEquals(0, trained.exit(), trained::toString);
        assertTrue(trained.out().contains("Total params: 61,706"), trained::toString);
        assertTrue(trained.out().contains("epoch 1/1  batch 57/57 (100%)"), trained::toString);
        JsonNode j = JSON.readTree(run.resolve("train.json").toFile());
        assertEquals("lenet5", j.get("model").asText());
        assertEquals(61706, j.get("parameters").asInt());
        assertEquals("cpu", j.get("backend").asText());
        assertEquals(1800, j.get("trainImages").asInt());
        assertEquals(200, j.get("validationImages").asInt());
        assertEquals(500, j.get("testImages").asInt());
        assertEquals(1, j.get("epochs").size());
        double acc = j.get("testAccuracy").asDouble();
        // one epoch on 1,800 images: far above chance (0.1), far from done
        assertTrue(acc > 0.6 && acc < 1.0, "test accuracy " + acc);
        assertTrue(trained.out().contains(String.format("test accuracy %.4f", acc)), trained::toString);
        assertTrue(j.get("epochs").get(0).get("valAccuracy").asDouble() > 0.5);
        assertTrue(j.get("imagesPerSecond").asDouble() > 0);
        Map<String, String> meta = TensorFile.read(run.resolve("model.jcnn")).metadata();
        assertEquals("lenet5", meta.get("model"));
        Map<String, String> ckpt = TensorFile.read(run.resolve("checkpoint.jcnn")).metadata();
        assertEquals("checkpoint", ckpt.get("kind"));
        assertEquals("1", ckpt.get("train.epoch"));
        assertTrue(TensorFile.read(run.resolve("checkpoint.jcnn")).tensors().containsKey("optimizer/conv2d_1/kernel/m"),
                "Adam's moments are in the checkpoint");
    }

    @Test
    @Order(2)
    void plotsDecodeToImagesOfTheExpectedSize() throws IOException {
        assertSize(run.resolve("loss.png"), LineChart.WIDTH, LineChart.HEIGHT);
        assertSize(run.resolve("accuracy.png"), LineChart.WIDTH, LineChart.HEIGHT);
        assertSize(run.resolve("confusion.png"), ConfusionMatrix.side(10), ConfusionMatrix.side(10));
        String html = Files.readString(run.resolve("report.html"));
        for (String png : new String[] {"loss.png", "accuracy.png", "confusion.png"}) {
            assertTrue(html.contains("<img src=\"" + png + "\""), html);
        }
        assertTrue(html.contains("test accuracy"), html);
    }

    @Test
    @Order(3)
    void evaluateReloadsTheModelAndAgreesWithTraining() throws IOException {
        Path out = tmp.resolve("eval");
        CliRun r = CliRun.of("evaluate", run.resolve("model.jcnn"), "--data-dir", CliRun.slice(), "--no-verify",
                "--backend", "cpu", "--json", "--output", out);
        assertEquals(0, r.exit(), r::toString);
        JsonNode e = JSON.readTree(out.resolve("evaluate.json").toFile());
        JsonNode t = JSON.readTree(run.resolve("train.json").toFile());
        assertEquals(t.get("testAccuracy").asDouble(), e.get("testAccuracy").asDouble(), 1e-12);
        assertEquals(t.get("testLoss").asDouble(), e.get("testLoss").asDouble(), 1e-5);
        assertEquals(500, e.get("testImages").asInt());
        long total = 0;
        for (JsonNode row : e.get("confusion")) {
            for (JsonNode c : row) {
                total += c.asLong();
            }
        }
        assertEquals(500, total);
        assertTrue(r.out().startsWith(String.format("lenet5 on cpu: test accuracy %.4f", e.get("testAccuracy").asDouble())),
                r::toString);
        assertSize(out.resolve("confusion.png"), ConfusionMatrix.side(10), ConfusionMatrix.side(10));
    }

    @Test
    @Order(4)
    void predictGivesTheSameClassForAnIndexAndForItsPng() throws IOException {
        CliRun byIndex = CliRun.of("predict", run.resolve("model.jcnn"), "--index", 0, 1, "--data-dir", CliRun.slice(),
                "--no-verify", "--backend", "cpu");
        assertEquals(0, byIndex.exit(), byIndex::toString);
        String[] lines = byIndex.out().strip().split("\n");
        assertEquals(2, lines.length, byIndex::toString);
        // test image 0 of MNIST is a 7
        assertTrue(lines[0].startsWith("test[0]: "), lines[0]);
        assertTrue(lines[0].contains(" label 7 "), lines[0]);
        assertTrue(lines[0].matches(".*probabilities:( \\d:\\d\\.\\d{4}){10}"), lines[0]);
        double sum = 0;
        for (String p : lines[0].substring(lines[0].indexOf("probabilities:") + 14).trim().split(" ")) {
            sum += Double.parseDouble(p.substring(2));
        }
        assertEquals(1.0, sum, 1e-3);
        // the same digit as a PNG, dark on light: auto inversion makes it MNIST-like again
        float[] digit = dev.jcnn.data.Mnist.load(CliRun.slice()).test().image(0);
        float[] inverted = new float[digit.length];
        for (int i = 0; i < digit.length; i++) {
            inverted[i] = 1f - digit[i];
        }
        Path png = tmp.resolve("seven.png");
        ImageIO.write(dev.jcnn.samples.data.PngDigits.toImage(inverted, 28, 28), "png", png.toFile());
        CliRun byFile = CliRun.of("predict", run.resolve("model.jcnn"), "--image", png, "--backend", "cpu");
        assertEquals(0, byFile.exit(), byFile::toString);
        String cls = lines[0].substring("test[0]: ".length(), "test[0]: ".length() + 1);
        assertTrue(byFile.out().startsWith(png + ": " + cls + " (p="), byFile + " vs " + lines[0]);
    }

    @Test
    @Order(5)
    void visualizeDrawsFiltersAndActivationMaps() throws IOException {
        Path out = tmp.resolve("vis");
        CliRun r = CliRun.of("visualize", run.resolve("model.jcnn"), "--index", 0, "--data-dir", CliRun.slice(),
                "--no-verify", "--backend", "cpu", "--output", out);
        assertEquals(0, r.exit(), r::toString);
        // LeNet-5's first layer: six 1×5×5 filters in one row, six 28×28 maps in one row
        assertSize(out.resolve("filters.png"), ImageGrid.width(6, 5, VisualizeCommand.FILTER_SCALE),
                ImageGrid.width(1, 5, VisualizeCommand.FILTER_SCALE));
        assertSize(out.resolve("activations.png"), ImageGrid.width(6, 28, VisualizeCommand.MAP_SCALE),
                ImageGrid.width(1, 28, VisualizeCommand.MAP_SCALE));
        assertSize(out.resolve("input.png"), ImageGrid.width(1, 28, VisualizeCommand.MAP_SCALE),
                ImageGrid.width(1, 28, VisualizeCommand.MAP_SCALE));
        assertTrue(r.out().startsWith("conv2d_1: 6 filters of 1×5×5"), r::toString);
    }

    @Test
    @Order(6)
    void resumeContinuesExactlyAsAnUninterruptedRun() throws IOException {
        // the resumed run: epoch 2 from the checkpoint of epoch 1 (weights, Adam moments, step count)
        Path resumed = tmp.resolve("resumed");
        copyTree(run, resumed);
        CliRun r = CliRun.of("train", "lenet5", "--resume", "--epochs", 2, "--data-dir", CliRun.slice(), "--no-verify",
                "--output", resumed, "--json", "--backend", "cpu", "--progress", "lines");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("epoch 2/2  batch 57/57"), r::toString);
        assertTrue(!r.out().contains("epoch 1/2  batch"), "epoch 1 is not trained again");
        // the same two epochs without a break
        Path straight = tmp.resolve("straight");
        CliRun s = CliRun.of("train", "lenet5", "--epochs", 2, "--batch-size", 32, "--data-dir", CliRun.slice(),
                "--no-verify", "--output", straight, "--json", "--backend", "cpu", "--progress", "lines", "--seed", 3);
        assertEquals(0, s.exit(), s::toString);
        JsonNode a = JSON.readTree(resumed.resolve("train.json").toFile());
        JsonNode b = JSON.readTree(straight.resolve("train.json").toFile());
        assertEquals(2, a.get("epochs").size(), "the history keeps the epoch before the break");
        assertEquals(b.get("epochs").get(0).get("loss").asDouble(), a.get("epochs").get(0).get("loss").asDouble(), 1e-12);
        assertEquals(b.get("epochs").get(1).get("loss").asDouble(), a.get("epochs").get(1).get("loss").asDouble(), 1e-5);
        assertEquals(b.get("testAccuracy").asDouble(), a.get("testAccuracy").asDouble(), 1e-12);
        float[] wa = TensorFile.read(resumed.resolve("model.jcnn")).tensors().get("dense_1/kernel").data();
        float[] wb = TensorFile.read(straight.resolve("model.jcnn")).tensors().get("dense_1/kernel").data();
        assertArrayEquals(wb, wa, 1e-5f);
    }

    @Test
    @Order(7)
    void aLeftoverTemporaryFileFromAKilledWriteDoesNotStopResume() throws IOException {
        // a process killed mid-write leaves its temporary file; the checkpoint itself is whole
        Path dir = tmp.resolve("killed");
        copyTree(run, dir);
        Files.write(dir.resolve("checkpoint.jcnn.123.tmp"), new byte[] {'J', 'C', 'N'});
        CliRun r = CliRun.of("train", "lenet5", "--resume", "--data-dir", CliRun.slice(), "--no-verify",
                "--output", dir, "--backend", "cpu", "--progress", "lines");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("the checkpoint is at epoch 1 of 1: nothing left to train"), r::toString);
        assertFalse(Files.exists(dir.resolve("checkpoint.jcnn.123.tmp")), "the broken leftover is removed");
    }

    @Test
    @Order(8)
    void aWholeTemporaryCheckpointLeftByAKilledRenameIsResumedFrom() throws IOException {
        // killed between writing the temporary file and renaming it: on main, "--resume: no checkpoint"
        Path dir = tmp.resolve("killed-before-rename");
        copyTree(run, dir);
        Files.move(dir.resolve("checkpoint.jcnn"), dir.resolve("checkpoint.jcnn.5550123.tmp"));
        CliRun r = CliRun.of("train", "lenet5", "--resume", "--data-dir", CliRun.slice(), "--no-verify",
                "--output", dir, "--backend", "cpu", "--progress", "lines");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("the checkpoint is at epoch 1 of 1: nothing left to train"), r::toString);
        assertTrue(Files.isRegularFile(dir.resolve("checkpoint.jcnn")));
        assertFalse(Files.exists(dir.resolve("checkpoint.jcnn.5550123.tmp")));
    }

    @Test
    @Order(9)
    void resumeSaysWhichSettingsItUsesAndRefusesFlagsThatContradictThem() throws IOException {
        // on main: --batch-size, --optimizer, --lr and --limit were silently ignored
        Path dir = tmp.resolve("contradicted");
        copyTree(run, dir);
        CliRun r = CliRun.of("train", "lenet5", "--resume", "--epochs", 2, "--batch-size", 64, "--optimizer", "sgd",
                "--lr", 0.5, "--limit", 100, "--data-dir", CliRun.slice(), "--no-verify", "--output", dir, "--backend",
                "cpu", "--progress", "lines");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("jcnn train: error: --resume continues the checkpoint's run with its own settings, and it has"
                + " --batch-size 32, not 64, it has --optimizer adam, not sgd, it has --lr 0.001, not 0.5, it has --limit 0,"
                + " not 100; drop the flag(s) to resume, or train without --resume into another --output folder to start"
                + " a new run\n", r.err());
        assertEquals("1", TensorFile.read(dir.resolve("checkpoint.jcnn")).metadata().get("train.epoch"), "untouched");
        // flags that agree are fine, and the settings used are printed
        CliRun same = CliRun.of("train", "lenet5", "--resume", "--batch-size", 32, "--seed", 3, "--data-dir",
                CliRun.slice(), "--no-verify", "--output", dir, "--backend", "cpu", "--progress", "lines");
        assertEquals(0, same.exit(), same::toString);
        assertTrue(same.out().startsWith("resuming lenet5 from " + dir.resolve("checkpoint.jcnn") + " at epoch 1 of 1 with"
                + " the checkpoint's settings: --batch-size 32, --optimizer adam, --lr 0.001, --lr-decay 0.7, --momentum"
                + " 0.9, --weight-decay 0.0, --seed 3, --limit 0 (all), --validation-split 0.1\n"), same::toString);
    }

    static void assertSize(Path png, int width, int height) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null, png + " is not a readable image");
        assertEquals(width, img.getWidth(), png + " width");
        assertEquals(height, img.getHeight(), png + " height");
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p)) {
                    Files.copy(p, to.resolve(p.getFileName()));
                }
            }
        }
    }
}
