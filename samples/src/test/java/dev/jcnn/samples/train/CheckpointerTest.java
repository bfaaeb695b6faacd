package dev.jcnn.samples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.train.EpochStats;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointerTest {

    private final Path file = Path.of("runs/x/checkpoint.jcnn");

    @Test
    void settingsAndHistoryRoundTripThroughMetadata() {
        TrainConfig c = new TrainConfig("lenet5", 4, 32, OptimizerChoice.NESTEROV, 0.05f, 0.5, 0.9f, 1e-4f, 7, 2000, 0.1);
        List<EpochStats> h = List.of(new EpochStats(1, 0.5, 0.8, Double.NaN, Double.NaN, 3.5, 500));
        Map<String, String> meta = new HashMap<>(c.toMetadata());
        meta.put("kind", "checkpoint");
        meta.put(Checkpointer.EPOCH, "1");
        meta.put(Checkpointer.HISTORY, Checkpointer.writeHistory(h));
        Checkpointer.Saved s = Checkpointer.read(meta, file);
        assertEquals(c, s.config());
        assertEquals(1, s.epoch());
        assertEquals(h, s.history());
        assertEquals(0.05f * 0.25f, s.config().learningRate(3), 1e-9f);
    }

    @Test
    void weightsFileIsNotACheckpoint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpointer.read(Map.of("kind", "weights"), file));
        assertEquals(file + ": not a checkpoint (kind 'weights'); --resume needs the checkpoint.jcnn that 'jcnn train'"
                + " writes", e.getMessage());
    }

    @Test
    void missingSettingIsNamed() {
        Map<String, String> meta = new HashMap<>(new TrainConfig("lenet5", 1, 8, OptimizerChoice.ADAM, 1e-3f, 1.0, 0.9f, 0f,
                1, 0, 0).toMetadata());
        meta.remove("train.seed");
        meta.put("kind", "checkpoint");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpointer.read(meta, file));
        assertTrue(e.getMessage().contains("the checkpoint has no 'train.seed' entry"), e.getMessage());
    }

    @Test
    void malformedSettingsNameTheKeyTheValueAndWhatIsExpected() {
        // on main: "For input string: \"abc\"" and "No enum constant ...OptimizerChoice.RMSPROP"
        Map<String, String> meta = new HashMap<>(new TrainConfig("lenet5", 1, 8, OptimizerChoice.ADAM, 1e-3f, 1.0, 0.9f, 0f,
                1, 0, 0).toMetadata());
        meta.put("kind", "checkpoint");
        meta.put(Checkpointer.EPOCH, "1");
        meta.put("train.batchSize", "abc");
        assertEquals(file + ": malformed training settings in the checkpoint: 'train.batchSize' is 'abc', expected an"
                + " integer", assertThrows(IllegalArgumentException.class, () -> Checkpointer.read(meta, file)).getMessage());
        meta.put("train.batchSize", "8");
        meta.put("train.optimizer", "adagrad");
        assertEquals(file + ": malformed training settings in the checkpoint: 'train.optimizer' is 'adagrad', expected"
                + " sgd, momentum, nesterov, adam, adamw or rmsprop",
                assertThrows(IllegalArgumentException.class, () -> Checkpointer.read(meta, file)).getMessage());
        meta.put("train.optimizer", "Adam");
        meta.put(Checkpointer.EPOCH, "xyz");
        assertEquals(file + ": malformed checkpoint: 'train.epoch' is 'xyz', expected the number of epochs done (0 or"
                + " more)", assertThrows(IllegalArgumentException.class, () -> Checkpointer.read(meta, file)).getMessage());
    }

    @Test
    void optimizerNamesAreReadInAnyCaseAndTheChoicesListed() {
        assertEquals(OptimizerChoice.MOMENTUM, OptimizerChoice.parse("MoMentum"));
        assertEquals(OptimizerChoice.RMSPROP, OptimizerChoice.parse("RMSprop"));
        assertEquals("sgd, momentum, nesterov, adam, adamw or rmsprop", OptimizerChoice.choices());
        assertEquals("optimizer 'adagrad': expected one of sgd, momentum, nesterov, adam, adamw or rmsprop",
                assertThrows(IllegalArgumentException.class, () -> OptimizerChoice.parse("adagrad")).getMessage());
    }

    @Test
    void newSettingsRoundTripAndOldCheckpointsReadWithTheirDefaults() {
        TrainConfig c = new TrainConfig("lenet5", 6, 8, OptimizerChoice.ADAMW, 1e-3f, 1.0, 0.9f, 0.01f, 1, 0, 0.1, 2.5f,
                "cosine:2", 3);
        Map<String, String> meta = new HashMap<>(c.toMetadata());
        assertEquals(c, TrainConfig.fromMetadata(meta, "f"));
        assertEquals(c.schedule().learningRate(0), 1e-3f / 3, 1e-9f, "the first warm-up epoch");
        meta.remove("train.clipNorm");
        meta.remove("train.lrSchedule");
        meta.remove("train.earlyStopping");
        TrainConfig old = TrainConfig.fromMetadata(meta, "f");
        assertEquals(0f, old.clipNorm());
        assertEquals("", old.lrSchedule());
        assertEquals(0, old.earlyStopping());
        // --lr-decay's schedule: the rate it always had, learningRate · lrDecay^(epoch − 1)
        TrainConfig decayed = new TrainConfig("lenet5", 6, 8, OptimizerChoice.SGD, 0.05f, 0.7, 0.9f, 0f, 1, 0, 0.1);
        for (int e = 1; e <= 6; e++) {
            assertEquals((float) (0.05f * Math.pow(0.7, e - 1)), decayed.learningRate(e), 0f, "epoch " + e);
        }
    }
}
