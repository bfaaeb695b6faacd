package dev.jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcnn.cuda.natives.ElfFile;
import dev.jcnn.cuda.natives.ExportCheck;
import dev.jcnn.cuda.natives.HeaderConstants;
import dev.jcnn.cuda.natives.RedistJar;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The opt-in check of JavaCPP's redist jar ({@value RedistJar#COORDINATES}, 2 GB): run with
 * {@code mvn -B -o -pl cuda-backend -am verify -Pcuda-redist -Dtest=RedistLibrariesTest
 * -Dsurefire.failIfNoSpecifiedTests=false}. The profile puts the jar on the test class path and
 * sets -Djcnn.test.redist=true, which turns the skip without the jar into a failure.
 *
 * <p>It extracts the libraries into {@code target/redist-cache}, checks that every cuDNN and
 * cuBLAS function cuda-backend calls is exported by them, and binds JCuda to them in a fresh JVM
 * whose LD_LIBRARY_PATH holds only a stand-in driver (built with cc): the backend then gets as
 * far as the missing device, with the real libraries.
 */
class RedistLibrariesTest {

    static final Path CACHE = Path.of("target/redist-cache");

    @Test
    void theRedistJarServesEverythingTheBackendCalls() throws Exception {
        RedistJar redist = RedistJar.onClassPath(getClass().getClassLoader(), CACHE.toAbsolutePath()).orElse(null);
        if (Boolean.getBoolean("jcnn.test.redist")) {
            assertTrue(redist != null, "-Djcnn.test.redist=true, but " + RedistJar.FOLDER + "libcudnn.so.9 is not on"
                    + " the class path; the profile cuda-redist adds " + RedistJar.COORDINATES);
        }
        assumeTrue(redist != null, "the redist jar " + RedistJar.COORDINATES + " is not on the class path (mvn -Pcuda-redist)");
        long t0 = System.nanoTime();
        List<String> written = redist.extract();
        System.out.printf("redist: %s -> %s: extracted %d of %d libraries in %.1f s%n", redist.jar(), redist.folder(),
                written.size(), RedistJar.LIBRARIES.size(), (System.nanoTime() - t0) / 1e9);

        ExportCheck.Report report = ExportCheck.check(Path.of("src/main/java"), redist.library("libcudnn.so.9"),
                redist.library("libcublas.so.12"));
        System.out.println(report.summary());
        assertEquals(List.of(), report.problems(), "functions cuda-backend calls that the redist's libraries lack");
        assertTrue(report.cudnnCalls() >= 40 && report.cublasCalls() >= 7, report.summary());
        // the check fails for a function cuDNN 9 lacks: cuDNN 8's RNN inference, which JCudnn still declares
        assertTrue(report.legacyMissing().contains("cudnnRNNForwardInference"), report.summary());
        assertEquals(List.of("cudnnRNNForwardInference: libcudnn.so.9 does not export cudnnRNNForwardInference"),
                ExportCheck.problems(ExportCheck.bind(new java.util.TreeSet<>(List.of("cudnnRNNForwardInference")),
                        Set.of("cudnnRNNForwardInference")), ExportCheck.exports(ElfFile.read(redist.library(
                                "libcudnn.so.9"))), "libcudnn.so.9"));

        // the constants the backend passes, JCuda's (cuDNN 8.4 / cuBLAS 11.7 headers) against this release's headers
        java.util.SortedSet<String> used = HeaderConstants.usedNames(Path.of("src/main/java"));
        Map<String, String> jcuda = new java.util.TreeMap<>(HeaderConstants.ofJar(
                HeaderConstants.jarOf("jcuda/jcudnn/JCudnn.class"), "jcuda/jcudnn/"));
        jcuda.putAll(HeaderConstants.ofJar(HeaderConstants.jarOf("jcuda/jcublas/JCublas2.class"), "jcuda/jcublas/"));
        Map<String, String> release = HeaderConstants.ofJar(
                HeaderConstants.jarOf("org/bytedeco/cuda/global/cudnn.class"), "org/bytedeco/cuda/global/");
        List<String> compared = used.stream().filter(jcuda::containsKey).toList();
        System.out.println("constants: " + compared.size() + " compared with the 9.5 / 12.6 headers: " + compared.stream()
                .map(n -> n + "=" + release.get(n)).toList());
        for (String n : List.of("CUDNN_CONVOLUTION_FWD_ALGO_COUNT", "CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT",
                "CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT", "CUDNN_STATUS_BAD_PARAM", "CUDNN_VERSION", "CUBLAS_VER_MAJOR",
                "CUBLAS_VER_MINOR")) {
            System.out.println("header: " + n + " JCuda " + jcuda.get(n) + ", release " + release.get(n));
        }
        assertEquals(List.of(), HeaderConstants.mismatches(used, jcuda, release), "constants whose value changed");
        java.util.SortedSet<String> deprecated = HeaderConstants.deprecated(
                HeaderConstants.jarOf("org/bytedeco/cuda/global/cudnn.class"), "org.bytedeco.cuda.global.cudnn");
        java.util.SortedSet<String> calledDeprecated = new java.util.TreeSet<>(ExportCheck.calledNames(
                Path.of("src/main/java"), jcuda.jcudnn.JCudnn.class, "cudnn"));
        calledDeprecated.retainAll(deprecated);
        System.out.println("deprecated: " + calledDeprecated.size() + " of the cuDNN functions called are deprecated in the"
                + " 9.5 headers (and exported, above): " + calledDeprecated);
        assertTrue(compared.size() >= 20, "compared: " + compared);
        // AlgorithmChoice's own cudnnMathType_t values
        assertEquals(List.of(release.get("CUDNN_DEFAULT_MATH"), release.get("CUDNN_TENSOR_OP_MATH"),
                release.get("CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION"), release.get("CUDNN_FMA_MATH")),
                List.of(AlgorithmChoice.DEFAULT_MATH, AlgorithmChoice.TENSOR_OP_MATH,
                        AlgorithmChoice.TENSOR_OP_MATH_ALLOW_CONVERSION, AlgorithmChoice.FMA_MATH).stream()
                        .map(String::valueOf).toList());

        Map<String, String> out = childJvm(redist);
        long version = Long.parseLong(out.get("cudnnGetVersion"));
        assertTrue(version >= 90500 && version < 90600, "cuDNN 9.5.x expected, got " + version);
        assertEquals("1", out.get("cublasCreate"), "CUBLAS_STATUS_NOT_INITIALIZED expected without a device");
        assertEquals("[0, 0, 0, 0, 0, 0]", out.get("descriptorStatuses"));
        assertEquals("0 2x8x5x6", out.get("convOutputDim"), "cuDNN's output size of a 3x3 stride-2 pad-1 convolution");
        // cuDNN 9 renumbered its errors: the backend names them with cudnnGetErrorString (Status.cudnn)
        assertTrue(out.get("badParam").startsWith("2000 CUDNN_STATUS_BAD_PARAM | JCudnn's name: INVALID"), out.get("badParam"));
        assertEquals("0 0 0 2000", out.get("mathTypes"), "FMA, tensor-op and default math accepted, 99 refused");
        assertEquals("[0, 0, 0] 2x3x4x5", out.get("pooling"), "deterministic max pooling 2x2 stride 2");
        assertEquals("0 0 2000", out.get("activation"), "ReLU accepted, 99 refused");
        assertEquals("false", out.get("available"));
        assertTrue(out.get("reason").startsWith("no CUDA device: cuInit reports CUDA_ERROR_NO_DEVICE"), out.get("reason"));
        assertTrue(out.get("reason").contains("(from the redist jar "), out.get("reason"));
        Path folder = redist.folder().toRealPath();
        List<String> mapped = out.entrySet().stream().filter(e -> e.getKey().startsWith("mapped")).map(Map.Entry::getValue)
                .toList();
        for (String lib : RedistJar.LIBRARIES) {
            assertTrue(mapped.contains(folder.resolve(lib).toString()), lib + " is loaded from " + folder + "; mapped: "
                    + mapped);
        }
        for (String m : mapped) {
            assertTrue(m.startsWith(folder.toString()), "every NVIDIA library comes from the cache: " + m);
        }
        assertEquals(List.of(), redist.extract(), "a second extraction writes nothing");
        // the load order: each library after those of the set it needs
        for (int i = 0; i < RedistJar.LIBRARIES.size(); i++) {
            for (String needed : ElfFile.read(redist.library(RedistJar.LIBRARIES.get(i))).needed()) {
                int at = RedistJar.LIBRARIES.indexOf(needed);
                assertTrue(at < i, RedistJar.LIBRARIES.get(i) + " needs " + needed + ", which is loaded after it");
            }
        }
    }

    private static Map<String, String> childJvm(RedistJar redist) throws Exception {
        Path stubs = Files.createDirectories(Path.of("target/redist-stub-driver"));
        String cc = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "cc"))) {
                cc = Path.of(dir, "cc").toString();
                break;
            }
        }
        assertTrue(cc != null, "a C compiler (cc) is needed to build the stand-in libcuda.so.1");
        Process build = new ProcessBuilder(cc, "-shared", "-fPIC", "-O1", "-o", stubs.resolve("libcuda.so.1").toString(),
                "-Wl,-soname,libcuda.so.1", "src/test/native/stub_cuda.c").redirectErrorStream(true).start();
        String log = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(build.waitFor(60, TimeUnit.SECONDS) && build.exitValue() == 0, "cc failed:\n" + log);

        // a decoy cuDNN sub-library on LD_LIBRARY_PATH, which dlopen would search before libcudnn.so.9's RUNPATH
        Process decoy = new ProcessBuilder(cc, "-shared", "-fPIC", "-O1", "-o", stubs.resolve("libcudnn_ops.so.9")
                .toString(), "-Wl,-soname,libcudnn_ops.so.9", "src/test/native/stub_empty.c").redirectErrorStream(true)
                .start();
        String decoyLog = new String(decoy.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(decoy.waitFor(60, TimeUnit.SECONDS) && decoy.exitValue() == 0, "cc failed:\n" + decoyLog);

        Path javaTmp = Files.createDirectories(Path.of("target/redist-java-tmp"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Djcnn.cuda.cacheDir=" + CACHE.toAbsolutePath(),
                "-Djava.io.tmpdir=" + javaTmp.toAbsolutePath(), RedistLoadMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LD_LIBRARY_PATH", stubs.toAbsolutePath().toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the child JVM did not finish");
        System.out.println("child JVM (LD_LIBRARY_PATH=" + stubs + "):\n" + output);
        assertEquals(0, p.exitValue(), "child JVM failed:\n" + output);
        Map<String, String> lines = new java.util.LinkedHashMap<>();
        int i = 0;
        for (String line : output.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                String key = line.substring(0, colon);
                lines.putIfAbsent(key.equals("mapped") ? "mapped" + i++ : key, line.substring(colon + 2).strip());
            }
        }
        assertTrue(lines.containsKey("reason"), "child JVM output:\n" + output);
        assertEquals(redist.library("libcudnn.so.9").toAbsolutePath().toString(), lines.get("cudnn"));
        return lines;
    }
}
