package dev.jcnn.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10, the binary version, from its folder {@code cifar-10-batches-bin}: 50,000 training
 * images in {@code data_batch_1.bin} … {@code data_batch_5.bin} and 10,000 test images in
 * {@code test_batch.bin}, 32×32 RGB, ten classes named in {@code batches.meta.txt}. Both sets
 * are streamed from disk ({@link CifarImages}); close it when done.
 *
 * @param train      the training images
 * @param test       the test images
 * @param classNames the ten class names, by label
 */
public record Cifar10(CifarImages train, CifarImages test, List<String> classNames) implements AutoCloseable {

    /** The folder the archive unpacks to. */
    public static final String FOLDER = "cifar-10-batches-bin";
    /** The five training files, in order. */
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    /** The test file. */
    public static final String TEST_FILE = "test_batch.bin";
    /** The class names, one a line. */
    public static final String META_FILE = "batches.meta.txt";
    /** CIFAR-10's class names, by label, as its batches.meta.txt gives them. */
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    /** The longest batches.meta.txt read: 64 KiB (the real one is 61 bytes). */
    public static final long MAX_META_BYTES = 1 << 16;

    /** Every file the folder must hold, the training files first. */
    public static List<String> files() {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.add(TEST_FILE);
        all.add(META_FILE);
        return List.copyOf(all);
    }

    /**
     * Opens the folder {@code cifar-10-batches-bin}, or a folder that holds it.
     *
     * @throws NoSuchFileException  naming the first missing file
     * @throws CifarFormatException naming the file, offset and value of what does not fit
     */
    public static Cifar10 open(Path dir) throws IOException {
        Path folder = Files.isDirectory(dir.resolve(FOLDER)) ? dir.resolve(FOLDER) : dir;
        List<Path> train = new ArrayList<>();
        for (String name : TRAIN_FILES) {
            train.add(existing(folder, name));
        }
        Path test = existing(folder, TEST_FILE);
        List<String> names = classNames(existing(folder, META_FILE));
        CifarImages trainImages = CifarImages.open(train);
        try {
            return new Cifar10(trainImages, CifarImages.open(List.of(test)), names);
        } catch (IOException | RuntimeException e) {
            trainImages.close();
            throw e;
        }
    }

    private static Path existing(Path folder, String name) throws NoSuchFileException {
        Path p = folder.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, "no such file; the CIFAR-10 binary folder holds "
                    + String.join(", ", files()));
        }
        return p;
    }

    /** The names in batches.meta.txt: ten non-blank lines (blank lines are skipped). */
    static List<String> classNames(Path meta) throws IOException {
        long size = Files.size(meta);
        if (size > MAX_META_BYTES) {
            throw new CifarFormatException(meta, -1, "the file is " + size + " bytes, more than the limit of "
                    + MAX_META_BYTES + " for ten class names");
        }
        List<String> names = new ArrayList<>();
        for (String line : new String(Files.readAllBytes(meta), StandardCharsets.UTF_8).split("\r?\n")) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        if (names.size() != CifarImages.CLASSES) {
            throw new CifarFormatException(meta, -1, "holds " + names.size() + " class names, expected "
                    + CifarImages.CLASSES + " (one a line)");
        }
        return List.copyOf(names);
    }

    @Override
    public void close() throws IOException {
        try {
            train.close();
        } finally {
            test.close();
        }
    }
}
