package dev.jcnn.cuda.natives;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Compares the cuDNN and cuBLAS constants cuda-backend uses, as JCuda 11.7 defines them (from
 * cuDNN 8.4's and cuBLAS 11.7's headers), with a release's headers, as JavaCPP's classes for
 * that release define them ({@code org.bytedeco.cuda.global.cudnn} and {@code .cublas}, which
 * its parser generates from the headers). The values are read with {@code javap -constants},
 * because initialising either class would load native code.
 */
public final class HeaderConstants {

    private static final Pattern CONSTANT = Pattern.compile(
            "public static final (?:int|long|float|double) ((?:CUDNN|CUBLAS)_\\w+) = ([^;]+);");
    private static final Pattern NAME = Pattern.compile("\\b((?:CUDNN|CUBLAS)_[A-Z0-9_]+)\\b");

    private HeaderConstants() {
    }

    /** NAME = value for every CUDNN_/CUBLAS_ constant in javap's output, the first definition of each name kept. */
    public static SortedMap<String, String> parse(String javapOutput) {
        SortedMap<String, String> out = new TreeMap<>();
        Matcher m = CONSTANT.matcher(javapOutput);
        while (m.find()) {
            out.putIfAbsent(m.group(1), m.group(2).strip());
        }
        return out;
    }

    /** The CUDNN_/CUBLAS_ names in the code (comments removed) of the .java files under {@code sources}. */
    public static SortedSet<String> usedNames(Path sources) {
        SortedSet<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = NAME.matcher(ExportCheck.code(Files.readString(f)));
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the sources under " + sources, e);
        }
        return out;
    }

    /**
     * One line per name whose value differs, or that the release does not define; names JCuda
     * does not define (the backend's own) are left out.
     */
    public static List<String> mismatches(SortedSet<String> names, Map<String, String> jcuda, Map<String, String> release) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String j = jcuda.get(n);
            if (j == null) {
                continue;
            }
            String r = release.get(n);
            if (r == null) {
                out.add(n + ": JCuda " + j + ", not defined by the release");
            } else if (!r.equals(j)) {
                out.add(n + ": JCuda " + j + ", the release " + r);
            }
        }
        return out;
    }

    /** The constants of the classes in {@code jar} whose names start with {@code prefix} (a package path, e.g. "jcuda/jcudnn/"). */
    public static SortedMap<String, String> ofJar(Path jar, String prefix) {
        List<String> classes = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith(prefix) && n.endsWith(".class") && !n.contains("$")
                            && n.indexOf('/', prefix.length()) < 0)
                    .forEach(n -> classes.add(n.substring(0, n.length() - 6).replace('/', '.')));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + jar, e);
        }
        List<String> args = new ArrayList<>(List.of("-constants", "-cp", jar.toString()));
        args.addAll(classes);
        return parse(javap(args, jar));
    }

    /**
     * The native methods of one class of {@code jar} that carry the Deprecated attribute (JavaCPP
     * marks the functions its headers declare deprecated), from {@code javap -v}.
     */
    public static SortedSet<String> deprecated(Path jar, String className) {
        String out = javap(List.of("-v", "-cp", jar.toString(), className), jar);
        SortedSet<String> names = new TreeSet<>();
        Pattern method = Pattern.compile("public static native \\S+ (\\w+)\\(");
        String current = null;
        for (String line : out.split("\n")) {
            Matcher m = method.matcher(line);
            if (m.find()) {
                current = m.group(1);
            } else if (line.isBlank()) {
                current = null;
            } else if (current != null && line.contains("Deprecated: true")) {
                names.add(current);
                current = null;
            }
        }
        return names;
    }

    private static String javap(List<String> args, Path jar) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javap").toString()));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("javap failed on " + jar + ":\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("running javap (a JDK is needed) on " + jar, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The jar file holding a class-path resource. */
    public static Path jarOf(String resource) {
        URL url = HeaderConstants.class.getClassLoader().getResource(resource);
        if (url == null || !"jar".equals(url.getProtocol())) {
            throw new IllegalStateException(resource + " is not in a jar on the class path: " + url);
        }
        try {
            return Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot locate the jar of " + url, e);
        }
    }
}
