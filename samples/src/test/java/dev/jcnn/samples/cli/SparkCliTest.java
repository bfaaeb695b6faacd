package dev.jcnn.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.io.TensorFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --spark local[2]} on the committed MNIST slice: two Spark tasks in this JVM. */
class SparkCliTest {

    @TempDir
    Path tmp;

    @Test
    void trainsLeNetOnTwoSparkTasksAndSavesWhatARunOnOneMachineSaves() throws Exception {
        Path run = tmp.resolve("run");
        CliRun r = CliRun.of("train", "lenet5", "--spark", "local[2]", "--epochs", 1, "--batch-size", 32,
                "--optimizer", "momentum", "--limit", 1000, "--test-limit", 200, "--data-dir", CliRun.slice(),
                "--no-verify", "--output", run, "--backend", "cpu", "--seed", 3);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("training on Spark local[2]: 2 tasks of 16 images a step (global batch 32)"),
                r::toString);
        Matcher m = Pattern.compile("test accuracy (\\d\\.\\d{4})  test loss \\S+  \\(200 test images, cpu on Spark"
                + " local\\[2\\], 1 epochs").matcher(r.out());
        assertTrue(m.find(), r::toString);
        // one epoch of 900 images at batch 32 trains LeNet-5 far above chance (0.1)
        double accuracy = Double.parseDouble(m.group(1));
        assertTrue(accuracy > 0.5, "test accuracy " + accuracy + "\n" + r);
        assertTrue(Files.size(run.resolve(ModelFiles.WEIGHTS)) > 4 * 61_706, r::toString);
        Map<String, String> meta = TensorFile.read(run.resolve(ModelFiles.CHECKPOINT)).metadata();
        assertEquals("1", meta.get("train.epoch"), meta::toString);
        assertEquals("local[2]", meta.get(SparkTrainRun.MASTER), meta::toString);
        // the saved model evaluates to the accuracy the run printed
        CliRun ev = CliRun.of("evaluate", run.resolve(ModelFiles.WEIGHTS), "--data-dir", CliRun.slice(), "--no-verify",
                "--test-limit", 200, "--backend", "cpu");
        assertEquals(0, ev.exit(), ev::toString);
        assertTrue(ev.out().contains(m.group(1)), () -> ev + "\nexpected accuracy " + m.group(1));
    }

    @Test
    void refusesAFlagASparkRunDoesNotTakeNamingIt() {
        CliRun r = CliRun.of("train", "lenet5", "--spark", "local[2]", "--augment", "flip", "--data-dir",
                CliRun.slice(), "--no-verify", "--output", tmp.resolve("refused"));
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("--augment cannot be given with --spark local[2]"), r::toString);
        assertTrue(Files.notExists(tmp.resolve("refused")), r::toString);
    }

    @Test
    void refusesABatchThatDoesNotSplitOverTheTasks() {
        CliRun r = CliRun.of("train", "lenet5", "--spark", "local[2]", "--batch-size", 33, "--limit", 200, "--data-dir",
                CliRun.slice(), "--no-verify", "--output", tmp.resolve("odd"), "--backend", "cpu");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("--batch-size 33 does not split evenly over the 2 tasks of --spark local[2]"),
                r::toString);
    }
}
