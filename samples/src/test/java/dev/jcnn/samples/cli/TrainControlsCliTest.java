package dev.jcnn.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.io.TensorFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train's --optimizer adamw|rmsprop, --clip-norm, --lr-schedule and --early-stopping on the committed MNIST slice. */
class TrainControlsCliTest {

    @TempDir
    Path tmp;

    private static CliRun train(Path out, Object... flags) {
        Object[] common = {"train", "lenet5", "--limit", 320, "--batch-size", 32, "--data-dir", CliRun.slice(),
            "--no-verify", "--output", out, "--backend", "cpu", "--progress", "lines", "--seed", 2};
        Object[] all = new Object[common.length + flags.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(flags, 0, all, common.length, flags.length);
        return CliRun.of(all);
    }

    @Test
    void rmsPropWithAStepScheduleAndClippingIsSavedAndResumedWithItsSettings() throws IOException {
        Path out = tmp.resolve("rmsprop");
        CliRun r = train(out, "--epochs", 1, "--optimizer", "rmsprop", "--lr-schedule", "step:1:0.5", "--clip-norm", 5);
        assertEquals(0, r.exit(), r::toString);
        TensorFile.Contents ckpt = TensorFile.read(out.resolve("checkpoint.jcnn"));
        Map<String, String> meta = ckpt.metadata();
        assertEquals("rmsprop", meta.get("train.optimizer"));
        assertEquals("step:1:0.5", meta.get("train.lrSchedule"));
        assertEquals("5.0", meta.get("train.clipNorm"));
        assertTrue(meta.get("optimizer").startsWith("RMSprop(lr=0.01"), meta.get("optimizer"));
        assertTrue(ckpt.tensors().containsKey("optimizer/conv2d_1/kernel/square_avg"), "RMSprop's state is saved");
        // the second epoch runs at half the rate: the schedule follows the epoch on resume
        CliRun resumed = train(out, "--resume", "--epochs", 2);
        assertEquals(0, resumed.exit(), resumed::toString);
        assertTrue(resumed.out().contains("--optimizer rmsprop, --lr 0.01, --lr-schedule step:1:0.5, --clip-norm 5.0,"),
                resumed::toString);
        assertTrue(TensorFile.read(out.resolve("checkpoint.jcnn")).metadata().get("optimizer").startsWith("RMSprop(lr=0.005"),
                "epoch 2's rate");
        CliRun contradicted = train(out, "--resume", "--epochs", 3, "--lr-schedule", "exp:0.9");
        assertEquals(1, contradicted.exit(), contradicted::toString);
        assertTrue(contradicted.err().contains("it has --lr-schedule step:1:0.5, not exp:0.9"), contradicted::toString);
    }

    @Test
    void adamWWithCosineWarmUpAndEarlyStoppingTrains() throws IOException {
        Path out = tmp.resolve("adamw");
        CliRun r = train(out, "--epochs", 3, "--optimizer", "adamw", "--lr-schedule", "cosine:1", "--early-stopping", 1);
        assertEquals(0, r.exit(), r::toString);
        TensorFile.Contents ckpt = TensorFile.read(out.resolve("checkpoint.jcnn"));
        assertTrue(ckpt.metadata().get("optimizer").startsWith("AdamW(lr="), ckpt.metadata().get("optimizer"));
        assertTrue(ckpt.metadata().get("optimizer").endsWith("weight decay=0.01)"), "AdamW's default decay");
        assertEquals("1", ckpt.metadata().get("train.earlyStopping"));
        assertTrue(ckpt.tensors().containsKey("optimizer/conv2d_1/kernel/v"), "AdamW's moments are saved");
        assertTrue(r.out().contains("test accuracy "), r::toString);
    }
}
