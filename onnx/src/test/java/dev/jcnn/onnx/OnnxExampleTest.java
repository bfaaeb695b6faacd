package dev.jcnn.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/onnx.md's Java example is OnnxExample's code, line for line, and the program runs and agrees with ONNX Runtime. */
class OnnxExampleTest {

    @Test
    void everyLineOfTheDocsExampleIsInTheProgram() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String doc = Files.readString(root.resolve("docs/onnx.md"));
        String program = Files.readString(root.resolve("onnx/src/test/java/dev/jcnn/onnx/OnnxExample.java"));
        int start = doc.indexOf("```java");
        assertTrue(start >= 0, "docs/onnx.md has a ```java block");
        String block = doc.substring(start + 7, doc.indexOf("```", start + 7));
        List<String> missing = new ArrayList<>();
        int lines = 0;
        for (String line : block.split("\n")) {
            String code = line.replaceAll("//.*$", "").strip();
            if (code.isEmpty()) {
                continue;
            }
            lines++;
            if (!program.contains(code)) {
                missing.add(code);
            }
        }
        assertTrue(lines > 10, "the docs example has " + lines + " lines of code");
        assertTrue(missing.isEmpty(), "docs/onnx.md lines not in OnnxExample.java: " + missing);
    }

    @Test
    void theExampleWritesTheFileAndTheEnginesAgree(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lenet5.onnx");
        double worst = OnnxExample.run(file);
        assertTrue(Files.size(file) > 61_706 * 4, "the file holds LeNet-5's 61,706 weights");
        assertTrue(worst <= 1e-5 + 1e-4, "largest difference " + worst);
    }
}
