package dev.jcnn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.testing.DocExample;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/onnx.md's import example is OnnxImportExample's code, line for line, and the program runs. */
class OnnxImportExampleTest {

    @Test
    void everyLineOfTheImportExampleIsInTheProgram() throws Exception {
        DocExample.assertInProgram("docs/onnx.md", "## Import", "onnx/src/test/java/dev/jcnn/onnx/OnnxImportExample.java", 8);
    }

    @Test
    void theExampleImportsPyTorchsLeNetTrainsAndExportsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lenet5.onnx");
        try (InputStream in = OnnxImportExampleTest.class.getResourceAsStream("/pytorch/lenet5.onnx")) {
            Files.copy(in, file);
        }
        Path tuned = dir.resolve("tuned.onnx");
        float[] p = OnnxImportExample.run(file, tuned);
        assertEquals(20, p.length);
        double sum = 0;
        for (int k = 0; k < 10; k++) {
            sum += p[k];
        }
        assertEquals(1, sum, 1e-5, "softmax probabilities of sample 0 sum to 1");
        assertTrue(Files.size(tuned) > 61_706 * 4, "the tuned file holds LeNet-5's weights");
    }
}
