package dev.jcnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Backends;
import dev.jcnn.data.Mnist;
import dev.jcnn.model.Model;
import dev.jcnn.testing.DocExample;
import dev.jcnn.train.Evaluation;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark-submit entry point on local[2] and the MNIST slice, and docs/spark.md's example. */
class SparkTrainTest {

    private static final String SLICE = "../samples/src/test/resources/mnist-slice";

    @Test
    void trainsLeNet5OnTwoWorkersEvaluatesAndSavesAModelThatLoads(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("lenet5.jcnn");
        SparkTrain.Result r = SparkTrain.run(new String[] {"--master", "local[2]", "--data-dir", SLICE, "--epochs", "2",
            "--partitions", "2", "--batch-per-worker", "32", "--checkpoint", dir.resolve("ckpt").toString(), "--out",
            out.toString()});
        assertEquals(2, r.epochs().size());
        assertEquals(500, r.test().samples());
        assertTrue(r.test().accuracy() > 0.75, "test accuracy " + r.test().accuracy());
        assertTrue(Files.exists(dir.resolve("ckpt")));
        Backend cpu = Backends.create("cpu");
        try (Model loaded = Model.load(out, cpu)) {
            loaded.compile(new SparseCategoricalCrossEntropy());
            Evaluation again = loaded.evaluate(Mnist.load(Path.of(SLICE)).test(), 256);
            assertEquals(r.test().accuracy(), again.accuracy(), 1e-9);
        } finally {
            cpu.close();
        }
    }

    @Test
    void anUnknownOptionOrModelIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkTrain.run(new String[] {"--epoch", "2"}));
        assertTrue(e.getMessage().contains("'--epoch'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkTrain.run(new String[] {"--model", "resnet"}));
        assertTrue(e.getMessage().contains("'resnet'"), e.getMessage());
    }

    @Test
    void theDocsExampleIsTheEntryPointsCode() throws Exception {
        DocExample.assertInProgram("docs/spark.md", "## In a program", "spark/src/main/java/dev/jcnn/spark/SparkTrain.java",
                6);
    }
}
