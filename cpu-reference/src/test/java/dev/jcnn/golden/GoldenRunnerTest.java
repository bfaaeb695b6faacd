package dev.jcnn.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Backend;
import dev.jcnn.cpu.CpuBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner never passes a case it did not check: unknown ops, parameters and outputs fail, and so do wrong values. */
class GoldenRunnerTest {

    private static final Backend CPU = new CpuBackend();

    /** relu of [-1, 2]: y = [0, 2], dx = dy·[0, 1]. */
    private static final String RELU = """
            {"name": "relu_tiny", "op": "%s", "params": %s, "rtol": 1e-4, "atol": 1e-5,
             "inputs": {"x": {"shape": [1, 2], "data": [-1.0, 2.0]}, "dy": {"shape": [1, 2], "data": [0.5, 0.25]}},
             "outputs": {%s}}
            """;

    private static final String GOOD_OUTPUTS = "\"y\": {\"shape\": [1, 2], \"data\": [0.0, 2.0]},"
            + " \"dx\": {\"shape\": [1, 2], \"data\": [0.0, 0.25]}";

    @AfterAll
    static void close() {
        CPU.close();
    }

    private static GoldenCase parse(String op, String params, String outputs) throws IOException {
        String json = String.format(RELU, op, params, outputs);
        return GoldenCase.parse("relu_tiny.json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertFailsMentioning(GoldenCase c, String... fragments) {
        AssertionError e = assertThrows(AssertionError.class, () -> GoldenRunner.run(CPU, c));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message \"" + e.getMessage() + "\" does not mention " + f);
        }
    }

    @Test
    void aCorrectCasePasses() throws IOException {
        GoldenRunner.run(CPU, parse("relu", "{}", GOOD_OUTPUTS));
    }

    @Test
    void unknownOpFailsWithItsName() throws IOException {
        assertFailsMentioning(parse("frobnicate", "{}", GOOD_OUTPUTS), "relu_tiny.json", "unknown golden op 'frobnicate'");
    }

    @Test
    void unknownParameterFails() throws IOException {
        assertFailsMentioning(parse("relu", "{\"inplace\": true}", GOOD_OUTPUTS), "parameter 'inplace'");
    }

    @Test
    void anOutputTheOpDoesNotComputeFails() throws IOException {
        assertFailsMentioning(parse("relu", "{}", GOOD_OUTPUTS + ", \"dalpha\": {\"shape\": [1], \"data\": [0.0]}"),
                "not 'dalpha'");
    }

    @Test
    void aWrongValueFailsWithIndexAndBothValues() throws IOException {
        String wrong = "\"y\": {\"shape\": [1, 2], \"data\": [0.0, 2.001]}, \"dx\": {\"shape\": [1, 2], \"data\": [0.0, 0.25]}";
        assertFailsMentioning(parse("relu", "{}", wrong), "relu_tiny.json y", "1 of 2 elements differ",
                "worst at index [0, 1]", "actual 2.0000000, expected 2.0010000");
    }

    @Test
    void aWrongShapeFails() throws IOException {
        String wrong = "\"y\": {\"shape\": [2, 1], \"data\": [0.0, 2.0]}, \"dx\": {\"shape\": [1, 2], \"data\": [0.0, 0.25]}";
        assertFailsMentioning(parse("relu", "{}", wrong), "computed shape (1, 2), expected (2, 1)");
    }

    @Test
    void aCaseWithoutOutputsFails() throws IOException {
        assertFailsMentioning(parse("relu", "{}", ""), "lists no outputs");
    }

    @Test
    void aFolderGivenByPropertyReplacesTheBuiltInCases(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("b_case.json"), String.format(RELU, "relu", "{}", GOOD_OUTPUTS));
        Files.writeString(dir.resolve("a_case.json"), String.format(RELU, "relu", "{}", GOOD_OUTPUTS));
        Files.writeString(dir.resolve("notes.txt"), "not a case");
        String before = System.getProperty(GoldenCases.DIRECTORY_PROPERTY);
        System.setProperty(GoldenCases.DIRECTORY_PROPERTY, dir.toString());
        try {
            List<GoldenCases.CaseFile> files = GoldenCases.all();
            assertEquals(List.of("a_case.json", "b_case.json"), files.stream().map(GoldenCases.CaseFile::fileName).toList());
            GoldenRunner.run(CPU, files.get(0).parse());
        } finally {
            if (before == null) {
                System.clearProperty(GoldenCases.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(GoldenCases.DIRECTORY_PROPERTY, before);
            }
        }
    }

    @Test
    void malformedFilesNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoldenCase.parse("bad.json",
                new ByteArrayInputStream("{\"name\": \"x\", \"op\": \"relu\", \"rtol\": 1e-4, \"atol\": 1e-5, \"inputs\": {},"
                        .concat(" \"outputs\": {\"y\": {\"shape\": [2, 2], \"data\": [1, 2, 3]}}}").getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("bad.json: outputs.y: shape [2,2] holds 4 values, data has 3"), e.getMessage());
    }
}
