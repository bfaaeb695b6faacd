package dev.jcnn.golden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the golden case files: every {@code .json} file in the folder named by the system
 * property {@code jcnn.golden.dir}, or else in the class-path folder {@code golden/} (a
 * directory in cpu-reference's own tests, an entry of its test-jar for other modules).
 */
public final class GoldenCases {

    /** The system property that points the golden tests at another folder of cases. */
    public static final String DIRECTORY_PROPERTY = "jcnn.golden.dir";

    private GoldenCases() {
    }

    /** A case file: its name (e.g. "conv2d_....json") and where to read it. */
    public record CaseFile(String fileName, URL url) {
        public GoldenCase parse() {
            try (InputStream in = url.openStream()) {
                return GoldenCase.parse(fileName, in);
            } catch (IOException e) {
                throw new UncheckedIOException(fileName + ": cannot read " + url + ": " + e.getMessage(), e);
            }
        }
    }

    /** Every case file, sorted by name. */
    public static List<CaseFile> all() {
        String dir = System.getProperty(DIRECTORY_PROPERTY);
        if (dir != null && !dir.isBlank()) {
            return inDirectory(Paths.get(dir));
        }
        URL root = GoldenCases.class.getResource("/golden");
        if (root == null) {
            throw new IllegalStateException("no golden/ folder on the class path and no -D" + DIRECTORY_PROPERTY
                    + "; cpu-reference's test resources (or its test-jar) hold the cases");
        }
        try {
            return switch (root.getProtocol()) {
                case "file" -> inDirectory(Paths.get(root.toURI()));
                case "jar" -> inJar(root);
                default -> throw new IllegalStateException("cannot list golden cases at " + root);
            };
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot list golden cases at " + root + ": " + e.getMessage(), e);
        }
    }

    private static List<CaseFile> inDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("golden case folder " + dir.toAbsolutePath() + " does not exist");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .map(p -> {
                        try {
                            return new CaseFile(p.getFileName().toString(), p.toUri().toURL());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static List<CaseFile> inJar(URL root) throws IOException {
        String spec = root.getPath();                  // file:/.../x.jar!/golden
        String jarPath = spec.substring("file:".length(), spec.indexOf("!/"));
        List<CaseFile> out = new ArrayList<>();
        try (JarFile jar = new JarFile(java.net.URLDecoder.decode(jarPath, java.nio.charset.StandardCharsets.UTF_8))) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                String name = e.getName();
                if (name.startsWith("golden/") && name.endsWith(".json") && name.indexOf('/', "golden/".length()) < 0) {
                    out.add(new CaseFile(name.substring("golden/".length()), new URL("jar:file:" + jarPath + "!/" + name)));
                }
            }
        }
        out.sort(Comparator.comparing(CaseFile::fileName));
        return out;
    }
}
