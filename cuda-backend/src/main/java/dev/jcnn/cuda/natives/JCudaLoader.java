package dev.jcnn.cuda.natives;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Loads JCuda's native libraries for a {@link NativeProbe.Plan}, retargeting the JNI
 * libraries first when the plan uses newer cuBLAS or cuDNN majors than JCuda was built for.
 *
 * <p>How the retargeted copy gets loaded: JCuda's loader (jcuda.LibUtils) tries
 * {@code System.loadLibrary} on java.library.path, then the file of the same name in
 * java.io.tmpdir if it exists, extracting it from its jar only when it does not. Loading
 * the copy ourselves first would not help (JCuda would still load its own file, which fails
 * on the missing libcublas.so.11), and java.library.path is fixed once the JVM runs; so the
 * JCuda class is initialised while java.io.tmpdir names the folder of the retargeted copy,
 * and the property is restored right after. The JCuda classes are named by string here, so
 * this class itself loads none of them until {@link #load} runs.
 */
public final class JCudaLoader {

    private static final Logger LOG = LogManager.getLogger(JCudaLoader.class);

    private JCudaLoader() {
    }

    /** What was loaded, for the backend's device line. */
    public record Loaded(String description) {
    }

    /** The folder retargeted copies are written to: -Djcnn.cuda.cacheDir, else $XDG_CACHE_HOME/jcnn, else ~/.cache/jcnn. */
    public static Path cacheRoot() {
        String explicit = System.getProperty("jcnn.cuda.cacheDir");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jcnn");
    }

    /**
     * Loads the driver, cuBLAS and cuDNN bindings of JCuda. Idempotent within a JVM: JCuda's
     * classes initialise once.
     *
     * @throws IllegalStateException naming the library that failed to load and why
     */
    public static synchronized Loaded load(NativeProbe.Plan plan) {
        initialise("jcuda.driver.JCudaDriver", null, "the NVIDIA driver (libcuda.so.1 at " + plan.driver() + ")");
        preload(plan.preload());
        Path cublasDir = prepare(JniLibraries.CUBLAS2, plan.cublas());
        initialise("jcuda.jcublas.JCublas2", cublasDir, describe(plan.cublas()));
        Path cudnnDir = prepare(JniLibraries.CUDNN, plan.cudnn());
        initialise("jcuda.jcudnn.JCudnn", cudnnDir, describe(plan.cudnn()));
        return new Loaded(describe(plan.cublas()) + ", " + describe(plan.cudnn()));
    }

    static String describe(NativeProbe.Choice c) {
        return c.found() + (c.retarget() ? " (retargeted from " + c.wanted() + ")" : "") + " at " + c.path() + " (from "
                + c.origin() + ")";
    }

    /**
     * Loads libraries by path, in order, so that the JNI libraries loaded next find them: glibc
     * satisfies a DT_NEEDED entry by the soname of a library already loaded.
     */
    private static void preload(List<Path> libraries) {
        for (Path library : libraries) {
            try {
                System.load(library.toAbsolutePath().toString());
            } catch (UnsatisfiedLinkError e) {
                throw new IllegalStateException("loading " + library + " failed: " + rootMessage(e), e);
            }
        }
    }

    /**
     * Writes the retargeted copy of {@code library} for this choice into its own cache
     * folder and returns the folder, or returns null when no retargeting is needed.
     */
    static Path prepare(String library, NativeProbe.Choice choice) {
        if (!choice.retarget()) {
            return null;
        }
        ElfRetargeter.TargetVersioning versioning;
        try {
            versioning = ElfRetargeter.versioningOf(ElfFile.read(choice.path()), choice.found());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + choice.path() + " to retarget " + library + ": " + e, e);
        }
        Path dir = cacheRoot().resolve("jcuda-" + JniLibraries.JCUDA_VERSION)
                .resolve(library + "-" + choice.found() + "-" + versioning.name().toLowerCase(java.util.Locale.ROOT));
        byte[] image = ElfRetargeter.retarget(JniLibraries.read(library), JniLibraries.fileName(library),
                choice.wanted(), choice.found(), versioning);
        Path file = dir.resolve(JniLibraries.fileName(library));
        writeIfChanged(file, image);
        LOG.warn("JCuda {} was built against {}; using {} through a retargeted copy of {} in {}",
                JniLibraries.JCUDA_VERSION, choice.wanted(), choice.path(), JniLibraries.fileName(library), dir);
        return dir;
    }

    /** Writes through a temporary file and a rename, so a concurrent reader sees the old or the new file whole. */
    static void writeIfChanged(Path file, byte[] image) {
        try {
            if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), image)) {
                return;
            }
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                Files.write(tmp, image);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the retargeted JNI library " + file
                    + " (set -Djcnn.cuda.cacheDir to a writable folder)", e);
        }
    }

    /** Initialises a JCuda class (which loads its JNI library), with java.io.tmpdir pointing at {@code dir} if given. */
    private static void initialise(String className, Path dir, String what) {
        String saved = System.getProperty("java.io.tmpdir");
        if (dir != null) {
            System.setProperty("java.io.tmpdir", dir.toString());
        }
        try {
            Class.forName(className, true, JCudaLoader.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is not on the class path (add org.jcuda artifacts "
                    + JniLibraries.JCUDA_VERSION + ")", e);
        } catch (LinkageError e) {
            throw new IllegalStateException("loading JCuda's binding for " + what + " failed: " + rootMessage(e), e);
        } finally {
            if (dir != null) {
                System.setProperty("java.io.tmpdir", saved);
            }
        }
    }

    /** The first line of the innermost message: JCuda's loader error is long; dlopen's reason is what matters. */
    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage() == null ? c.toString() : c.getMessage();
        // JCuda's UnsatisfiedLinkError carries nested stack traces; keep the lines that name files.
        StringBuilder b = new StringBuilder();
        for (String line : m.split("\n")) {
            String s = line.strip();
            if (s.contains(".so") && !s.startsWith("at ")) {
                if (b.length() > 0) {
                    b.append(" | ");
                }
                b.append(s);
            }
        }
        return b.length() > 0 ? b.toString() : m.lines().findFirst().orElse(m);
    }
}
