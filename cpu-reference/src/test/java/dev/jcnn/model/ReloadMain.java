package dev.jcnn.model;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The second JVM of {@link ModelFileTest}: knows no model, only a file. Arguments: the model
 * file, a file of float32 inputs (big-endian), and where to write the predictions the same way,
 * followed by the class names one a line in {@code OUTPUT.classes}.
 */
public final class ReloadMain {

    private ReloadMain() {
    }

    public static void main(String[] args) throws IOException {
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact());
                Model model = Model.load(Path.of(args[0]), cpu)) {
            float[] x = readFloats(Path.of(args[1]));
            float[] y = model.predict(x, 7);
            Files.write(Path.of(args[2]), toBytes(y));
            Files.write(Path.of(args[2] + ".classes"), model.classNames());
        }
    }

    static float[] readFloats(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p));
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }

    static byte[] toBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4);
        b.asFloatBuffer().put(v);
        return b.array();
    }
}
