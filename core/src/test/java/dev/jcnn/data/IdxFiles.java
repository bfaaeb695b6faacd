package dev.jcnn.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files for the tests. */
final class IdxFiles {

    private IdxFiles() {
    }

    /** The bytes of an IDX file with this magic, these dimensions and data. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    /** n images of rows×cols whose pixel p of image i is (i + p) mod 256. */
    static byte[] images(int n, int rows, int cols) {
        byte[] data = new byte[n * rows * cols];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < rows * cols; p++) {
                data[i * rows * cols + p] = (byte) (i + p);
            }
        }
        return idx(IdxReader.IMAGES_MAGIC, new int[] {n, rows, cols}, data);
    }

    /** n labels i mod 10. */
    static byte[] labels(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i % 10);
        }
        return idx(IdxReader.LABELS_MAGIC, new int[] {n}, data);
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        return file;
    }

    static Path writeGz(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes);
        }
        return file;
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(b)) {
            out.write(bytes);
        }
        return b.toByteArray();
    }
}
