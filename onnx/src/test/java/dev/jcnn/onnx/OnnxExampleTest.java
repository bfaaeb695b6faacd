package dev.jcnn.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.testing.DocExample;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/onnx.md's Java example is OnnxExample's code, line for line, and the program runs and agrees with ONNX Runtime. */
class OnnxExampleTest {

    @Test
    void everyLineOfTheDocsExampleIsInTheProgram() throws Exception {
        DocExample.assertInProgram("docs/onnx.md", null, "onnx/src/test/java/dev/jcnn/onnx/OnnxExample.java", 10);
    }

    @Test
    void theExampleWritesTheFileAndTheEnginesAgree(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lenet5.onnx");
        double worst = OnnxExample.run(file);
        assertTrue(Files.size(file) > 61_706 * 4, "the file holds LeNet-5's 61,706 weights");
        assertTrue(worst <= 1e-5 + 1e-4, "largest difference " + worst);
    }
}
