package dev.jcnn.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a document's Java example true: every line of code in its ```java block (comments
 * and blank lines aside) must stand in a program that the build compiles and a test runs.
 */
public final class DocExample {

    private DocExample() {
    }

    /**
     * Asserts that the first ```java block after {@code heading} (from the start when null) of
     * {@code doc} has more than {@code minLines} lines of code and that each is in {@code program};
     * paths are relative to the repository root.
     */
    public static void assertInProgram(String doc, String heading, String program, int minLines) throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String text = Files.readString(root.resolve(doc));
        String code = Files.readString(root.resolve(program));
        int from = heading == null ? 0 : text.indexOf(heading);
        assertTrue(from >= 0, doc + " has a section " + heading);
        int start = text.indexOf("```java", from);
        assertTrue(start >= 0, doc + " has a ```java block" + (heading == null ? "" : " under " + heading));
        String block = text.substring(start + 7, text.indexOf("```", start + 7));
        List<String> missing = new ArrayList<>();
        int lines = 0;
        for (String line : block.split("\n")) {
            String stripped = line.replaceAll("//.*$", "").strip();
            if (stripped.isEmpty()) {
                continue;
            }
            lines++;
            if (!code.contains(stripped)) {
                missing.add(stripped);
            }
        }
        assertTrue(lines > minLines, "the example in " + doc + " has " + lines + " lines of code");
        assertTrue(missing.isEmpty(), doc + " lines not in " + program + ": " + missing);
    }
}
