package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.data.SampleSource;
import dev.jcnn.testing.DocExample;
import dev.jcnn.train.Evaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/library.md's training-controls example is TrainingControlsExample's code, and it trains and evaluates. */
class TrainingControlsExampleTest {

    @TempDir
    Path dir;

    @Test
    void theDocsExampleIsTheProgram() throws Exception {
        DocExample.assertInProgram("docs/library.md", "## Training controls",
                "cpu-reference/src/test/java/dev/jcnn/model/TrainingControlsExample.java", 10);
    }

    @Test
    void theExampleTrainsKeepsTheBestEpochAndReportsItsMetrics() {
        int[] y = new int[256];
        float[] x = TrainingTest.bars(256, 21, y);
        int[] vy = new int[64];
        float[] vx = TrainingTest.bars(64, 22, vy);
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact()); Sequential m = TrainingTest.small()) {
            m.build(cpu, 5);
            SampleSource train = SampleSource.of(m.inputShape(), x, y);
            SampleSource validation = SampleSource.of(m.inputShape(), vx, vy);
            Path best = dir.resolve("best.jcnn");
            Evaluation e = TrainingControlsExample.train(m, train, validation, validation, best, 6, 0.01f);
            assertTrue(Files.exists(best), "the best epoch is saved");
            assertTrue(e.accuracy() > 0.9, "accuracy " + e.accuracy());
            assertTrue(e.metric("top_2_accuracy") >= e.accuracy());
            assertTrue(e.metric("mean_iou") > 0.8, "mean IoU " + e.metrics());
            assertEquals(5, e.metrics().size() + 1, "four metrics: " + e.metrics().keySet());
        }
    }
}
