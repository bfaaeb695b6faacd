package dev.jcnn.cuda.natives;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks that a cuDNN or cuBLAS release has every function cuda-backend calls. The names come
 * from the sources ({@code cudnnX(} / {@code cublasX(} that are static methods of JCuda's
 * class: own helpers and JCuda's handle constructors are not); the C symbol each one binds to
 * is the one JCuda's JNI library imports (JCublas2's {@code cublasCreate} calls
 * {@code cublasCreate_v2}); the release must define that symbol in its .dynsym. JCuda's JNI
 * libraries are loaded lazily (RTLD_LAZY), so a missing function would only fail when first
 * called on a GPU; this finds it from the files.
 */
public final class ExportCheck {

    /** A call site's name, the C symbol JCuda's JNI library imports for it (null if none), for one library. */
    public record Binding(String name, String symbol) {
    }

    private ExportCheck() {
    }

    /** The names of {@code jcudaClass}'s public static methods called in the .java files under {@code sources}. */
    public static SortedSet<String> calledNames(Path sources, Class<?> jcudaClass, String prefix) {
        Set<String> methods = Stream.of(jcudaClass.getMethods()).filter(m -> Modifier.isStatic(m.getModifiers()))
                .map(Method::getName).collect(Collectors.toSet());
        Pattern call = Pattern.compile("\\b(" + prefix + "[A-Z]\\w*)\\s*\\(");
        SortedSet<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = call.matcher(code(Files.readString(f)));
                while (m.find()) {
                    if (methods.contains(m.group(1))) {
                        out.add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the sources under " + sources, e);
        }
        return out;
    }

    /** Java source without its comments, so that a name only mentioned in prose does not count. */
    static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
    }

    /** The symbols an ELF image imports (undefined in its .dynsym). */
    public static Set<String> imports(ElfFile elf) {
        return elf.dynamicSymbols().stream().filter(s -> !s.defined()).map(ElfFile.DynamicSymbol::name)
                .collect(Collectors.toSet());
    }

    /** The symbols an ELF image defines (exports) in its .dynsym. */
    public static Set<String> exports(ElfFile elf) {
        return elf.dynamicSymbols().stream().filter(ElfFile.DynamicSymbol::defined).map(ElfFile.DynamicSymbol::name)
                .collect(Collectors.toSet());
    }

    /** The symbol the JNI library imports for a Java name: the cuBLAS v2 name ({@code _v2}) if it imports that, else the name. */
    public static List<Binding> bind(Set<String> names, Set<String> jniImports) {
        List<Binding> out = new ArrayList<>();
        for (String n : names) {
            String symbol = jniImports.contains(n + "_v2") ? n + "_v2" : jniImports.contains(n) ? n : null;
            out.add(new Binding(n, symbol));
        }
        return out;
    }

    /**
     * The calls of cuda-backend, their bindings in JCuda's JNI libraries and what a cuDNN and a cuBLAS release lack of them.
     *
     * @param legacyMissing the cuDNN functions JCudnn imports that the release does not export (none is called)
     */
    public record Report(int cudnnCalls, int cublasCalls, List<String> problems, SortedSet<String> legacyMissing) {

        /** A few lines for the build log. */
        public String summary() {
            return "export check: " + cudnnCalls + " cuDNN and " + cublasCalls + " cuBLAS functions called;"
                    + (problems.isEmpty() ? " all exported" : " missing: " + problems) + "\nJCudnn imports "
                    + legacyMissing.size() + " functions the cuDNN release lacks (none called): " + legacyMissing;
        }
    }

    /** Checks the sources under {@code sources} against a libcudnn and a libcublas file. */
    public static Report check(Path sources, Path cudnnLibrary, Path cublasLibrary) throws IOException {
        Set<String> cudnnImports = imports(ElfFile.of(JniLibraries.read(JniLibraries.CUDNN), JniLibraries.CUDNN));
        Set<String> cublasImports = imports(ElfFile.of(JniLibraries.read(JniLibraries.CUBLAS2), JniLibraries.CUBLAS2));
        Set<String> cudnnExports = exports(ElfFile.read(cudnnLibrary));
        Set<String> cublasExports = exports(ElfFile.read(cublasLibrary));
        SortedSet<String> cudnn = calledNames(sources, jcuda.jcudnn.JCudnn.class, "cudnn");
        SortedSet<String> cublas = calledNames(sources, jcuda.jcublas.JCublas2.class, "cublas");
        List<String> problems = new ArrayList<>(problems(bind(cudnn, cudnnImports), cudnnExports,
                cudnnLibrary.getFileName().toString()));
        problems.addAll(problems(bind(cublas, cublasImports), cublasExports, cublasLibrary.getFileName().toString()));
        SortedSet<String> legacy = new TreeSet<>();
        for (String s : cudnnImports) {
            if (s.startsWith("cudnn") && !cudnnExports.contains(s)) {
                legacy.add(s);
            }
        }
        return new Report(cudnn.size(), cublas.size(), problems, legacy);
    }

    /** One line per call that the library cannot serve; empty when it has them all. */
    public static List<String> problems(List<Binding> bindings, Set<String> exports, String library) {
        List<String> out = new ArrayList<>();
        for (Binding b : bindings) {
            if (b.symbol() == null) {
                out.add(b.name() + ": JCuda's JNI library imports neither " + b.name() + " nor " + b.name() + "_v2");
            } else if (!exports.contains(b.symbol())) {
                out.add(b.name() + ": " + library + " does not export " + b.symbol());
            }
        }
        return out;
    }
}
