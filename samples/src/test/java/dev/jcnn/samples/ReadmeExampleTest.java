package dev.jcnn.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README.md's Java example is ReadmeExample's code, line for line, so the README shows a program that compiles. */
class ReadmeExampleTest {

    @Test
    void everyLineOfTheReadmeExampleIsInTheProgram() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String readme = Files.readString(root.resolve("README.md"));
        String program = Files.readString(root.resolve("samples/src/main/java/dev/jcnn/samples/ReadmeExample.java"));
        int start = readme.indexOf("```java");
        assertTrue(start >= 0, "README.md has a ```java block");
        String block = readme.substring(start + 7, readme.indexOf("```", start + 7));
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
        assertTrue(lines > 10, "the README example has " + lines + " lines of code");
        assertTrue(missing.isEmpty(), "README lines not in ReadmeExample.java: " + missing);
    }
}
