package dev.jcnn.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.io.TensorFile;
import dev.jcnn.samples.train.Checkpointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train's --augment and --loader-threads on the committed MNIST slice: recorded, reproducible, checked. */
class AugmentCliTest {

    @TempDir
    Path tmp;

    private static CliRun train(Path out, Object... more) {
        return train(1, out, more);
    }

    private static CliRun train(int epochs, Path out, Object... more) {
        Object[] base = {"train", "lenet5", "--epochs", epochs, "--batch-size", 50, "--limit", 400, "--test-limit", 100,
            "--data-dir", CliRun.slice(), "--no-verify", "--output", out, "--backend", "cpu", "--progress", "lines",
            "--seed", 2};
        Object[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliRun.of(all);
    }

    private static float[] weights(Path run) throws IOException {
        return TensorFile.read(run.resolve("model.jcnn")).tensors().get("dense_1/kernel").data();
    }

    @Test
    void augmentedRunsAreReproducedWhateverTheLoaderThreadsAndDifferFromPlainOnes() throws IOException {
        CliRun a = train(tmp.resolve("a"), "--augment", "shift:2,flip", "--loader-threads", 0);
        CliRun b = train(tmp.resolve("b"), "--augment", "shift:2,flip", "--loader-threads", 3);
        CliRun plain = train(tmp.resolve("plain"), "--loader-threads", 2);
        assertEquals(0, a.exit(), a::toString);
        assertEquals(0, b.exit(), b::toString);
        assertEquals(0, plain.exit(), plain::toString);
        assertArrayEquals(weights(tmp.resolve("a")), weights(tmp.resolve("b")), "the same batches for 0 and 3 threads");
        assertFalse(Arrays.equals(weights(tmp.resolve("a")), weights(tmp.resolve("plain"))), "augmentation changes the run");
        assertEquals("shift:2,flip", TensorFile.read(tmp.resolve("a").resolve(ModelFiles.CHECKPOINT)).metadata()
                .get(Checkpointer.AUGMENT));
        assertEquals("none", TensorFile.read(tmp.resolve("plain").resolve(ModelFiles.CHECKPOINT)).metadata()
                .get(Checkpointer.AUGMENT));
    }

    @Test
    void resumeKeepsTheRunsAugmentationAndRefusesAnother() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, train(run, "--augment", "crop:2").exit());
        CliRun other = train(2, run, "--resume", "--augment", "flip");
        assertNotEquals(0, other.exit());
        assertTrue(other.err().contains("--augment crop:2, not flip"), other::toString);
        CliRun same = train(2, run, "--resume");
        assertEquals(0, same.exit(), same::toString);
        assertTrue(same.out().contains("--augment crop:2"), same::toString);
    }

    @Test
    void badStepsAndThreadCountsAreRefusedBeforeAnyFolderIsMade() {
        Path out = tmp.resolve("never");
        CliRun bad = train(out, "--augment", "crop:4,rotate:10");
        assertNotEquals(0, bad.exit());
        assertTrue(bad.err().contains("--augment crop:4,rotate:10") && bad.err().contains("step 'rotate:10'"),
                bad::toString);
        CliRun threads = train(out, "--loader-threads", 99);
        assertNotEquals(0, threads.exit());
        assertTrue(threads.err().contains("--loader-threads 99"), threads::toString);
        assertFalse(Files.exists(out));
    }
}
