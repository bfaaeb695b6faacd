package dev.jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcnn.cuda.natives.ElfFile;
import dev.jcnn.cuda.natives.JniLibraries;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole retargeting path, end to end, on this machine: stand-in libcuda.so.1,
 * libcublas.so.13 and libcudnn.so.9 are compiled with the C compiler, and a fresh JVM whose
 * LD_LIBRARY_PATH holds only them loads JCuda through {@link dev.jcnn.cuda.natives.JCudaLoader}
 * and calls into each binding. This is what happens on a CUDA 13 / cuDNN 9 machine, short of
 * the GPU. Needs a C compiler ("cc"); skipped without one.
 *
 * <p>With -Djcnn.test.realCublasDir=FOLDER (holding a real libcublas.so.12 and
 * libcublasLt.so.12), the same run uses that cuBLAS instead of the stand-in.
 */
class RetargetedLoadTest {

    @TempDir
    Path tmp;

    @Test
    void versionedCudnnStandIn() throws Exception {
        Map<String, String> out = run(true, null);
        assertEquals("libcublas.so.13 libcudnn.so.9", out.get("plan"));
        assertTrue(out.get("loaded").startsWith("libcublas.so.13 (retargeted from libcublas.so.11) at "),
                out.get("loaded"));
        assertTrue(out.get("loaded").contains("libcudnn.so.9 (retargeted from libcudnn.so.8)"), out.get("loaded"));
        assertEquals("90100", out.get("cudnnGetVersion"));
        assertEquals("0", out.get("cublasCreate"));
        assertEquals("0 130100", out.get("cublasGetVersion"));
        assertEquals("false", out.get("available"));
        assertTrue(out.get("reason").startsWith("no CUDA device: cuInit reports CUDA_ERROR_NO_DEVICE (driver "),
                out.get("reason"));
        Path cache = tmp.resolve("cache/jcuda-" + JniLibraries.JCUDA_VERSION);
        Path cublas = cache.resolve("JCublas2-libcublas.so.13-versioned").resolve(JniLibraries.fileName("JCublas2"));
        Path cudnn = cache.resolve("JCudnn-libcudnn.so.9-versioned").resolve(JniLibraries.fileName("JCudnn"));
        assertTrue(ElfFile.read(cublas).needed().contains("libcublas.so.13"));
        assertTrue(ElfFile.read(cudnn).needed().contains("libcudnn.so.9"));
    }

    @Test
    void unversionedCudnnStandIn() throws Exception {
        Map<String, String> out = run(false, null);
        assertEquals("90100", out.get("cudnnGetVersion"));
        assertTrue(Files.isRegularFile(tmp.resolve("cache/jcuda-" + JniLibraries.JCUDA_VERSION
                + "/JCudnn-libcudnn.so.9-unversioned").resolve(JniLibraries.fileName("JCudnn"))));
    }

    @Test
    void realCublasWhenGiven() throws Exception {
        String real = System.getProperty("jcnn.test.realCublasDir");
        assumeTrue(real != null && !real.isBlank(), "set -Djcnn.test.realCublasDir to a folder with a real"
                + " libcublas.so.12 to run JCublas2 against it");
        Map<String, String> out = run(true, Path.of(real));
        assertTrue(out.get("loaded").startsWith("libcublas.so.12 (retargeted from libcublas.so.11)"), out.get("loaded"));
        // the real cuBLAS answers through the retargeted binding: without a driver it cannot initialise
        assertEquals("1", out.get("cublasCreate"), "CUBLAS_STATUS_NOT_INITIALIZED expected without a GPU");
    }

    private Map<String, String> run(boolean versionedCudnn, Path realCublas) throws Exception {
        Path libs = Files.createDirectories(tmp.resolve("libs"));
        compiler();
        Path src = Path.of("src/test/native");
        compile(src.resolve("stub_cuda.c"), libs.resolve("libcuda.so.1"), null);
        if (realCublas == null) {
            compile(src.resolve("stub_cublas.c"), libs.resolve("libcublas.so.13"), "libcublas.so.13");
            compile(src.resolve("stub_empty.c"), libs.resolve("libcublasLt.so.13"), null);
        } else {
            for (String name : List.of("libcublas.so.12", "libcublasLt.so.12")) {
                Files.createSymbolicLink(libs.resolve(name), realCublas.resolve(name).toAbsolutePath());
            }
        }
        compile(src.resolve("stub_cudnn.c"), libs.resolve("libcudnn.so.9"), versionedCudnn ? "libcudnn.so.9" : null);
        for (String companion : List.of("libcudnn_graph.so.9", "libcudnn_ops.so.9", "libcudnn_cnn.so.9",
                "libcudnn_engines_precompiled.so.9", "libcudnn_heuristic.so.9")) {
            compile(src.resolve("stub_empty.c"), libs.resolve(companion), null);
        }

        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Djcnn.cuda.cacheDir=" + tmp.resolve("cache"),
                "-Djava.io.tmpdir=" + javaTmp, StubLoadMain.class.getName(), libs.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", libs.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, p.exitValue(), "child JVM failed:\n" + output);
        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                lines.putIfAbsent(line.substring(0, colon), line.substring(colon + 2).strip());
            }
        }
        assertTrue(lines.containsKey("reason"), "child JVM output:\n" + output);
        return lines;
    }

    private static String cc;

    private static void compiler() {
        if (cc == null) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, "cc"))) {
                    cc = Path.of(dir, "cc").toString();
                    break;
                }
            }
        }
        assumeTrue(cc != null, "no C compiler (cc) on PATH to build the stand-in libraries");
    }

    /** Builds a shared library; with a version name, its symbols get that version (as NVIDIA's libraries' do). */
    private void compile(Path source, Path out, String version) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(cc, "-shared", "-fPIC", "-O1", "-o", out.toString(),
                "-Wl,-soname," + out.getFileName()));
        if (version != null) {
            Path script = tmp.resolve(version + ".map");
            Files.writeString(script, version + " { global: *; };\n");
            cmd.add("-Wl,--version-script=" + script);
        }
        cmd.add(source.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "cc failed for " + source + ":\n" + log);
    }
}
