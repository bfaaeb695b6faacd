package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.testing.DocExample;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/model-files.md's example is ModelFilesExample's code, line for line, and the program runs and learns. */
class ModelFilesExampleTest {

    @Test
    void everyLineOfTheExampleIsInTheProgram() throws Exception {
        DocExample.assertInProgram("docs/model-files.md", null, "cpu-reference/src/test/java/dev/jcnn/model/ModelFilesExample.java", 12);
    }

    @Test
    void theReloadedModelTellsTheBarsApart(@TempDir Path dir) throws Exception {
        int n = 96;
        float[] x = new float[n * 144];
        int[] labels = new int[n];
        Random r = new Random(3);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            int at = 2 + r.nextInt(8);
            for (int k = 0; k < 12; k++) {
                int p = labels[i] == 0 ? at * 12 + k : k * 12 + at;
                x[i * 144 + p] = 200 + r.nextInt(55);   // raw 0..255 pixels: the normalisation makes them trainable
            }
        }
        int[] predicted = ModelFilesExample.run(x, labels, dir.resolve("bars.jcnn"));
        int right = 0;
        for (int i = 0; i < n; i++) {
            right += predicted[i] == labels[i] ? 1 : 0;
        }
        assertTrue(right > 0.9 * n, right + " of " + n + " right");
    }
}
