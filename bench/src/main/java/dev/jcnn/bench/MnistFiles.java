package dev.jcnn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MNIST training samples for the benchmarks, from the raw IDX files, pixels scaled to [0, 1]
 * as the PyTorch peer scales them. Only what a benchmark needs; the library's own reader
 * checks more. The file's bytes are kept and only the samples a benchmark takes become
 * floats, so the heap holds little besides the training data itself.
 */
final class MnistFiles {

    static final int PIXELS = 28 * 28;
    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;

    private final byte[] images;
    private final byte[] labels;

    private MnistFiles(byte[] images, byte[] labels) {
        this.images = images;
        this.labels = labels;
    }

    static MnistFiles train(Path dir) throws IOException {
        Path imageFile = dir.resolve("train-images-idx3-ubyte");
        Path labelFile = dir.resolve("train-labels-idx1-ubyte");
        byte[] img = Files.readAllBytes(imageFile);
        byte[] lab = Files.readAllBytes(labelFile);
        expect(intAt(img, 0), 0x803, imageFile + ": magic number");
        expect(intAt(lab, 0), 0x801, labelFile + ": magic number");
        expect(intAt(img, 8) * intAt(img, 12), PIXELS, imageFile + ": pixels per image");
        expect(intAt(lab, 4), intAt(img, 4), labelFile + ": number of labels");
        expect(img.length, IMAGES_HEADER + intAt(img, 4) * PIXELS, imageFile + ": length");
        return new MnistFiles(img, lab);
    }

    private static int intAt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static void expect(int got, int expected, String what) {
        if (got != expected) {
            throw new IllegalArgumentException(what + ": expected " + expected + ", got " + got);
        }
    }

    int size() {
        return labels.length - LABELS_HEADER;
    }

    /** Samples [from, from + count), wrapping around the end, as images (count × 784) and labels. */
    Slice slice(int from, int count) {
        float[] x = new float[count * PIXELS];
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            int s = (from + i) % size();
            for (int p = 0; p < PIXELS; p++) {
                x[i * PIXELS + p] = (images[IMAGES_HEADER + s * PIXELS + p] & 0xff) / 255f;
            }
            y[i] = labels[LABELS_HEADER + s];
        }
        return new Slice(x, y);
    }

    /** Training samples: count × 784 pixels and count labels. */
    record Slice(float[] images, int[] labels) {
    }
}
