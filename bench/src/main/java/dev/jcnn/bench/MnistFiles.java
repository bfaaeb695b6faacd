package dev.jcnn.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The MNIST training set for the benchmarks: the raw IDX files, pixels scaled to [0, 1] as
 * the PyTorch peer scales them. Only what a benchmark needs; the library's own reader checks more.
 *
 * @param images 60,000 × 784 values, row-major
 * @param labels 60,000 digits
 */
record MnistFiles(float[] images, int[] labels) {

    static final int PIXELS = 28 * 28;

    static MnistFiles train(Path dir) throws IOException {
        ByteBuffer img = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("train-images-idx3-ubyte")));
        ByteBuffer lab = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("train-labels-idx1-ubyte")));
        expect(img.getInt(), 0x803, dir + "/train-images-idx3-ubyte: magic");
        expect(lab.getInt(), 0x801, dir + "/train-labels-idx1-ubyte: magic");
        int n = img.getInt();
        expect(img.getInt() * img.getInt(), PIXELS, "pixels per image");
        expect(lab.getInt(), n, "labels");
        float[] x = new float[n * PIXELS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (img.get() & 0xff) / 255f;
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = lab.get();
        }
        return new MnistFiles(x, y);
    }

    private static void expect(int got, int expected, String what) {
        if (got != expected) {
            throw new IllegalArgumentException(what + ": expected " + expected + ", got " + got);
        }
    }

    int size() {
        return labels.length;
    }

    /** Samples [from, from + count) wrapped around the end, as a new pair of arrays. */
    MnistFiles slice(int from, int count) {
        float[] x = new float[count * PIXELS];
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            int s = (from + i) % size();
            System.arraycopy(images, s * PIXELS, x, i * PIXELS, PIXELS);
            y[i] = labels[s];
        }
        return new MnistFiles(x, y);
    }
}
