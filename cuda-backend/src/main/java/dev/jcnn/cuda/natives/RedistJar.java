package dev.jcnn.cuda.natives;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * NVIDIA's cuBLAS, cuDNN and NVRTC from JavaCPP's redist jar ({@value #COORDINATES}) on the
 * class path, extracted once into the cache folder, where the dynamic linker can load them.
 *
 * <p>Extraction is checked and atomic: each library is streamed to a temporary file in the
 * cache folder while its size and CRC-32 are compared with the jar entry's and its SHA-256
 * is computed; only then is it renamed into place (ATOMIC_MOVE), and a stamp beside it
 * records the hash, the entry's size and CRC and the file's modification time. A later JVM
 * reuses a file whose size and stamp match the jar entry and re-extracts any other. Two JVMs
 * extracting at once take turns through a file lock on the folder's {@code .lock}; where the
 * file system has no locks, both write their own temporary files and the renames race
 * harmlessly (the contents are the same, and a JVM that has a library mapped keeps the old
 * inode).
 *
 * <p>How the libraries are then found: {@link JCudaLoader} loads every one of them by path, in
 * the order of {@link #LIBRARIES} (each after those it names as DT_NEEDED), before JCuda's JNI
 * libraries. glibc satisfies a DT_NEEDED entry or a dlopen by file name with a library
 * already loaded under that soname, so JCuda's {@code libcublas.so.12} and {@code libcudnn.so.9}
 * and the sub-libraries cuDNN 9 opens with dlopen by name when first used
 * ({@code libcudnn_ops.so.9}, {@code libcudnn_cnn.so.9}, the engines, NVRTC) are all these
 * files. Their RUNPATH {@code $ORIGIN} would find them side by side too, but dlopen searches
 * LD_LIBRARY_PATH before RUNPATH, so a different cuDNN 9 named there would be mixed in;
 * loading them first leaves nothing to search. No LD_LIBRARY_PATH is needed.
 */
public final class RedistJar {

    private static final Logger LOG = LogManager.getLogger(RedistJar.class);

    /** The Maven coordinates of the jar this class reads. */
    public static final String COORDINATES = "org.bytedeco:cuda:12.6-9.5-1.5.11:jar:linux-x86_64-redist";

    /** The folder of the linux-x86_64 libraries inside the jar. */
    public static final String FOLDER = "org/bytedeco/cuda/linux-x86_64/";

    /**
     * The libraries extracted: cuBLAS (and cuBLASLt, which it needs), cuDNN 9 with every
     * sub-library it opens, and NVRTC, which cuDNN's runtime-compiled engines open; in the
     * order they are loaded, each after those it needs.
     */
    public static final List<String> LIBRARIES = List.of("libcublasLt.so.12", "libcublas.so.12",
            "libnvrtc-builtins.so.12.6", "libnvrtc.so.12", "libcudnn_graph.so.9", "libcudnn_ops.so.9",
            "libcudnn_cnn.so.9", "libcudnn_adv.so.9", "libcudnn_engines_precompiled.so.9",
            "libcudnn_engines_runtime_compiled.so.9", "libcudnn_heuristic.so.9", "libcudnn.so.9");

    /** Serialises extractions within this JVM: a second FileLock on the same file from one JVM throws. */
    private static final Object JVM_LOCK = new Object();

    private final Path jar;
    private final Path folder;

    /**
     * @param jar    the redist jar
     * @param folder the cache folder the libraries are extracted to
     */
    public RedistJar(Path jar, Path folder) {
        this.jar = jar;
        this.folder = folder;
    }

    /**
     * The redist jar the class loader sees (it holds {@code FOLDER + "libcudnn.so.9"}), with its
     * cache folder {@code cacheRoot/redist/cuda-VERSION}; empty if there is none.
     *
     * @throws IllegalStateException if the resource is there but not inside a jar file
     */
    public static Optional<RedistJar> onClassPath(ClassLoader loader, Path cacheRoot) {
        URL url = loader.getResource(FOLDER + "libcudnn.so.9");
        if (url == null) {
            return Optional.empty();
        }
        Path jar;
        try {
            if (!"jar".equals(url.getProtocol())) {
                throw new IllegalStateException(url + " is not inside a jar file; put the jar " + COORDINATES
                        + " itself on the class path");
            }
            jar = Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot locate the jar holding " + url + ": " + e, e);
        }
        return Optional.of(new RedistJar(jar, cacheRoot.resolve("redist").resolve(folderName(jar))));
    }

    /** cuda-VERSION from the jar's Maven pom.properties, else the jar's file name without ".jar". */
    static String folderName(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry("META-INF/maven/org.bytedeco/cuda/pom.properties");
            if (e != null) {
                Properties p = new Properties();
                try (InputStream in = zip.getInputStream(e)) {
                    p.load(in);
                }
                String version = p.getProperty("version");
                if (version != null && version.matches("[A-Za-z0-9._-]+")) {
                    return "cuda-" + version;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the redist jar " + jar, e);
        }
        return jar.getFileName().toString().replaceFirst("\\.jar$", "");
    }

    /** The jar. */
    public Path jar() {
        return jar;
    }

    /** The cache folder the libraries are extracted to. */
    public Path folder() {
        return folder;
    }

    /** Where a library came from, for the backend's device line. */
    public String origin() {
        return "the redist jar " + jar + ", extracted to " + folder;
    }

    /**
     * Extracts every library of {@link #LIBRARIES} that is not already in the cache folder as
     * the jar holds it, and returns the names of those it wrote (empty when all were current).
     *
     * @throws IllegalStateException if the jar lacks a library or an entry does not match its
     *                               own size or CRC, or the folder cannot be written
     */
    public List<String> extract() {
        synchronized (JVM_LOCK) {
            try {
                Files.createDirectories(folder);
                try (ZipFile zip = new ZipFile(jar.toFile());
                        FileChannel lockFile = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE)) {
                    FileLock lock = lockOrNull(lockFile);
                    try {
                        if (lock != null) {
                            deleteLeftovers();
                        }
                        return extractAll(zip);
                    } finally {
                        if (lock != null) {
                            lock.release();
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot extract the CUDA libraries from " + jar + " into " + folder
                        + ": " + e + " (set -Djcnn.cuda.cacheDir to a writable folder)", e);
            }
        }
    }

    private List<String> extractAll(ZipFile zip) throws IOException {
        List<String> written = new ArrayList<>();
        long bytes = 0;
        for (String name : LIBRARIES) {
            ZipEntry entry = zip.getEntry(FOLDER + name);
            if (entry == null) {
                throw new IllegalStateException(jar + " has no " + FOLDER + name + "; expected the jar " + COORDINATES);
            }
            if (!current(name, entry)) {
                if (written.isEmpty()) {
                    LOG.info("extracting cuBLAS and cuDNN from {} into {} (once)", jar, folder);
                }
                write(zip, entry, name);
                written.add(name);
                bytes += entry.getSize();
            }
        }
        if (!written.isEmpty()) {
            LOG.info("extracted {} libraries ({} MiB) into {}", written.size(), bytes >> 20, folder);
        }
        return written;
    }

    /** The extracted file of one library (after {@link #extract}). */
    public Path library(String name) {
        return folder.resolve(name);
    }

    /** Removes the temporary files of an extraction that was killed; only while holding the lock, so none is in use. */
    private void deleteLeftovers() throws IOException {
        try (var files = Files.list(folder)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".part") || n.endsWith(".stamp")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The lock on the folder, or null where the file system refuses locks (the renames stay safe without it). */
    private FileLock lockOrNull(FileChannel channel) {
        try {
            return channel.lock();
        } catch (IOException e) {
            LOG.warn("cannot lock {} ({}); extracting without the lock", folder.resolve(".lock"), e.toString());
            return null;
        }
    }

    /** Whether the cached file is the one this entry was extracted to: same size, and a stamp naming the entry and the file. */
    boolean current(String name, ZipEntry entry) throws IOException {
        Path file = folder.resolve(name);
        Path stamp = stampOf(file);
        if (!Files.isRegularFile(file) || !Files.isRegularFile(stamp) || Files.size(file) != entry.getSize()) {
            return false;
        }
        Stamp s = Stamp.parse(Files.readString(stamp, StandardCharsets.US_ASCII));
        return s != null && s.size() == entry.getSize() && s.crc() == entry.getCrc()
                && s.modified() == Files.getLastModifiedTime(file).toMillis();
    }

    private void write(ZipFile zip, ZipEntry entry, String name) throws IOException {
        Path file = folder.resolve(name);
        Path tmp = Files.createTempFile(folder, name + ".", ".part");
        try {
            MessageDigest sha = sha256();
            CRC32 crc = new CRC32();
            long size = 0;
            try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.read(buf)) > 0;) {
                    out.write(buf, 0, n);
                    sha.update(buf, 0, n);
                    crc.update(buf, 0, n);
                    size += n;
                }
            }
            if (size != entry.getSize() || crc.getValue() != entry.getCrc()) {
                throw new IllegalStateException(jar + " is damaged: entry " + entry.getName() + " gave " + size
                        + " bytes with CRC-32 " + Long.toHexString(crc.getValue()) + ", its header says "
                        + entry.getSize() + " bytes with CRC-32 " + Long.toHexString(entry.getCrc())
                        + "; download it again");
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Stamp s = new Stamp(HexFormat.of().formatHex(sha.digest()), size, crc.getValue(),
                    Files.getLastModifiedTime(file).toMillis());
            Path stampTmp = Files.createTempFile(folder, name + ".", ".stamp");
            try {
                Files.writeString(stampTmp, s.format(), StandardCharsets.US_ASCII);
                Files.move(stampTmp, stampOf(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(stampTmp);
            }
            LOG.debug("extracted {} ({} bytes, SHA-256 {})", file, size, s.sha256());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static Path stampOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".sha256");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** The stamp beside an extracted library: "SHA-256 size CRC-32 modified-millis". */
    record Stamp(String sha256, long size, long crc, long modified) {

        String format() {
            return sha256 + " " + size + " " + Long.toHexString(crc) + " " + modified + "\n";
        }

        /** The stamp, or null if the text is not one. */
        static Stamp parse(String text) {
            String[] f = text.strip().split(" ");
            if (f.length != 4 || !f[0].matches("[0-9a-f]{64}")) {
                return null;
            }
            try {
                return new Stamp(f[0], Long.parseLong(f[1]), Long.parseLong(f[2], 16), Long.parseLong(f[3]));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
