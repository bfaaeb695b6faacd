package dev.jcnn.cuda.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The availability messages when libraries are missing, from fake library folders. */
class NativeProbeTest {

    @TempDir
    Path dir;

    private NativeProbe.Result probe() {
        return new NativeProbe(new LibraryLocator(List.of(dir), List.of(), List.of()), List.of(), "Linux", "amd64").check();
    }

    private void lib(String name) {
        lib(dir, name, 2);
    }

    private static void lib(Path folder, String name, int elfClass) {
        byte[] b = new byte[64];
        b[0] = 0x7f;
        b[1] = 'E';
        b[2] = 'L';
        b[3] = 'F';
        b[4] = (byte) elfClass;
        try {
            Files.createDirectories(folder);
            Files.write(folder.resolve(name), b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void otherPlatformsAreNamed() {
        NativeProbe.Result r = new NativeProbe(new LibraryLocator(List.of(), List.of(), List.of()), List.of(), "Mac OS X", "aarch64")
                .check();
        assertEquals("the CUDA backend supports Linux on x86-64 only (JCuda's linux-x86_64 natives); this JVM runs on"
                + " Mac OS X aarch64", r.problem());
    }

    @Test
    void noDriver() {
        NativeProbe.Result r = probe();
        assertFalse(r.ok());
        assertEquals("no NVIDIA driver: libcuda.so.1 was not found (searched LD_LIBRARY_PATH [" + dir + "], the linker"
                + " cache (0 entries), []); install the NVIDIA driver, or add the folder holding libcuda.so.1 to"
                + " LD_LIBRARY_PATH", r.problem());
    }

    @Test
    void aThirtyTwoBitDriverDoesNotCount() {
        lib(dir, "libcuda.so.1", 1);
        assertTrue(probe().problem().startsWith("no NVIDIA driver: libcuda.so.1 was not found"), probe().problem());
    }

    @Test
    void noCublas() {
        lib("libcuda.so.1");
        String p = probe().problem();
        assertTrue(p.startsWith("cuBLAS not found: JCuda 11.7.0 was built against libcublas.so.11 and can use"
                + " libcublas.so.12 or libcublas.so.13 through retargeting, but none of them is in LD_LIBRARY_PATH ["
                + dir + "], the linker cache (0 entries), []; install"), p);
    }

    @Test
    void cublasWithoutItsLtLibrary() {
        lib("libcuda.so.1");
        lib("libcublas.so.13");
        String p = probe().problem();
        assertTrue(p.startsWith("cuBLAS is incomplete: " + dir.resolve("libcublas.so.13") + " was found but"
                + " libcublasLt.so.13 is neither beside it nor in LD_LIBRARY_PATH"), p);
    }

    @Test
    void noCudnn() {
        lib("libcuda.so.1");
        lib("libcublas.so.12");
        lib("libcublasLt.so.12");
        String p = probe().problem();
        assertTrue(p.startsWith("cuDNN not found: JCuda 11.7.0 was built against libcudnn.so.8 and can use"
                + " libcudnn.so.9 through retargeting, but none of them is in"), p);
        assertTrue(p.contains("nvidia-cudnn-cu12"), p);
    }

    @Test
    void cudnnNineWithoutItsSubLibraries() {
        lib("libcuda.so.1");
        lib("libcublas.so.12");
        lib("libcublasLt.so.12");
        lib("libcudnn.so.9");
        lib("libcudnn_graph.so.9");
        String p = probe().problem();
        assertTrue(p.startsWith("cuDNN is incomplete: " + dir.resolve("libcudnn.so.9") + " was found but"
                + " libcudnn_ops.so.9 is neither beside it"), p);
    }

    @Test
    void newMajorsAreRetargeted() {
        lib("libcuda.so.1");
        lib("libcublas.so.13");
        lib("libcublasLt.so.13");
        for (String s : List.of("libcudnn.so.9", "libcudnn_graph.so.9", "libcudnn_ops.so.9", "libcudnn_cnn.so.9",
                "libcudnn_engines_precompiled.so.9", "libcudnn_heuristic.so.9")) {
            lib(s);
        }
        NativeProbe.Result r = probe();
        assertNull(r.problem());
        assertEquals(dir.resolve("libcuda.so.1"), r.plan().driver());
        assertEquals("libcublas.so.13", r.plan().cublas().found());
        assertEquals("libcublas.so.11", r.plan().cublas().wanted());
        assertTrue(r.plan().cublas().retarget());
        assertEquals("libcudnn.so.9", r.plan().cudnn().found());
        assertTrue(r.plan().cudnn().retarget());
        assertEquals("LD_LIBRARY_PATH", r.plan().cudnn().origin());
        assertEquals(List.of(), r.plan().preload(), "system libraries are found by the linker itself");
    }

    @Test
    void theBuiltAgainstMajorWinsAndNeedsNoRetargeting() {
        lib("libcuda.so.1");
        for (String s : List.of("libcublas.so.11", "libcublasLt.so.11", "libcublas.so.13", "libcublasLt.so.13",
                "libcudnn.so.8", "libcudnn_ops_infer.so.8", "libcudnn_ops_train.so.8", "libcudnn_cnn_infer.so.8",
                "libcudnn_cnn_train.so.8")) {
            lib(s);
        }
        NativeProbe.Plan plan = probe().plan();
        assertEquals("libcublas.so.11", plan.cublas().found());
        assertFalse(plan.cublas().retarget());
        assertEquals("libcudnn.so.8", plan.cudnn().found());
        assertFalse(plan.cudnn().retarget());
    }

    @Test
    void companionsMayLiveElsewhereOnThePath() {
        Path other = dir.resolve("lt");
        lib("libcuda.so.1");
        lib("libcublas.so.12");
        lib(other, "libcublasLt.so.12", 2);
        LibraryLocator locator = new LibraryLocator(List.of(dir, other), List.of(), List.of());
        String p = new NativeProbe(locator, List.of(), "Linux", "amd64").check().problem();
        assertTrue(p.startsWith("cuDNN not found"), p);
    }

    @Test
    void theLinkerCacheIsRead() throws IOException {
        Path lib = dir.resolve("sys");
        lib(lib, "libcuda.so.1", 2);
        // a cache file: header, then NUL-terminated keys and paths, as glibc writes them
        String content = "glibc-ld.so.cache1.1\0\0\0\0libcuda.so.1\0" + lib.resolve("libcuda.so.1") + "\0libm.so.6\0"
                + "/nonexistent/libm.so.6\0";
        Path cache = dir.resolve("ld.so.cache");
        Files.write(cache, content.getBytes(StandardCharsets.ISO_8859_1));
        List<Path> paths = LibraryLocator.readLinkerCache(cache);
        assertEquals(List.of(lib.resolve("libcuda.so.1"), Path.of("/nonexistent/libm.so.6")), paths);
        LibraryLocator locator = new LibraryLocator(List.of(), paths, List.of());
        assertEquals(lib.resolve("libcuda.so.1"), locator.find("libcuda.so.1").orElseThrow());
        assertTrue(locator.find("libm.so.6").isEmpty(), "a cache entry whose file is gone does not count");
        assertTrue(LibraryLocator.readLinkerCache(dir.resolve("missing")).isEmpty());
    }

    @Test
    void ldLibraryPathIsSplitAsTheLinkerDoes() {
        assertEquals(List.of(Path.of("/a"), Path.of("/b/c")), LibraryLocator.splitPath("/a::/b/c:"));
        assertEquals(List.of(), LibraryLocator.splitPath(null));
    }
}
