package dev.jcnn.samples.fuzz;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Flatten;
import dev.jcnn.model.Sequential;
import dev.jcnn.samples.data.PngDigits;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.Adam;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/**
 * The fuzzing suite's seed files: real, small files of every format a reader takes, written
 * by the code that writes them in use. They are committed under
 * {@code src/test/resources/fuzz}; {@link #main} writes them anew into a folder.
 */
public final class FuzzCorpus {

    /** Weights of {@link #model()}, as {@code Model.save} writes them. */
    public static final String WEIGHTS = "tiny.jcnn";
    /** A checkpoint of {@link #model()} with Adam's state after two steps. */
    public static final String CHECKPOINT = "tiny-checkpoint.jcnn";
    /** Six 4×4 images and their labels, raw and gzipped. */
    public static final String IMAGES = "tiny-images.idx";
    public static final String LABELS = "tiny-labels.idx";
    public static final String IMAGES_GZ = "tiny-images.idx.gz";
    public static final String LABELS_GZ = "tiny-labels.idx.gz";
    /** A 28×28 grey digit and a 12×9 colour image with alpha. */
    public static final String DIGIT_PNG = "digit.png";
    public static final String COLOUR_PNG = "colour.png";

    static final int IMAGES_COUNT = 6;
    static final int CLASSES = 3;

    private FuzzCorpus() {
    }

    /** The model the weights and checkpoint seeds belong to: 4×4 inputs, 3 classes, 51 parameters. */
    public static Sequential model() {
        return new Sequential("tiny", Shape.of(1, 4, 4), new Flatten(), new Dense(CLASSES, Activation.SOFTMAX));
    }

    /** Writes every seed into {@code dir}. */
    public static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        float[] x = new float[IMAGES_COUNT * 16];
        int[] y = new int[IMAGES_COUNT];
        byte[] pixels = new byte[x.length];
        for (int i = 0; i < x.length; i++) {
            pixels[i] = (byte) (i * 37 % 256);
            x[i] = (pixels[i] & 0xFF) / 255f;
        }
        byte[] labels = new byte[IMAGES_COUNT];
        for (int i = 0; i < IMAGES_COUNT; i++) {
            y[i] = i % CLASSES;
            labels[i] = (byte) y[i];
        }
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact()); Sequential m = model()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Adam(0.01f));
            m.fit(x, y, FitOptions.of(1, 3));
            m.save(dir.resolve(WEIGHTS));
            m.saveCheckpoint(dir.resolve(CHECKPOINT), java.util.Map.of("epoch", "1"));
        }
        byte[] images = idx(0x00000803, new int[] {IMAGES_COUNT, 4, 4}, pixels);
        byte[] labelFile = idx(0x00000801, new int[] {IMAGES_COUNT}, labels);
        Files.write(dir.resolve(IMAGES), images);
        Files.write(dir.resolve(LABELS), labelFile);
        Files.write(dir.resolve(IMAGES_GZ), gzip(images));
        Files.write(dir.resolve(LABELS_GZ), gzip(labelFile));
        float[] digit = new float[28 * 28];
        for (int r = 6; r < 22; r++) {
            digit[r * 28 + 14] = 1f;
            digit[r * 28 + 13] = 0.5f;
        }
        ImageIO.write(PngDigits.toImage(digit, 28, 28), "png", dir.resolve(DIGIT_PNG).toFile());
        BufferedImage colour = new BufferedImage(12, 9, BufferedImage.TYPE_INT_ARGB);
        for (int r = 0; r < 9; r++) {
            for (int c = 0; c < 12; c++) {
                colour.setRGB(c, r, (r * 28) << 24 | (c * 20) << 16 | (r * 25) << 8 | 200);
            }
        }
        ImageIO.write(colour, "png", dir.resolve(COLOUR_PNG).toFile());
    }

    /** A committed seed's bytes. */
    public static byte[] seed(String name) {
        try (InputStream in = FuzzCorpus.class.getResourceAsStream("/fuzz/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no seed /fuzz/" + name + " on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length).putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** Writes the seeds into the folder given, e.g. {@code samples/src/test/resources/fuzz}. */
    public static void main(String[] args) throws IOException {
        write(Path.of(args.length > 0 ? args[0] : "samples/src/test/resources/fuzz"));
    }
}
