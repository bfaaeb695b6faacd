package dev.jcnn.samples.mnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Finds the Fashion-MNIST files (the MNIST IDX format: 28×28 grey images of clothes, ten
 * classes) and checks them. No copy can be downloaded here, so it looks in folders only: the
 * one given by the flag, else {@code $JCNN_FASHION_MNIST}, else Debian's package
 * {@code dataset-fashion-mnist} (installed into {@link #DEBIAN_DIR}). Each file may be the
 * gzipped copy (checked against the published SHA-256 of the .gz) or the raw IDX file, or a
 * re-compressed copy of it (checked against the length and SHA-256 of the decompressed bytes).
 */
public final class FashionMnist {

    private static final Logger LOG = LogManager.getLogger(FashionMnist.class);

    /** Where Debian's package {@code dataset-fashion-mnist} installs the four .gz files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Environment variable naming a folder that holds the files. */
    public static final String DATA_ENV = "JCNN_FASHION_MNIST";

    /** The ten class names, by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /**
     * One file: its name (without .gz), the SHA-256 of the published .gz, and the length and
     * SHA-256 of its decompressed bytes.
     */
    public record Expected(String name, String gzipSha256, ExpectedFile raw) {
    }

    /** The four Fashion-MNIST files (the names are MNIST's). */
    public static final List<Expected> FILES = List.of(
            new Expected("train-images-idx3-ubyte", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
                    new ExpectedFile("train-images-idx3-ubyte", 47_040_016L,
                            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888")),
            new Expected("train-labels-idx1-ubyte", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
                    new ExpectedFile("train-labels-idx1-ubyte", 60_008L,
                            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9")),
            new Expected("t10k-images-idx3-ubyte", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
                    new ExpectedFile("t10k-images-idx3-ubyte", 7_840_016L,
                            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b")),
            new Expected("t10k-labels-idx1-ubyte", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
                    new ExpectedFile("t10k-labels-idx1-ubyte", 10_008L,
                            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")));

    private final List<Path> folders;
    private final List<Expected> files;

    /**
     * @param folders the folders to look in, in order; the first that holds all four files is used
     * @param files   the files and their checksums, normally {@link #FILES}
     */
    public FashionMnist(List<Path> folders, List<Expected> files) {
        if (folders.isEmpty()) {
            throw new IllegalArgumentException("no folder to look for Fashion-MNIST in");
        }
        this.folders = List.copyOf(folders);
        this.files = List.copyOf(files);
    }

    /**
     * The folders to look in: only the flag's when given, else {@code $JCNN_FASHION_MNIST}'s
     * when set, else Debian's.
     */
    public static FashionMnist configured(Path dataDirFlag, Map<String, String> env) {
        if (dataDirFlag != null) {
            return new FashionMnist(List.of(dataDirFlag), FILES);
        }
        String fromEnv = env.get(DATA_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new FashionMnist(List.of(Path.of(fromEnv)), FILES);
        }
        return new FashionMnist(List.of(DEBIAN_DIR), FILES);
    }

    /** The folders looked in, in order. */
    public List<Path> folders() {
        return folders;
    }

    /** The first folder that holds every file, without checking them; null when none does. */
    public Path find() {
        for (Path dir : folders) {
            if (files.stream().allMatch(f -> present(dir, f.name()) != null)) {
                return dir;
            }
        }
        return null;
    }

    /**
     * The folder that holds the four files, each checked.
     *
     * @throws FetchException when no folder holds them all (the message says where to put them)
     *                        or when a file there is not the expected one
     */
    public Path locate() throws IOException {
        Path dir = find();
        if (dir == null) {
            throw new FetchException(whereToPutThem());
        }
        for (Expected f : files) {
            verify(present(dir, f.name()), f);
        }
        LOG.debug("Fashion-MNIST files in {} are present and checked", dir);
        return dir;
    }

    /** Accepts the published .gz as it is, or any file whose decompressed bytes are the right ones. */
    static void verify(Path file, Expected expected) throws IOException {
        String fileSha = Checksums.fileSha256(file);
        if (fileSha.equals(expected.gzipSha256())) {
            return;
        }
        Checksums.Digest d = Checksums.digest(file);
        ExpectedFile raw = expected.raw();
        if (d.bytes() != raw.bytes() || !d.sha256().equals(raw.sha256())) {
            throw new FetchException(file + ": not the expected Fashion-MNIST " + expected.name() + ": SHA-256 "
                    + fileSha + " (" + d.bytes() + " bytes, SHA-256 " + d.sha256() + " decompressed), expected the"
                    + " .gz's SHA-256 " + expected.gzipSha256() + " or " + raw.bytes() + " bytes of SHA-256 "
                    + raw.sha256() + " decompressed. Replace it with the right file.");
        }
    }

    private static Path present(Path dir, String name) {
        Path raw = dir.resolve(name);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = dir.resolve(name + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    private String whereToPutThem() {
        StringBuilder b = new StringBuilder("Fashion-MNIST not found: no folder holds all four files (none can be"
                + " downloaded here). Looked in:\n");
        for (Path dir : folders) {
            List<String> missing = new ArrayList<>();
            for (Expected f : files) {
                if (present(dir, f.name()) == null) {
                    missing.add(f.name());
                }
            }
            b.append("  - ").append(dir).append(Files.isDirectory(dir) ? ": lacks " + String.join(", ", missing)
                    : ": no such folder").append('\n');
        }
        b.append("Install Debian's package dataset-fashion-mnist (apt-get install dataset-fashion-mnist puts them into ")
                .append(DEBIAN_DIR).append("), or put these files (gzipped, or raw without the .gz) into a folder and")
                .append(" point --data-dir or ").append(DATA_ENV).append(" at it:\n");
        for (Expected f : files) {
            b.append(String.format("  %-27s sha256 %s (or %,d bytes raw, sha256 %s)%n", f.name() + ".gz",
                    f.gzipSha256(), f.raw().bytes(), f.raw().sha256()));
        }
        return b.toString().stripTrailing();
    }
}
