package dev.jcnn.samples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.jcnn.io.TensorFile;
import java.io.IOException;
import java.nio.file.Path;

/** Writes the figures of train, evaluate and bench as indented JSON, atomically. */
final class JsonOutput {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonOutput() {
    }

    static Path write(Path file, Object value) throws IOException {
        TensorFile.writeAtomically(file, MAPPER.writeValueAsBytes(value));
        return file;
    }

    /** NaN (no such figure) becomes JSON null. */
    static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
