package dev.jcnn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/onnx.md's import example is OnnxImportExample's code, line for line, and the program runs. */
class OnnxImportExampleTest {

    @Test
    void everyLineOfTheImportExampleIsInTheProgram() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String doc = Files.readString(root.resolve("docs/onnx.md"));
        String program = Files.readString(root.resolve("onnx/src/test/java/dev/jcnn/onnx/OnnxImportExample.java"));
        int section = doc.indexOf("## Import");
        assertTrue(section >= 0, "docs/onnx.md has an Import section");
        int start = doc.indexOf("```java", section);
        assertTrue(start >= 0, "the Import section has a ```java block");
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
        assertTrue(lines > 8, "the import example has " + lines + " lines of code");
        assertTrue(missing.isEmpty(), "docs/onnx.md lines not in OnnxImportExample.java: " + missing);
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
