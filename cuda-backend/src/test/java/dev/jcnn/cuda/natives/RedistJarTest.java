package dev.jcnn.cuda.natives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction from a small generated stand-in of the redist jar: checked, atomic, once, and safe when run twice at once. */
class RedistJarTest {

    private static final int SIZE = 200_000;

    @TempDir
    Path tmp;

    private Path jar() throws IOException {
        return FakeRedistJar.write(tmp.resolve("cuda-redist.jar"), SIZE);
    }

    /** Every library is in the folder with the jar entry's bytes, its stamp holds their SHA-256, and no temporary file is left. */
    private static void assertExtracted(Path folder) throws Exception {
        for (String name : RedistJar.LIBRARIES) {
            byte[] expected = FakeRedistJar.content(name, SIZE);
            assertArrayEquals(expected, Files.readAllBytes(folder.resolve(name)), name);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected));
            String stamp = Files.readString(RedistJar.stampOf(folder.resolve(name)), StandardCharsets.US_ASCII);
            assertTrue(stamp.startsWith(sha + " " + SIZE + " "), stamp);
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<String> leftovers = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".part") || n.endsWith(".stamp")).toList();
            assertEquals(List.of(), leftovers);
        }
    }

    @Test
    void extractsEveryLibraryOnceThenReusesThem() throws Exception {
        RedistJar redist = new RedistJar(jar(), tmp.resolve("cache"));
        assertEquals(RedistJar.LIBRARIES, redist.extract());
        assertExtracted(redist.folder());
        assertEquals(List.of(), redist.extract(), "a second extraction writes nothing");
        assertEquals(List.of(), new RedistJar(redist.jar(), redist.folder()).extract(), "nor does another instance");
    }

    @Test
    void aTruncatedOrChangedLibraryIsExtractedAgain() throws Exception {
        RedistJar redist = new RedistJar(jar(), tmp.resolve("cache"));
        redist.extract();
        Path cublas = redist.library("libcublas.so.12");
        Files.write(cublas, new byte[100]);
        Path cudnn = redist.library("libcudnn.so.9");
        byte[] same = Files.readAllBytes(cudnn);
        same[SIZE / 2] ^= 1;
        FileTime before = Files.getLastModifiedTime(cudnn);
        Files.write(cudnn, same);
        Files.setLastModifiedTime(cudnn, FileTime.fromMillis(before.toMillis() + 1000));
        Files.delete(RedistJar.stampOf(redist.library("libcudnn_ops.so.9")));
        assertEquals(List.of("libcublas.so.12", "libcudnn_ops.so.9", "libcudnn.so.9"), redist.extract());
        assertExtracted(redist.folder());
    }

    @Test
    void leftoversOfAKilledExtractionAreRemoved() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("cache"));
        Files.write(folder.resolve("libcublasLt.so.12.123.part"), new byte[10]);
        Files.write(folder.resolve("libcublasLt.so.12.456.stamp"), new byte[10]);
        new RedistJar(jar(), folder).extract();
        assertExtracted(folder);
    }

    @Test
    void aMissingLibraryIsNamed() throws Exception {
        List<String> names = new ArrayList<>(RedistJar.LIBRARIES);
        names.remove("libcudnn_cnn.so.9");
        Path jar = FakeRedistJar.write(tmp.resolve("partial.jar"), names, 1000);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new RedistJar(jar, tmp.resolve("cache")).extract());
        assertEquals(jar + " has no org/bytedeco/cuda/linux-x86_64/libcudnn_cnn.so.9; expected the jar "
                + RedistJar.COORDINATES, e.getMessage());
    }

    @Test
    void aDamagedEntryIsRefusedAndNothingIsLeftOfIt() throws Exception {
        Path jar = jar();
        byte[] b = Files.readAllBytes(jar);
        byte[] marker = ("fake libcudnn_ops.so.9 fake").getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(b, marker);
        assertTrue(at > 0, "the stored entry's bytes are in the jar");
        b[at + 1] ^= 0x20;
        Files.write(jar, b);
        RedistJar redist = new RedistJar(jar, tmp.resolve("cache"));
        IllegalStateException e = assertThrows(IllegalStateException.class, redist::extract);
        assertTrue(e.getMessage().startsWith(jar + " is damaged: entry org/bytedeco/cuda/linux-x86_64/libcudnn_ops.so.9"
                + " gave " + SIZE + " bytes with CRC-32 "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; download it again"), e.getMessage());
        assertTrue(Files.notExists(redist.library("libcudnn_ops.so.9")));
        try (Stream<Path> files = Files.list(redist.folder())) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".part")), "the temporary file is removed");
        }
    }

    @Test
    void twoThreadsExtractingAtOnceWriteEachLibraryOnce() throws Exception {
        Path jar = jar();
        Path folder = tmp.resolve("cache");
        CyclicBarrier start = new CyclicBarrier(2);
        Callable<List<String>> extract = () -> {
            start.await();
            return new RedistJar(jar, folder).extract();
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<String>> a = pool.submit(extract);
            Future<List<String>> b = pool.submit(extract);
            List<String> all = new ArrayList<>(a.get(60, TimeUnit.SECONDS));
            all.addAll(b.get(60, TimeUnit.SECONDS));
            assertEquals(RedistJar.LIBRARIES.size(), all.size(), "written: " + all);
        } finally {
            pool.shutdownNow();
        }
        assertExtracted(folder);
    }

    @Test
    void twoJvmsExtractingAtOnceBothSucceedAndWriteEachLibraryOnce() throws Exception {
        // large enough entries that the two extractions overlap in time
        Path jar = FakeRedistJar.write(tmp.resolve("big.jar"), RedistJar.LIBRARIES, 8 << 20);
        Path folder = tmp.resolve("cache");
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            children.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), RedistExtractMain.class.getName(), jar.toString(),
                    folder.toString()).redirectErrorStream(true).start());
        }
        int written = 0;
        for (Process p : children) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "a child JVM did not finish");
            assertEquals(0, p.exitValue(), "child JVM failed:\n" + out);
            String line = out.lines().filter(l -> l.startsWith("written: ")).findFirst().orElseThrow(
                    () -> new AssertionError("child JVM output:\n" + out));
            written += Integer.parseInt(line.substring("written: ".length()).strip());
        }
        assertEquals(RedistJar.LIBRARIES.size(), written, "each library is written by one of the two JVMs");
        for (String name : RedistJar.LIBRARIES) {
            assertArrayEquals(FakeRedistJar.content(name, 8 << 20), Files.readAllBytes(folder.resolve(name)), name);
        }
    }

    @Test
    void theJarIsFoundOnTheClassPathAndItsVersionNamesTheFolder() throws Exception {
        Path jar = jar();
        Path cacheRoot = tmp.resolve("root");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            RedistJar redist = RedistJar.onClassPath(loader, cacheRoot).orElseThrow();
            assertEquals(jar.toRealPath(), redist.jar().toRealPath());
            assertEquals(cacheRoot.resolve("redist/cuda-" + FakeRedistJar.VERSION), redist.folder());
            assertEquals("the redist jar " + redist.jar() + ", extracted to " + redist.folder(), redist.origin());
        }
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertTrue(RedistJar.onClassPath(empty, cacheRoot).isEmpty());
        }
    }

    @Test
    void theProbeTakesCublasAndCudnnFromTheJarOnceTheDriverIsFound() throws Exception {
        Path sys = Files.createDirectories(tmp.resolve("sys"));
        LibraryLocator locator = new LibraryLocator(List.of(sys), List.of(), List.of());
        RedistJar redist = new RedistJar(jar(), tmp.resolve("cache"));
        NativeProbe.Result none = new NativeProbe(locator, redist, List.of(), "Linux", "amd64").check();
        assertTrue(none.problem().startsWith("no NVIDIA driver"), none.problem());
        assertTrue(Files.notExists(redist.folder()), "nothing is extracted on a machine without a driver");

        Files.write(sys.resolve("libcuda.so.1"), FakeRedistJar.content("libcuda.so.1", 64));
        // a system cuBLAS is there too: the jar's libraries win, as one set
        Files.write(sys.resolve("libcublas.so.13"), FakeRedistJar.content("libcublas.so.13", 64));
        Files.write(sys.resolve("libcublasLt.so.13"), FakeRedistJar.content("libcublasLt.so.13", 64));
        NativeProbe.Plan plan = new NativeProbe(locator, redist, List.of(), "Linux", "amd64").check().plan();
        assertEquals(sys.resolve("libcuda.so.1"), plan.driver());
        assertEquals(redist.library("libcublas.so.12"), plan.cublas().path());
        assertEquals("libcublas.so.11", plan.cublas().wanted());
        assertEquals(redist.library("libcudnn.so.9"), plan.cudnn().path());
        assertEquals(redist.origin(), plan.cudnn().origin());
        assertEquals(RedistJar.LIBRARIES.stream().map(redist::library).toList(), plan.preload());
        assertExtracted(redist.folder());
        assertEquals("libcudnn.so.9 (retargeted from libcudnn.so.8) at " + redist.library("libcudnn.so.9") + " (from the"
                + " redist jar " + redist.jar() + ", extracted to " + redist.folder() + ")",
                JCudaLoader.describe(plan.cudnn()));

        NativeProbe.Plan system = new NativeProbe(locator, null, List.of(), "Linux", "amd64").check().plan();
        assertEquals(null, system, "without the jar there is no cuDNN here");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
