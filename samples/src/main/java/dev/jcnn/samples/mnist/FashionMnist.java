package dev.jcnn.samples.mnist;

import dev.jcnn.samples.fetch.Mirrors;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Finds the Fashion-MNIST files (the MNIST IDX format: 28×28 grey images of clothes, ten
 * classes), fetching them when no folder holds them, and checks them. It looks in the folder
 * given by the flag only (never downloading into it), else in {@code $JCNN_FASHION_MNIST},
 * else in Debian's package {@code dataset-fashion-mnist}'s folder ({@link #DEBIAN_DIR}) and
 * then {@code ~/.cache/jcnn/fashion-mnist}. When none holds the four files, the missing ones
 * are downloaded from the mirrors into the cache folder (the environment's, else
 * {@code ~/.cache/jcnn/fashion-mnist}), each checked before it is moved into place. Each file
 * may be the gzipped copy (checked against the published SHA-256 of the .gz) or the raw IDX
 * file, or a re-compressed copy of it (checked against the length and SHA-256 of the
 * decompressed bytes).
 */
public final class FashionMnist {

    private static final Logger LOG = LogManager.getLogger(FashionMnist.class);

    /** Where Debian's package {@code dataset-fashion-mnist} installs the four .gz files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Environment variable naming a folder that holds the files, or where they are downloaded to. */
    public static final String DATA_ENV = "JCNN_FASHION_MNIST";
    /** Environment variable with the mirrors, separated by commas or spaces; empty for none. */
    public static final String MIRRORS_ENV = "JCNN_FASHION_MNIST_MIRRORS";
    /** Where Zalando publishes the four .gz files (the location the dataset's README links to). */
    public static final List<URI> DEFAULT_MIRRORS =
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"));

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
    private final Path cache;
    private final List<URI> mirrors;

    /**
     * Looks in folders only, never downloading.
     *
     * @param folders the folders to look in, in order; the first that holds all four files is used
     * @param files   the files and their checksums, normally {@link #FILES}
     */
    public FashionMnist(List<Path> folders, List<Expected> files) {
        this(folders, files, null, List.of());
    }

    /**
     * @param folders the folders to look in, in order; the first that holds all four files is used
     * @param files   the files and their checksums, normally {@link #FILES}
     * @param cache   where missing files are downloaded to (looked in after the folders); null never to download
     * @param mirrors base URLs of the .gz files, tried in order
     */
    public FashionMnist(List<Path> folders, List<Expected> files, Path cache, List<URI> mirrors) {
        List<Path> all = new ArrayList<>(folders);
        if (cache != null && !all.contains(cache)) {
            all.add(cache);
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no folder to look for Fashion-MNIST in");
        }
        this.folders = List.copyOf(all);
        this.files = List.copyOf(files);
        this.cache = cache;
        this.mirrors = List.copyOf(mirrors);
    }

    /** As {@link #configured(Path, List, Map)} with the mirrors from the environment or the defaults. */
    public static FashionMnist configured(Path dataDirFlag, Map<String, String> env) {
        return configured(dataDirFlag, List.of(), env);
    }

    /**
     * Only the flag's folder when given (looked in, never downloaded into); else
     * {@code $JCNN_FASHION_MNIST}'s when set, which is also where missing files are downloaded
     * to; else Debian's folder, then {@code ~/.cache/jcnn/fashion-mnist}, the download folder.
     * The mirrors: the flags, else {@code $JCNN_FASHION_MNIST_MIRRORS}, else {@link #DEFAULT_MIRRORS}.
     */
    public static FashionMnist configured(Path dataDirFlag, List<URI> mirrorFlags, Map<String, String> env) {
        if (dataDirFlag != null) {
            return new FashionMnist(List.of(dataDirFlag), FILES);
        }
        List<URI> mirrors = Mirrors.configured(mirrorFlags, env, MIRRORS_ENV, DEFAULT_MIRRORS);
        String fromEnv = env.get(DATA_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new FashionMnist(List.of(), FILES, Path.of(fromEnv), mirrors);
        }
        return new FashionMnist(List.of(DEBIAN_DIR), FILES, defaultCache(), mirrors);
    }

    /** {@code ~/.cache/jcnn/fashion-mnist}. */
    public static Path defaultCache() {
        return Path.of(System.getProperty("user.home"), ".cache", "jcnn", "fashion-mnist");
    }

    /** The folders looked in, in order (the download folder last). */
    public List<Path> folders() {
        return folders;
    }

    /** Where missing files are downloaded to; null when they never are. */
    public Path cache() {
        return cache;
    }

    /** The mirrors tried, in order. */
    public List<URI> mirrors() {
        return mirrors;
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
     * The folder that holds the four files, each checked; downloads the missing ones into the
     * cache folder when no folder holds them all.
     *
     * @throws FetchException when no folder holds them all and no mirror provided them (the
     *                        message says what was tried and where to put them) or when a file
     *                        there is not the expected one
     */
    public Path locate() throws IOException {
        Path dir = find();
        if (dir == null) {
            if (cache == null || mirrors.isEmpty()) {
                throw new FetchException(whereToPutThem(List.of()));
            }
            dir = download();
        }
        for (Expected f : files) {
            checkPresent(present(dir, f.name()), f);
        }
        LOG.debug("Fashion-MNIST files in {} are present and checked", dir);
        return dir;
    }

    /** Fetches the files the cache folder lacks; returns it, or throws saying what was tried. */
    private Path download() throws IOException {
        Files.createDirectories(cache);
        List<Expected> missing = new ArrayList<>();
        for (Expected f : files) {
            Path present = present(cache, f.name());
            if (present == null) {
                missing.add(f);
            } else {
                checkPresent(present, f);
            }
        }
        List<String> failures = new ArrayList<>();
        Path work = Files.createTempDirectory(cache, ".fetch-");
        List<Expected> left;
        try {
            left = Mirrors.fetch(mirrors, missing, f -> f.name() + ".gz", work, (f, tmp, url) -> {
                verify(tmp, f, url.toString());
                Path target = cache.resolve(f.name() + ".gz");
                Mirrors.moveIntoPlace(tmp, target, true);
                LOG.info("Fashion-MNIST file {} checked and saved", target);
            }, failures);
        } finally {
            Mirrors.deleteTree(work);
        }
        if (!left.isEmpty()) {
            throw new FetchException(whereToPutThem(failures));
        }
        return cache;
    }

    private static void checkPresent(Path file, Expected f) throws IOException {
        try {
            verify(file, f, file.toString());
        } catch (FetchException e) {
            throw new FetchException(e.getMessage() + ". Replace it with the right file (or delete it to fetch it"
                    + " again into the download folder).", e);
        }
    }

    /**
     * Accepts the published .gz as it is, or any file whose decompressed bytes are the right ones.
     *
     * @param origin where the file came from, for the message (a URL, or the file itself)
     */
    static void verify(Path file, Expected expected, String origin) throws IOException {
        String fileSha = Checksums.fileSha256(file);
        if (fileSha.equals(expected.gzipSha256())) {
            return;
        }
        Checksums.Digest d = Checksums.digest(file);
        ExpectedFile raw = expected.raw();
        if (d.bytes() != raw.bytes() || !d.sha256().equals(raw.sha256())) {
            throw new FetchException(origin + ": not the expected Fashion-MNIST " + expected.name() + ": SHA-256 "
                    + fileSha + " (" + d.bytes() + " bytes, SHA-256 " + d.sha256() + " decompressed), expected the"
                    + " .gz's SHA-256 " + expected.gzipSha256() + " or " + raw.bytes() + " bytes of SHA-256 "
                    + raw.sha256() + " decompressed");
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

    private String whereToPutThem(List<String> failures) {
        StringBuilder b = new StringBuilder("Fashion-MNIST not found: no folder holds all four files");
        if (cache == null) {
            b.append(" (a --data-dir folder is only looked in, never downloaded into)");
        } else if (mirrors.isEmpty()) {
            b.append(" and no mirror is configured (--mirror or ").append(MIRRORS_ENV).append(" is empty)");
        } else {
            b.append(" and no mirror provided them for ").append(cache);
        }
        b.append(". Looked in:\n");
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
        if (!failures.isEmpty()) {
            b.append("Tried:\n");
            for (String f : failures) {
                b.append("  - ").append(f).append('\n');
            }
        }
        b.append("Install Debian's package dataset-fashion-mnist (apt-get install dataset-fashion-mnist puts them into ")
                .append(DEBIAN_DIR).append("), or put these files (gzipped, or raw without the .gz) into a folder and")
                .append(" point --data-dir or ").append(DATA_ENV).append(" at it, or give mirrors that have them (--mirror or ")
                .append(MIRRORS_ENV).append("):\n");
        for (Expected f : files) {
            b.append(String.format("  %-27s sha256 %s (or %,d bytes raw, sha256 %s)%n", f.name() + ".gz",
                    f.gzipSha256(), f.raw().bytes(), f.raw().sha256()));
        }
        return b.toString().stripTrailing();
    }
}
