package dev.jcnn.samples.cifar;

import dev.jcnn.data.Cifar10;
import dev.jcnn.data.CifarImages;
import dev.jcnn.samples.fetch.Mirrors;
import dev.jcnn.samples.mnist.FetchException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Finds the CIFAR-10 binary folder ({@code cifar-10-batches-bin}), downloading it when it is
 * missing: in the flag's folder (only looked in, never downloaded into), else
 * {@code $JCNN_CIFAR10}'s, else {@code ~/.cache/jcnn/cifar10}; each may be the folder itself or
 * the one the archive was unpacked in. For the latter two, a missing folder is fetched: the
 * archive {@value #ARCHIVE} from each mirror in turn, checked against its MD5, unpacked strictly
 * (only plain files inside {@code cifar-10-batches-bin/}, each of the expected size) into a
 * temporary folder, which is then moved into place in one step. When that fails too, the
 * message says what was tried and where to put the files. The files' format is checked when
 * they are read ({@link dev.jcnn.data.CifarImages}).
 */
public final class CifarLocator {

    private static final Logger LOG = LogManager.getLogger(CifarLocator.class);

    /** Environment variable naming the folder. */
    public static final String DATA_ENV = "JCNN_CIFAR10";
    /** Environment variable with the mirrors, separated by commas or spaces; empty for none. */
    public static final String MIRRORS_ENV = "JCNN_CIFAR10_MIRRORS";
    /** The archive of the binary version, as it is published. */
    public static final String ARCHIVE = "cifar-10-binary.tar.gz";
    /** The dataset's home at the University of Toronto, which publishes {@value #ARCHIVE}. */
    public static final List<URI> DEFAULT_MIRRORS = List.of(URI.create("https://www.cs.toronto.edu/~kriz/"));
    /** The most bytes an archive's file other than the six batches may have (batches.meta.txt, readme.html). */
    public static final long MAX_OTHER_BYTES = 1L << 20;

    /**
     * What the archive must be: its MD5, and the exact length of each of the six batch files.
     *
     * @param md5        the MD5 of the .tar.gz, lower-case hex
     * @param batchBytes the length of each data_batch_N.bin and test_batch.bin
     */
    public record Archive(String md5, long batchBytes) {
        /** The published archive: 162 MB, six batches of 10,000 records of 3,073 bytes. */
        public static final Archive CIFAR10 = new Archive("c32a1d4ab5d03f1284b67883e8d87530",
                10_000L * CifarImages.RECORD_BYTES);
    }

    private final Path dir;
    private final List<URI> mirrors;
    private final Archive archive;
    private final boolean downloads;

    /** Looks in dir only, never downloading. */
    public CifarLocator(Path dir) {
        this(dir, List.of(), Archive.CIFAR10, false);
    }

    /**
     * Downloads into dir when the files are missing.
     *
     * @param mirrors base URLs of {@value #ARCHIVE}, tried in order
     * @param archive its checksum and the batches' length, normally {@link Archive#CIFAR10}
     */
    public CifarLocator(Path dir, List<URI> mirrors, Archive archive) {
        this(dir, mirrors, archive, true);
    }

    private CifarLocator(Path dir, List<URI> mirrors, Archive archive, boolean downloads) {
        this.dir = dir;
        this.mirrors = List.copyOf(mirrors);
        this.archive = archive;
        this.downloads = downloads;
    }

    /** As {@link #configured(Path, List, Map)} with the mirrors from the environment or the defaults. */
    public static CifarLocator configured(Path dataDirFlag, Map<String, String> env) {
        return configured(dataDirFlag, List.of(), env);
    }

    /**
     * The flag's folder (never downloaded into), else $JCNN_CIFAR10's, else ~/.cache/jcnn/cifar10;
     * the mirrors: the flags, else $JCNN_CIFAR10_MIRRORS, else {@link #DEFAULT_MIRRORS}.
     */
    public static CifarLocator configured(Path dataDirFlag, List<URI> mirrorFlags, Map<String, String> env) {
        if (dataDirFlag != null) {
            return new CifarLocator(dataDirFlag);
        }
        List<URI> mirrors = Mirrors.configured(mirrorFlags, env, MIRRORS_ENV, DEFAULT_MIRRORS);
        String fromEnv = env.get(DATA_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new CifarLocator(Path.of(fromEnv), mirrors, Archive.CIFAR10);
        }
        return new CifarLocator(Path.of(System.getProperty("user.home"), ".cache", "jcnn", "cifar10"), mirrors,
                Archive.CIFAR10);
    }

    /** The folder looked in. */
    public Path dir() {
        return dir;
    }

    /** The mirrors tried, in order (none when the folder is only looked in). */
    public List<URI> mirrors() {
        return downloads ? mirrors : List.of();
    }

    /**
     * The folder that holds every file: {@code dir} or {@code dir/cifar-10-batches-bin},
     * downloaded into the latter when missing (unless the folder is only looked in).
     *
     * @throws FetchException naming the missing files, what was tried and where to put them
     */
    public Path locate() throws IOException {
        Path nested = dir.resolve(Cifar10.FOLDER);
        Path folder = Files.isDirectory(nested) ? nested : dir;
        List<String> missing = missing(folder);
        if (missing.isEmpty()) {
            return folder;
        }
        String state = "CIFAR-10 not found in " + folder + (Files.isDirectory(folder) ? ": it lacks "
                + String.join(", ", missing) : ": no such folder");
        if (!downloads || mirrors.isEmpty() || Files.exists(nested)) {
            throw new FetchException(notFound(state, List.of()));
        }
        List<String> failures = new ArrayList<>();
        Files.createDirectories(dir);
        Path work = Files.createTempDirectory(dir, ".fetch-");
        List<String> left;
        try {
            left = Mirrors.fetch(mirrors, List.of(ARCHIVE), name -> name, work, (name, tmp, url) -> {
                String md5 = Mirrors.fileDigest(tmp, "MD5");
                if (!md5.equals(archive.md5())) {
                    throw new FetchException(url + ": not the expected " + ARCHIVE + ": MD5 " + md5 + " ("
                            + Files.size(tmp) + " bytes), expected MD5 " + archive.md5());
                }
                Path unpacked = Files.createTempDirectory(work, "unpack-");
                extract(tmp, url.toString(), unpacked, archive);
                Mirrors.moveIntoPlace(unpacked.resolve(Cifar10.FOLDER), nested, false);
                LOG.info("CIFAR-10 from {} checked and unpacked into {}", url, nested);
            }, failures);
        } finally {
            Mirrors.deleteTree(work);
        }
        if (!left.isEmpty()) {
            throw new FetchException(notFound(state, failures));
        }
        return nested;
    }

    private static List<String> missing(Path folder) {
        List<String> missing = new ArrayList<>();
        for (String name : Cifar10.files()) {
            if (!Files.isRegularFile(folder.resolve(name))) {
                missing.add(name);
            }
        }
        return missing;
    }

    /**
     * Unpacks the archive's {@code cifar-10-batches-bin/} into outDir, refusing (naming the
     * archive and the entry) a path with "..", an absolute path, a link or any entry that is not
     * a plain file or folder, anything outside that folder or in a subfolder of it, a batch file
     * whose length is not {@code archive.batchBytes()}, another file over {@link #MAX_OTHER_BYTES},
     * a name given twice, and an archive that lacks one of the files.
     *
     * @param origin where the archive came from, for the messages
     */
    static void extract(Path tarGz, String origin, Path outDir, Archive archive) throws IOException {
        Path folder = Files.createDirectories(outDir.resolve(Cifar10.FOLDER));
        Set<String> seen = new HashSet<>();
        Set<String> batches = new HashSet<>(Cifar10.TRAIN_FILES);
        batches.add(Cifar10.TEST_FILE);
        try (InputStream gz = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarGz), 1 << 16), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String name = e.getName();
                String where = origin + ", entry '" + name + "'";
                if (name.startsWith("/") || name.contains("\\") || name.contains(":")
                        || List.of(name.split("/")).contains("..")) {
                    throw new FetchException(where + ": refused: the path leaves the folder it is unpacked in;"
                            + " expected " + Cifar10.FOLDER + "/NAME");
                }
                if (e.isSymbolicLink() || e.isLink()) {
                    throw new FetchException(where + ": refused: a link (to '" + e.getLinkName() + "'); expected"
                            + " plain files only");
                }
                if (!e.isFile() && !e.isDirectory()) {
                    throw new FetchException(where + ": refused: neither a plain file nor a folder");
                }
                List<String> parts = new ArrayList<>();
                for (String p : name.split("/")) {
                    if (!p.isEmpty() && !p.equals(".")) {
                        parts.add(p);
                    }
                }
                if (parts.isEmpty() || !parts.get(0).equals(Cifar10.FOLDER)
                        || parts.size() > (e.isDirectory() ? 1 : 2)) {
                    throw new FetchException(where + ": refused: outside " + Cifar10.FOLDER + "/ or in a subfolder"
                            + " of it; expected " + Cifar10.FOLDER + "/NAME");
                }
                if (e.isDirectory()) {
                    continue;
                }
                String file = parts.get(1);
                boolean batch = batches.contains(file);
                long size = e.getSize();
                if (batch ? size != archive.batchBytes() : size > MAX_OTHER_BYTES) {
                    throw new FetchException(where + ": refused: " + size + " bytes, expected "
                            + (batch ? "exactly " + archive.batchBytes() + " (records of " + CifarImages.RECORD_BYTES
                                    + " bytes)" : "at most " + MAX_OTHER_BYTES + " (CifarLocator.MAX_OTHER_BYTES)"));
                }
                if (!seen.add(file)) {
                    throw new FetchException(where + ": refused: " + file + " appears twice in the archive");
                }
                long copied = copy(tar, folder.resolve(file), size);
                if (copied != size) {
                    throw new FetchException(where + ": the archive ends after " + copied + " of the entry's " + size
                            + " bytes");
                }
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new FetchException(origin + ": the archive is truncated or corrupt (" + e.getMessage() + ")", e);
        }
        List<String> lacking = missing(folder);
        if (!lacking.isEmpty()) {
            throw new FetchException(origin + ": the archive lacks " + Cifar10.FOLDER + "/" + String.join(", ", lacking));
        }
    }

    /** Copies at most limit bytes of the entry; returns how many there were. */
    private static long copy(InputStream in, Path target, long limit) throws IOException {
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n; total < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total))) > 0; ) {
                out.write(buffer, 0, n);
                total += n;
            }
        }
        return total;
    }

    /** @param state where the files were looked for and what it lacks */
    private String notFound(String state, List<String> failures) {
        StringBuilder b = new StringBuilder(state);
        Path nested = dir.resolve(Cifar10.FOLDER);
        if (!downloads) {
            b.append(" (a --data-dir folder is only looked in, never downloaded into)");
        } else if (Files.exists(nested)) {
            b.append(" (the folder is there but incomplete; it is never overwritten: delete it to download it again)");
        } else if (mirrors.isEmpty()) {
            b.append(" and no mirror is configured (--mirror or ").append(MIRRORS_ENV).append(" is empty)");
        } else {
            b.append(" and no mirror provided ").append(ARCHIVE).append(". Tried:");
            for (String f : failures) {
                b.append("\n  - ").append(f);
            }
            b.append('\n');
        }
        b.append(failures.isEmpty() ? ". " : "").append("Unpack the binary version (").append(ARCHIVE)
                .append(", MD5 ").append(archive.md5()).append(", which holds ").append(Cifar10.FOLDER).append("/ with ")
                .append(String.join(", ", Cifar10.files())).append(") into ").append(dir).append(" (tar -xzf ")
                .append(ARCHIVE).append(" -C ").append(dir).append("), or point --data-dir or ").append(DATA_ENV)
                .append(" at the folder that holds them, or give a mirror that has the archive (--mirror or ")
                .append(MIRRORS_ENV).append(").");
        return b.toString();
    }
}
