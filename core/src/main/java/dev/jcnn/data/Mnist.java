package dev.jcnn.data;

import dev.jcnn.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * MNIST from its four IDX files in one folder, raw or gzipped: 60,000 training and 10,000
 * test images of 28×28 grey pixels, labels 0–9.
 *
 * @param train the training images
 * @param test  the test images
 */
public record Mnist(Dataset train, Dataset test) {

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** The four file names, without the .gz that the compressed copies add. */
    public static final String[] FILES = {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS};

    public static final int ROWS = 28;
    public static final int COLUMNS = 28;
    public static final int CLASSES = 10;

    /** Loads the four files from {@code dir}; each may be raw or end in .gz. */
    public static Mnist load(Path dir) throws IOException {
        return new Mnist(read(locate(dir, TRAIN_IMAGES), locate(dir, TRAIN_LABELS)),
                read(locate(dir, TEST_IMAGES), locate(dir, TEST_LABELS)));
    }

    /**
     * The training images of the folder, read from their file one image at a time as they are
     * asked for ({@link IdxImages}): only the labels are held in memory. Close it when done.
     */
    public static IdxImages openTrain(Path dir) throws IOException {
        return open(locate(dir, TRAIN_IMAGES), locate(dir, TRAIN_LABELS));
    }

    /** The test images of the folder, read as {@link #openTrain} reads the training images. */
    public static IdxImages openTest(Path dir) throws IOException {
        return open(locate(dir, TEST_IMAGES), locate(dir, TEST_LABELS));
    }

    /** One image file and its label file, streamed, with {@link #read}'s checks. */
    public static IdxImages open(Path imageFile, Path labelFile) throws IOException {
        IdxImages images = IdxImages.open(imageFile, labelFile, CLASSES);
        Shape s = images.imageShape();
        if (s.dim(1) != ROWS || s.dim(2) != COLUMNS) {
            images.close();
            throw new IdxFormatException(imageFile, 8, "images are " + s.dim(1) + "×" + s.dim(2)
                    + ", expected MNIST's " + ROWS + "×" + COLUMNS);
        }
        return images;
    }

    /** The file {@code name} or {@code name.gz} in {@code dir}, whichever is there (raw first). */
    public static Path locate(Path dir, String name) throws NoSuchFileException {
        Path raw = dir.resolve(name);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new NoSuchFileException(raw.toString(), null, "neither " + raw + " nor " + gz + " exists");
    }

    /**
     * Reads one image file and its label file, checking that the images are 28×28, that the
     * counts agree and that every label is a digit.
     */
    public static ByteImageDataset read(Path imageFile, Path labelFile) throws IOException {
        IdxArray images = IdxReader.read(imageFile, IdxReader.IMAGES_MAGIC);
        int[] d = images.dims();
        if (d[1] != ROWS || d[2] != COLUMNS) {
            throw new IdxFormatException(imageFile, 8, "images are " + d[1] + "×" + d[2]
                    + ", expected MNIST's " + ROWS + "×" + COLUMNS);
        }
        IdxArray labelArray = IdxReader.read(labelFile, IdxReader.LABELS_MAGIC);
        int n = labelArray.dims()[0];
        if (n != d[0]) {
            throw new IdxFormatException(labelFile, 4, "holds " + n + " labels, but " + imageFile + " holds "
                    + d[0] + " images; expected one label per image");
        }
        int[] labels = new int[n];
        byte[] raw = labelArray.data();
        for (int i = 0; i < n; i++) {
            labels[i] = raw[i] & 0xFF;
            if (labels[i] >= CLASSES) {
                throw new IdxFormatException(labelFile, labelArray.headerBytes() + (long) i, "label " + labels[i]
                        + " of image " + i + " is outside 0.." + (CLASSES - 1));
            }
        }
        return new ByteImageDataset(Shape.of(1, ROWS, COLUMNS), images.data(), labels, CLASSES);
    }
}
