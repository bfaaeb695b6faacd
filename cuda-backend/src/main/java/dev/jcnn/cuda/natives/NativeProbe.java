package dev.jcnn.cuda.natives;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides, from files alone, whether the CUDA libraries JCuda needs are on this machine and
 * which ones to use: the NVIDIA driver (libcuda.so.1), cuBLAS and cuDNN. JCuda 11.7.0 was
 * linked against libcublas.so.11 and libcudnn.so.8; when only newer majors exist, they are
 * used through retargeted copies of JCuda's JNI libraries ({@link ElfRetargeter}).
 *
 * <p>When JavaCPP's redist jar is on the class path ({@link RedistJar}), cuBLAS and cuDNN come
 * from it, extracted once into the cache folder after the driver was found.
 *
 * <p>Loads no class of JCuda and no native library, so it is safe to run on every machine.
 */
public final class NativeProbe {

    /** The folder JCuda's JNI libraries name as their RUNPATH. */
    static final Path CUDA_RUNPATH = Path.of("/usr/local/cuda/lib64");

    /** A library family: the major JCuda was built against, the newer ones it can be retargeted to. */
    public record Family(String title, String stem, int builtAgainst, List<Integer> retargetable, String hint) {

        /** File name of one major, e.g. libcublas.so.13. */
        public String soname(int major) {
            return stem + ".so." + major;
        }

        /** The sub-libraries this major loads (as NEEDED or by dlopen), which must sit beside it or be found. */
        List<String> companions(int major) {
            return switch (stem + major) {
                case "libcublas11", "libcublas12", "libcublas13" -> List.of("libcublasLt.so." + major);
                case "libcudnn8" -> List.of("libcudnn_ops_infer.so.8", "libcudnn_ops_train.so.8",
                        "libcudnn_cnn_infer.so.8", "libcudnn_cnn_train.so.8");
                case "libcudnn9" -> List.of("libcudnn_graph.so.9", "libcudnn_ops.so.9", "libcudnn_cnn.so.9",
                        "libcudnn_engines_precompiled.so.9", "libcudnn_heuristic.so.9");
                default -> List.of();
            };
        }
    }

    public static final Family CUBLAS = new Family("cuBLAS", "libcublas", 11, List.of(12, 13),
            "install the CUDA toolkit's cuBLAS (or pip's nvidia-cublas-cu12 / nvidia-cublas) and add its lib folder"
                    + " to LD_LIBRARY_PATH");
    public static final Family CUDNN = new Family("cuDNN", "libcudnn", 8, List.of(9),
            "install cuDNN (or pip's nvidia-cudnn-cu12 / nvidia-cudnn-cu13, whose lib folder is"
                    + " site-packages/nvidia/cudnn/lib) and add its lib folder to LD_LIBRARY_PATH");

    /** One library chosen: the name JCuda wants, the one found, where, and how it was found (for messages). */
    public record Choice(Family family, int major, Path path, String origin) {

        /** The soname JCuda's JNI library was linked against. */
        public String wanted() {
            return family.soname(family.builtAgainst());
        }

        /** The soname found on this machine. */
        public String found() {
            return family.soname(major);
        }

        /** Whether JCuda's JNI library must be retargeted to use it. */
        public boolean retarget() {
            return major != family.builtAgainst();
        }
    }

    /**
     * What to load: the driver and one cuBLAS and one cuDNN, and the libraries to load by path
     * before JCuda's (those extracted from the redist jar, which no search path names; else empty).
     */
    public record Plan(Path driver, Choice cublas, Choice cudnn, List<Path> preload) {
    }

    /** Either a plan or the reason there is none. */
    public record Result(Plan plan, String problem) {

        public boolean ok() {
            return plan != null;
        }
    }

    private final LibraryLocator locator;
    private final RedistJar redist;
    private final List<Path> runpath;
    private final String osName;
    private final String osArch;

    /**
     * @param runpath folders searched for cuBLAS and cuDNN after LD_LIBRARY_PATH, as the JNI
     *                libraries' RUNPATH makes the linker do
     */
    public NativeProbe(LibraryLocator locator, List<Path> runpath, String osName, String osArch) {
        this(locator, null, runpath, osName, osArch);
    }

    /**
     * @param redist  the redist jar to take cuBLAS and cuDNN from, before the system's; null for none
     * @param runpath as above
     */
    public NativeProbe(LibraryLocator locator, RedistJar redist, List<Path> runpath, String osName, String osArch) {
        this.locator = locator;
        this.redist = redist;
        this.runpath = List.copyOf(runpath);
        this.osName = osName;
        this.osArch = osArch;
    }

    /**
     * This machine, as the JVM sees it: the redist jar if it is on the class path (unless
     * -Djcnn.cuda.redist=off), then the system's libraries.
     */
    public static NativeProbe system() {
        RedistJar redist = null;
        String mode = System.getProperty(REDIST_PROPERTY, "auto");
        if (!mode.equals("off")) {
            if (!mode.equals("auto")) {
                throw new IllegalArgumentException("-D" + REDIST_PROPERTY + "=" + mode + ": expected auto or off");
            }
            redist = RedistJar.onClassPath(NativeProbe.class.getClassLoader(), JCudaLoader.cacheRoot()).orElse(null);
        }
        return new NativeProbe(LibraryLocator.system(), redist, List.of(CUDA_RUNPATH), System.getProperty("os.name"),
                System.getProperty("os.arch"));
    }

    /** The system property that turns the redist jar off ("off") or on when present ("auto", the default). */
    public static final String REDIST_PROPERTY = "jcnn.cuda.redist";

    /** Checks the platform, the driver, cuBLAS and cuDNN, in that order, and stops at the first problem. */
    public Result check() {
        if (!osName.toLowerCase(java.util.Locale.ROOT).startsWith("linux")
                || !(osArch.equals("amd64") || osArch.equals("x86_64"))) {
            return new Result(null, "the CUDA backend supports Linux on x86-64 only (JCuda's linux-x86_64 natives);"
                    + " this JVM runs on " + osName + " " + osArch);
        }
        Optional<Path> driver = locator.find("libcuda.so.1");
        if (driver.isEmpty()) {
            return new Result(null, "no NVIDIA driver: libcuda.so.1 was not found (searched " + locator.searched(List.of())
                    + "); install the NVIDIA driver, or add the folder holding libcuda.so.1 to LD_LIBRARY_PATH");
        }
        if (redist != null) {
            try {
                redist.extract();
            } catch (RuntimeException e) {
                return new Result(null, e.getMessage());
            }
            Choice cublas = new Choice(CUBLAS, 12, redist.library(CUBLAS.soname(12)), redist.origin());
            Choice cudnn = new Choice(CUDNN, 9, redist.library(CUDNN.soname(9)), redist.origin());
            List<Path> preload = RedistJar.LIBRARIES.stream().map(redist::library).toList();
            return new Result(new Plan(driver.get(), cublas, cudnn, preload), null);
        }
        Choice cublas;
        Choice cudnn;
        try {
            cublas = choose(CUBLAS, runpath);
            cudnn = choose(CUDNN, runpath);
        } catch (MissingLibrary e) {
            return new Result(null, e.getMessage());
        }
        return new Result(new Plan(driver.get(), cublas, cudnn, List.of()), null);
    }

    private Choice choose(Family f, List<Path> runpath) {
        List<Integer> majors = new ArrayList<>();
        majors.add(f.builtAgainst());
        majors.addAll(f.retargetable());
        for (int major : majors) {
            Optional<LibraryLocator.Located> found = locator.locate(f.soname(major), runpath);
            if (found.isPresent()) {
                Path p = found.get().path();
                for (String companion : f.companions(major)) {
                    Path beside = p.resolveSibling(companion);
                    if (!java.nio.file.Files.isRegularFile(beside) && locator.find(companion, runpath).isEmpty()) {
                        throw new MissingLibrary(f.title() + " is incomplete: " + p + " was found but " + companion
                                + " is neither beside it nor in " + locator.searched(runpath) + "; " + f.hint());
                    }
                }
                return new Choice(f, major, p, found.get().origin());
            }
        }
        List<String> alternatives = f.retargetable().stream().map(f::soname).toList();
        throw new MissingLibrary(f.title() + " not found: JCuda 11.7.0 was built against " + f.soname(f.builtAgainst())
                + " and can use " + String.join(" or ", alternatives) + " through retargeting, but none of them is in "
                + locator.searched(runpath) + "; " + f.hint() + "; or add the jar " + RedistJar.COORDINATES
                + " to the class path");
    }

    private static final class MissingLibrary extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingLibrary(String message) {
            super(message, null, false, false);
        }
    }
}
