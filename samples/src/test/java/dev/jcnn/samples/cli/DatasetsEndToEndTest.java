package dev.jcnn.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcnn.io.TensorFile;
import dev.jcnn.samples.cifar.FakeCifar;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --dataset fashion-mnist} and {@code --dataset cifar10} end to end on generated files:
 * train, then evaluate and predict the saved model; the zoo's models take the dataset's shape.
 */
class DatasetsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path fashion;
    static Path cifar;

    @BeforeAll
    static void generate() throws IOException {
        fashion = Files.createDirectories(tmp.resolve("fashion"));
        Random r = new Random(5);
        writeIdx(fashion, "train", 300, r);
        writeIdx(fashion, "t10k", 60, r);
        cifar = tmp.resolve("cifar");
        FakeCifar.write(cifar, 60, 60);
    }

    /** IDX files of n 28×28 images whose class is a bright bar in one of ten places, with noise. */
    private static void writeIdx(Path dir, String prefix, int n, Random r) throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + n * 784).putInt(0x803).putInt(n).putInt(28).putInt(28);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(10);
            labels.put((byte) label);
            for (int p = 0; p < 784; p++) {
                int y = p / 28;
                int x = p % 28;
                boolean on = label < 5 ? y / 5 == label && y % 5 < 3 : x / 5 == label - 5 && x % 5 < 3;
                images.put((byte) (on ? 180 + r.nextInt(76) : r.nextInt(50)));
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }

    private static CliRun train(String model, String dataset, Path data, Path out, Object... more) {
        Object[] base = {"train", model, "--dataset", dataset, "--data-dir", data, "--epochs", 2, "--batch-size", 16,
                "--output", out, "--json", "--backend", "cpu", "--progress", "lines", "--seed", 2};
        Object[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliRun.of(all);
    }

    @Test
    void fashionMnistTrainsTheCifarCnnOnItsOwn28By28AndEvaluatesAndPredictsWithClassNames() throws IOException {
        Path run = tmp.resolve("fashion-run");
        CliRun t = train("cifar-cnn", "fashion-mnist", fashion, run, "--no-verify");
        assertEquals(0, t.exit(), t::toString);
        assertTrue(t.out().contains("Total params: 93,322"), t::toString);
        Map<String, String> meta = TensorFile.read(run.resolve("model.jcnn")).metadata();
        assertEquals("(1, 28, 28)", meta.get("input"));
        JsonNode j = JSON.readTree(run.resolve("train.json").toFile());
        assertEquals(60, j.get("testImages").asInt());
        // a pattern per class: far above chance after two epochs on 270 images
        assertTrue(j.get("testAccuracy").asDouble() > 0.5, j.toString());

        CliRun e = CliRun.of("evaluate", run.resolve("model.jcnn"), "--dataset", "fashion-mnist", "--data-dir",
                fashion, "--no-verify", "--backend", "cpu", "--json");
        assertEquals(0, e.exit(), e::toString);
        assertTrue(e.out().contains("(60 fashion-mnist images"), e::toString);
        assertTrue(e.out().contains("9 Ankle boot: "), e::toString);
        assertEquals("fashion-mnist", JSON.readTree(run.resolve("evaluate.json").toFile()).get("dataset").asText());

        CliRun p = CliRun.of("predict", run.resolve("model.jcnn"), "--dataset", "fashion-mnist", "--data-dir", fashion,
                "--no-verify", "--backend", "cpu", "--index", 0, 1, 2);
        assertEquals(0, p.exit(), p::toString);
        assertTrue(p.out().lines().filter(l -> l.startsWith("test[")).allMatch(l -> l.matches(
                "test\\[\\d]: \\d (T-shirt/top|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot) .*")),
                p::toString);
        assertEquals(3, p.out().lines().filter(l -> l.startsWith("test[")).count(), p::toString);

        assertEquals("fashion-mnist", TensorFile.read(run.resolve("checkpoint.jcnn")).metadata().get("train.dataset"));
        CliRun r = CliRun.of("train", "cifar-cnn", "--dataset", "mnist", "--data-dir", CliRun.slice(), "--no-verify",
                "--output", run, "--resume", "--epochs", 3, "--backend", "cpu", "--progress", "lines");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("was trained on --dataset fashion-mnist, not mnist; resume with --dataset"
                + " fashion-mnist"), r::toString);
    }

    @Test
    void fashionMnistFilesThatAreNotThePublishedOnesAreRefusedWithoutNoVerify() {
        CliRun t = train("lenet5", "fashion-mnist", fashion, tmp.resolve("refused"));
        assertEquals(1, t.exit(), t::toString);
        assertTrue(t.err().contains("not the expected Fashion-MNIST train-images-idx3-ubyte"), t::toString);
        assertTrue(!Files.exists(tmp.resolve("refused")), "no run folder is made when the data is refused");
    }

    @Test
    void cifar10TrainsTheCifarCnnAndLeNet5On3By32By32AndEvaluatesAndPredicts() throws IOException {
        Path run = tmp.resolve("cifar-run");
        CliRun t = train("cifar-cnn", "cifar10", cifar, run);
        assertEquals(0, t.exit(), t::toString);
        assertTrue(t.out().contains("Total params: 122,570"), t::toString);
        JsonNode j = JSON.readTree(run.resolve("train.json").toFile());
        assertEquals(270, j.get("trainImages").asInt());
        assertEquals(30, j.get("validationImages").asInt());
        assertTrue(j.get("testAccuracy").asDouble() > 0.3, j.toString());

        CliRun e = CliRun.of("evaluate", run.resolve("model.jcnn"), "--dataset", "cifar10", "--data-dir", cifar,
                "--backend", "cpu");
        assertEquals(0, e.exit(), e::toString);
        assertTrue(e.out().contains("(60 cifar10 images") && e.out().contains("9 truck: "), e::toString);

        CliRun p = CliRun.of("predict", run.resolve("model.jcnn"), "--dataset", "cifar10", "--data-dir", cifar,
                "--backend", "cpu", "--index", 0, 59);
        assertEquals(0, p.exit(), p::toString);
        assertTrue(p.out().contains("test[59]: "), p::toString);
        assertTrue(p.out().lines().filter(l -> l.startsWith("test[")).allMatch(l -> l.matches(
                "test\\[\\d+]: \\d (airplane|automobile|bird|cat|deer|dog|frog|horse|ship|truck) .*")), p::toString);

        Path lenet = tmp.resolve("cifar-lenet");
        CliRun l = train("lenet5", "cifar10", cifar, lenet);
        assertEquals(0, l.exit(), l::toString);
        assertTrue(l.out().contains("Total params: 83,126"), l::toString);
        assertEquals("(3, 32, 32)", TensorFile.read(lenet.resolve("model.jcnn")).metadata().get("input"));
        CliRun le = CliRun.of("evaluate", lenet.resolve("model.jcnn"), "--dataset", "cifar10", "--data-dir", cifar,
                "--backend", "cpu");
        assertEquals(0, le.exit(), le::toString);
    }

    @Test
    void aMissingCifarFolderOrAnUnknownDatasetIsAClearError() {
        Path none = tmp.resolve("no-cifar");
        CliRun t = train("cifar-cnn", "cifar10", none, tmp.resolve("never"));
        assertEquals(1, t.exit(), t::toString);
        assertTrue(t.err().contains("CIFAR-10 not found in " + none + ": no such folder")
                && t.err().contains("only looked in, never downloaded into"), t::toString);
        CliRun u = train("lenet5", "imagenet", none, tmp.resolve("never"));
        assertEquals(1, u.exit(), u::toString);
        assertTrue(u.err().contains("--dataset imagenet: expected mnist, fashion-mnist, cifar10"), u::toString);
        CliRun m = train("lenet5", "cifar10", cifar, tmp.resolve("never"), "--mirror", "file:///x/");
        assertEquals(1, m.exit(), m::toString);
        assertTrue(m.err().contains("--mirror downloads --dataset cifar10 into its cache folder, but a --data-dir"
                + " folder is only looked in"), m::toString);
        assertTrue(!Files.exists(tmp.resolve("never")));
    }
}
