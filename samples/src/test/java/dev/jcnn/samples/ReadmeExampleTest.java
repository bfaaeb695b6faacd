package dev.jcnn.samples;


import dev.jcnn.testing.DocExample;
import org.junit.jupiter.api.Test;

/** README.md's Java example is ReadmeExample's code, line for line, so the README shows a program that compiles. */
class ReadmeExampleTest {

    @Test
    void everyLineOfTheReadmeExampleIsInTheProgram() throws Exception {
        DocExample.assertInProgram("README.md", null, "samples/src/main/java/dev/jcnn/samples/ReadmeExample.java", 10);
    }
}
