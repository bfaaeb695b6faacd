package dev.jcnn.cuda.natives;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a shared library by its file name where the dynamic linker would look for it:
 * the folders of LD_LIBRARY_PATH, the paths listed in /etc/ld.so.cache and the default
 * folders, in that order. Only 64-bit ELF files count, so that a 32-bit copy in the cache
 * is not mistaken for one the JVM can load. Reads files only: loads nothing.
 */
public final class LibraryLocator {

    /** The default folders of a 64-bit glibc system (Debian/Ubuntu multiarch first, then Red Hat's). */
    static final List<Path> DEFAULT_DIRS = List.of(Path.of("/lib/x86_64-linux-gnu"), Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/lib64"), Path.of("/usr/lib64"), Path.of("/lib"), Path.of("/usr/lib"));

    private final List<Path> envDirs;
    private final List<Path> cachePaths;
    private final List<Path> defaultDirs;
    private final String envDescription;

    /**
     * @param envDirs     the folders of LD_LIBRARY_PATH, in order
     * @param cachePaths  the library paths listed in the linker cache
     * @param defaultDirs the linker's default folders
     */
    public LibraryLocator(List<Path> envDirs, List<Path> cachePaths, List<Path> defaultDirs) {
        this.envDirs = List.copyOf(envDirs);
        this.cachePaths = List.copyOf(cachePaths);
        this.defaultDirs = List.copyOf(defaultDirs);
        this.envDescription = envDirs.isEmpty() ? "LD_LIBRARY_PATH (unset)" : "LD_LIBRARY_PATH " + envDirs;
    }

    /** This machine's locator: the JVM's LD_LIBRARY_PATH, /etc/ld.so.cache and the default folders. */
    public static LibraryLocator system() {
        return new LibraryLocator(splitPath(System.getenv("LD_LIBRARY_PATH")), readLinkerCache(Path.of("/etc/ld.so.cache")),
                DEFAULT_DIRS);
    }

    /** A library file found, and where the search found it (for messages: "LD_LIBRARY_PATH", "the linker cache", ...). */
    public record Located(Path path, String origin) {
    }

    /** The first loadable file named {@code fileName}, searching {@code extraDirs} after LD_LIBRARY_PATH (as a RUNPATH). */
    public Optional<Path> find(String fileName, List<Path> extraDirs) {
        return locate(fileName, extraDirs).map(Located::path);
    }

    /** As {@link #find(String, List)}, saying which part of the search found the file. */
    public Optional<Located> locate(String fileName, List<Path> extraDirs) {
        for (Path dir : envDirs) {
            Optional<Path> p = candidate(dir.resolve(fileName));
            if (p.isPresent()) {
                return Optional.of(new Located(p.get(), "LD_LIBRARY_PATH"));
            }
        }
        for (Path dir : extraDirs) {
            Optional<Path> p = candidate(dir.resolve(fileName));
            if (p.isPresent()) {
                return Optional.of(new Located(p.get(), "the folder " + dir));
            }
        }
        for (Path p : cachePaths) {
            if (p.getFileName() != null && p.getFileName().toString().equals(fileName)) {
                Optional<Path> c = candidate(p);
                if (c.isPresent()) {
                    return Optional.of(new Located(c.get(), "the linker cache"));
                }
            }
        }
        for (Path dir : defaultDirs) {
            Optional<Path> p = candidate(dir.resolve(fileName));
            if (p.isPresent()) {
                return Optional.of(new Located(p.get(), "a default folder of the linker"));
            }
        }
        return Optional.empty();
    }

    /** The first loadable file named {@code fileName}. */
    public Optional<Path> find(String fileName) {
        return find(fileName, List.of());
    }

    /** Where {@link #find(String, List)} looks, for messages. */
    public String searched(List<Path> extraDirs) {
        StringBuilder b = new StringBuilder(envDescription);
        if (!extraDirs.isEmpty()) {
            b.append(", ").append(extraDirs);
        }
        b.append(", the linker cache (").append(cachePaths.size()).append(" entries), ").append(defaultDirs);
        return b.toString();
    }

    /** The folders of a colon-separated path list; empty entries are dropped. */
    static List<Path> splitPath(String value) {
        List<Path> out = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(":")) {
                if (!part.isBlank()) {
                    out.add(Path.of(part));
                }
            }
        }
        return out;
    }

    /**
     * The absolute paths in a glibc linker cache. Both cache formats keep the paths as
     * NUL-terminated strings, so they are picked out without parsing the entry tables.
     */
    static List<Path> readLinkerCache(Path cache) {
        byte[] b;
        try {
            b = Files.readAllBytes(cache);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        Set<Path> out = new LinkedHashSet<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                if (i - start > 1 && b[start] == '/') {
                    String s = new String(b, start, i - start, java.nio.charset.StandardCharsets.ISO_8859_1);
                    if (s.chars().allMatch(c -> c > 32 && c < 127)) {
                        out.add(Path.of(s));
                    }
                }
                start = i + 1;
            }
        }
        return new ArrayList<>(out);
    }

    /** The file, if it exists and is a 64-bit ELF object (symbolic links followed). */
    private static Optional<Path> candidate(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] h = in.readNBytes(5);
            boolean elf64 = h.length == 5 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F' && h[4] == 2;
            return elf64 ? Optional.of(file) : Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
