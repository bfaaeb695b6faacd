package dev.jcnn.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.samples.train.RunFolder;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's hostile flags, each refused up front with its numbers or said plainly: sizes that
 * overflowed an int, counts that meant different things in different commands, a run folder
 * two runs wrote at once, and messages that named neither the file nor the value.
 */
class CliLimitsTest {

    @TempDir
    Path tmp;

    private static final String ERR = "jcnn train: error: ";

    @Test
    void aBatchLargerThanTheDataIsAllOfItAndALimitLargerThanTheDataIsAll() throws IOException {
        // on main: (size + 2^31 - 2) / batch wrapped to 0 batches: "0 steps", an untrained model, exit 0
        Path out = tmp.resolve("huge-batch");
        CliRun r = CliRun.of("train", "lenet5", "--epochs", 1, "--batch-size", Integer.MAX_VALUE, "--limit", 100000,
                "--test-limit", 100000, "--data-dir", CliRun.slice(), "--no-verify", "--output", out, "--backend", "cpu",
                "--progress", "lines");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("--limit 100000: there are only 2,000 training images; using all 2,000\n"), r::toString);
        assertTrue(r.out().contains("--test-limit 100000: there are only 500 test images; using all 500\n"), r::toString);
        assertTrue(r.out().contains("--batch-size 2147483647 is more than the 1,800 training images: each step takes all"
                + " 1,800\n"), r::toString);
        assertTrue(r.out().contains("epoch 1/1  batch 1/1 (100%)"), r::toString);
    }

    @Test
    void benchRefusesABatchNoTensorCanHoldWithTheLargestThatFits() {
        // on main: "error: -784" (steps × batch × 784 wrapped)
        CliRun r = CliRun.of("bench", "lenet5", "--batch-size", Integer.MAX_VALUE, "--steps", 1, "--backend", "cpu");
        assertEquals(1, r.exit(), r::toString);
        // LeNet-5's largest layer output: 6 × 28 × 28 = 4,704 values per image
        assertEquals("jcnn bench: error: --batch-size 2147483647: a batch of 2,147,483,647 images takes 4,704 values per"
                + " image in lenet5's largest layer, 10,101,763,075,488 in all; one tensor holds at most 2,147,483,647"
                + " (2^31 - 1), so at most 456,522 images per batch\n", r.err());
    }

    @Test
    void benchRefusesMoreImagesThanAnIntCountsAndNeedsNoArrayOfThemAll() {
        // on main: "error: -1568" (a negative array size from steps × batch in int)
        CliRun r = CliRun.of("bench", "lenet5", "--batch-size", 2, "--steps", Integer.MAX_VALUE, "--backend", "cpu");
        assertEquals(1, r.exit(), r::toString);
        assertEquals("jcnn bench: error: --steps 2147483647 × --batch-size 2 = 4,294,967,294 images; at most"
                + " 2,147,483,647 (2^31 - 1)\n", r.err());
        BenchCommand.RandomImages images = new BenchCommand.RandomImages(dev.jcnn.tensor.Shape.of(1, 28, 28), 10,
                50_000 * 64);
        float[] a = new float[784];
        float[] b = new float[784];
        images.copySample(3_199_999, a, 0);
        images.copySample(3_199_999, b, 0);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b), "an image is drawn from its index");
        assertTrue(images.label(3_199_999) >= 0 && images.label(3_199_999) < 10);
    }

    @Test
    void countsMeanTheSameInEveryCommand() {
        // on main: --limit -1 was refused by the settings, --test-limit -1 meant all and trained
        CliRun train = CliRun.of("train", "lenet5", "--test-limit", -1, "--output", tmp.resolve("t"));
        assertEquals(ERR + "--test-limit -1: expected 0 (all) or a positive number of images\n", train.err());
        CliRun limit = CliRun.of("train", "lenet5", "--limit", -1, "--output", tmp.resolve("t"));
        assertEquals(ERR + "--limit -1: expected 0 (all) or a positive number of images\n", limit.err());
        CliRun eval = CliRun.of("evaluate", tmp.resolve("any.jcnn"), "--test-limit", -1);
        assertEquals("jcnn evaluate: error: --test-limit -1: expected 0 (all) or a positive number of images\n",
                eval.err());
        assertFalse(Files.exists(tmp.resolve("t")), "nothing was made");
    }

    @Test
    void evaluateRefusesABatchSizeOfZeroBeforeAnyWork() {
        // on main: a shape error from the first forward pass, after MNIST was loaded
        CliRun r = CliRun.of("evaluate", tmp.resolve("any.jcnn"), "--batch-size", 0);
        assertEquals(1, r.exit(), r::toString);
        assertEquals("jcnn evaluate: error: --batch-size 0: expected a positive number\n", r.err());
    }

    @Test
    void aBadProgressModeIsRefusedBeforeTheDataIsLoadedOrTheFolderMade() {
        // on main: refused after MNIST was loaded, leaving an empty output folder
        Path out = tmp.resolve("bogus");
        CliRun r = CliRun.of("train", "lenet5", "--progress", "bogus", "--data-dir", tmp.resolve("no-data"), "--npm", "",
                "--mirror", tmp.toUri(), "--output", out);
        assertEquals(ERR + "--progress bogus: expected bar, lines or auto\n", r.err());
        assertFalse(Files.exists(out), "no folder is made for a run that cannot start");
        assertFalse(Files.exists(tmp.resolve("no-data")), "no data was fetched");
    }

    @Test
    void anUnknownOptimizerListsTheChoicesAndAnyCaseIsAccepted() {
        CliRun r = CliRun.of("train", "lenet5", "--optimizer", "Adagrad", "--output", tmp.resolve("o"));
        assertEquals(ERR + "--optimizer Adagrad: expected sgd, momentum, nesterov, adam, adamw or rmsprop (in any case)\n",
                r.err());
        assertEquals(dev.jcnn.samples.train.OptimizerChoice.NESTEROV, TrainCommand.parseOptimizer("Nesterov"));
        assertEquals(dev.jcnn.samples.train.OptimizerChoice.RMSPROP, TrainCommand.parseOptimizer("RMSprop"));
    }

    @Test
    void badTrainingControlsAreRefusedBeforeAnyWork() {
        Path out = tmp.resolve("controls");
        String[][] cases = {
            {"--lr-schedule", "cosine:x", "--lr-schedule cosine:x: not a number: For input string: \"x\"; expected"
                + " step:N:G, exp:G, cosine or cosine:WARMUP (per epoch)"},
            {"--lr-schedule", "linear", "--lr-schedule linear: unknown schedule 'linear'; expected step:N:G, exp:G, cosine"
                + " or cosine:WARMUP (per epoch)"},
            {"--lr-schedule", "cosine:5", "--lr-schedule cosine:5: cosine schedule: 5 warm-up and 5 positions in all;"
                + " expected a warm-up of 0 or more, shorter than the whole; expected step:N:G, exp:G, cosine or"
                + " cosine:WARMUP (per epoch)"},
            {"--clip-norm", "-1", "--clip-norm must be 0 (off) or positive, got -1.0"},
            {"--early-stopping", "-2", "--early-stopping must be 0 (off) or a patience in epochs, got -2"},
        };
        for (String[] c : cases) {
            CliRun r = CliRun.of("train", "lenet5", "--epochs", 5, c[0], c[1], "--data-dir", tmp.resolve("no-data"),
                    "--output", out);
            assertEquals(ERR + c[2] + "\n", r.err(), String.join(" ", c));
        }
        CliRun r = CliRun.of("train", "lenet5", "--lr-decay", 0.5, "--lr-schedule", "exp:0.9", "--data-dir",
                tmp.resolve("no-data"), "--output", out);
        assertEquals(ERR + "--lr-decay 0.5 and --lr-schedule exp:0.9 both set the learning rate; give one\n", r.err());
        r = CliRun.of("train", "lenet5", "--early-stopping", 2, "--validation-split", 0, "--data-dir",
                tmp.resolve("no-data"), "--output", out);
        assertEquals(ERR + "--early-stopping 2 watches the validation loss, but --validation-split 0 holds out no"
                + " validation images; give --validation-split above 0\n", r.err());
        assertFalse(Files.exists(out), "no folder is made for a run that cannot start");
        assertFalse(Files.exists(tmp.resolve("no-data")), "no data was fetched");
    }

    @Test
    void aRunFolderHeldByAnotherRunIsRefusedNamingItsOwner() throws IOException {
        // on main: both runs trained into the folder, the second overwriting the first's checkpoints
        Path out = tmp.resolve("busy");
        try (RunFolder held = RunFolder.claim(out, "jcnn train lenet5 (the first run)")) {
            CliRun r = CliRun.of("train", "lenet5", "--epochs", 1, "--limit", 64, "--data-dir", CliRun.slice(),
                    "--no-verify", "--output", held.dir(), "--backend", "cpu", "--progress", "lines");
            assertEquals(1, r.exit(), r::toString);
            assertTrue(r.err().startsWith(ERR + out + " is in use by another run: pid " + ProcessHandle.current().pid()
                    + " on "), r::toString);
            assertTrue(r.err().contains("(jcnn train lenet5 (the first run)); wait for it to finish or use another"
                    + " --output folder"), r::toString);
            assertFalse(Files.exists(out.resolve("checkpoint.jcnn")), "the second run did not train");
        }
    }

    @Test
    void aFolderGivenAsTheModelFileIsNamed() throws IOException {
        // on main: "error: Is a directory", no path
        Path dir = Files.createDirectories(tmp.resolve("a-run"));
        CliRun r = CliRun.of("evaluate", dir);
        assertEquals("jcnn evaluate: error: " + dir + ": a folder, not a model file\n", r.err());
        CliRun image = CliRun.of("predict", tmp.resolve("model.jcnn"), "--image", dir);
        assertEquals("jcnn predict: error: " + dir + ": a folder, not a file (--image)\n", image.err());
    }

    @Test
    void fileSystemErrorsSayTheFileAndWhyAndEmptyMessagesTheirCause() {
        // the JDK's message of an unreadable file is its bare path; of PNGImageReader's OOM, "Caught exception during read: "
        assertEquals("/x/model.jcnn: permission denied", Jcnn.describe(new AccessDeniedException("/x/model.jcnn")));
        assertEquals("/x/a: no such file", Jcnn.describe(new NoSuchFileException("/x/a")));
        assertEquals("/x/a: no such model file; hint", Jcnn.describe(new NoSuchFileException("/x/a", null,
                "no such model file; hint")));
        assertEquals("Caught exception during read: Java heap space (out of memory: raise -Xmx in JAVA_OPTS, or use a"
                + " smaller input or batch)", Jcnn.describe(new IIOException("Caught exception during read: ",
                new OutOfMemoryError("Java heap space"))));
        assertEquals("IllegalStateException: boom", Jcnn.describe(new IllegalStateException("", new RuntimeException("boom"))));
    }

    @Test
    void aRunThatCannotGetItsDataLeavesNoFolder() {
        // on main: the output folder was made before the data was fetched
        Path out = tmp.resolve("no-data-run");
        CliRun r = CliRun.of("train", "lenet5", "--data-dir", tmp.resolve("no-data"), "--npm", "", "--mirror", tmp.toUri(),
                "--output", out);
        assertEquals(1, r.exit(), r::toString);
        assertFalse(Files.exists(out), r::toString);
    }
}
