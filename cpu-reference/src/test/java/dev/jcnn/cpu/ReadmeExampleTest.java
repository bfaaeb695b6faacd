package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's Java program, as a new user would meet it: compiled from the README's text
 * against the library alone (this module's classes and its runtime class path, which Maven
 * writes to target/runtime-class-path.txt: jcnn-core and log4j-api, no samples, no test
 * classes), then run in a JVM of its own on a small MNIST folder in the IDX format.
 *
 * <p>It lives here because this module's runtime class path is exactly what depending on
 * jcnn-cpu-reference gives a user (jcnn-core comes with it); a test in the samples would see
 * the command line's classes and dependencies and prove nothing.
 */
class ReadmeExampleTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void readmeProgramCompilesAndRunsAgainstTheLibraryAlone(@TempDir Path dir) throws Exception {
        String source = javaBlock(Files.readString(ROOT.resolve("README.md")), "## A model in a few lines");
        Matcher cls = Pattern.compile("public (?:final )?class (\\w+)").matcher(source);
        assertTrue(cls.find(), "README's example declares a public class");
        String className = cls.group(1);
        assertTrue(!source.contains("dev.jcnn.samples"), "README's example uses nothing of the samples");

        Path src = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(src.resolve(className + ".java"), source);
        String classPath = libraryClassPath();
        compile(src.resolve(className + ".java"), classes, classPath);

        Path work = Files.createDirectories(dir.resolve("work"));
        Path mnist = writeMnist(Files.createDirectories(work.resolve("mnist")), 192, 64);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xmx512m", "-cp",
                classes + File.pathSeparator + classPath, className, mnist.toString())
                .directory(work.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "README's example finished");
        String output = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "README's example exited with " + p.exitValue() + ":\n" + output);
        assertTrue(output.contains("Total params: 61,706"), "the summary is printed:\n" + output);
        Matcher acc = Pattern.compile("test accuracy (\\d\\.\\d{4})").matcher(output);
        assertTrue(acc.find(), "the test accuracy is printed:\n" + output);
        double accuracy = Double.parseDouble(acc.group(1));
        assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
        Path saved = work.resolve("lenet5.jcnn");
        assertTrue(Files.size(saved) > 61_706L * 4, "the weights are saved: " + saved);
    }

    /** The first ```java block after the heading. */
    static String javaBlock(String text, String heading) {
        int from = text.indexOf(heading);
        assertTrue(from >= 0, "README.md has a section " + heading);
        int start = text.indexOf("```java", from);
        assertTrue(start >= 0, "README.md has a ```java block under " + heading);
        return text.substring(start + 7, text.indexOf("```", start + 7));
    }

    /** This module's classes and its runtime dependencies, as Maven resolved them. */
    private static String libraryClassPath() throws IOException {
        Path listed = Path.of("target", "runtime-class-path.txt");
        assertTrue(Files.isRegularFile(listed), listed + " is written by the build (maven-dependency-plugin)");
        String deps = Files.readString(listed).strip();
        for (String entry : deps.split(File.pathSeparator)) {
            assertTrue(!entry.contains("samples") && !entry.contains("test-classes") && !entry.contains("log4j-core"),
                    "the library's runtime class path holds no samples, test classes or logging implementation: "
                            + entry);
        }
        return Path.of("target", "classes").toAbsolutePath() + File.pathSeparator + deps;
    }

    private static void compile(Path file, Path classes, String classPath) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", classPath, "-d", classes.toString(), "-Xlint:all",
                    "-Xlint:-classfile", "-proc:none");
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(file)).call();
            List<String> problems = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.NOTE) {
                    problems.add(d.getKind() + " line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
                }
            }
            assertTrue(ok && problems.isEmpty(), "README's example compiles without warnings: " + problems);
        }
    }

    /** MNIST's four files (the test images gzipped, as downloads are): pixels that depend on the label. */
    private static Path writeMnist(Path dir, int train, int test) throws IOException {
        writeSet(dir, "train", train, false);
        writeSet(dir, "t10k", test, true);
        return dir;
    }

    private static void writeSet(Path dir, String prefix, int n, boolean gzip) throws IOException {
        byte[] pixels = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = (i * 7) % 10;
            labels[i] = (byte) label;
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    boolean on = c / 3 == label && (r + i) % 5 != 0;
                    pixels[(i * 28 + r) * 28 + c] = (byte) (on ? 255 : (i + r * c) % 16);
                }
            }
        }
        write(dir.resolve(prefix + "-images-idx3-ubyte" + (gzip ? ".gz" : "")), idx(0x803, new int[] {n, 28, 28}, pixels),
                gzip);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + (gzip ? ".gz" : "")), idx(0x801, new int[] {n}, labels), gzip);
    }

    private static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    private static void write(Path file, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }
}
