package dev.jcnn.samples.mnist;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/** Checks a file against its {@link ExpectedFile}: length and SHA-256 of the uncompressed bytes. */
final class Checksums {

    private Checksums() {
    }

    /** Length and SHA-256 of the file's bytes, after gunzip when it starts with the gzip signature. */
    record Digest(long bytes, String sha256) {
    }

    static Digest digest(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (InputStream in = new DigestInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, sha)) {
                long n = in.transferTo(java.io.OutputStream.nullOutputStream());
                return new Digest(n, HexFormat.of().formatHex(sha.digest()));
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                throw new FetchException(file + ": the gzip data is truncated or corrupt (" + e.getMessage() + ")", e);
            }
        }
    }

    /** The SHA-256 of the file's bytes as they are (a .gz is not decompressed). */
    static String fileSha256(Path file) throws IOException {
        return dev.jcnn.samples.fetch.Mirrors.fileDigest(file, "SHA-256");
    }

    /**
     * Throws unless the file has the expected length and checksum.
     *
     * @param origin where the file came from, for the message (a URL, "npm pack ...", or the file itself)
     */
    static void verify(Path file, ExpectedFile expected, String origin) throws IOException {
        Digest d = digest(file);
        if (d.bytes() != expected.bytes() || !d.sha256().equals(expected.sha256())) {
            throw new FetchException(origin + ": not the expected " + expected.name() + ": SHA-256 " + d.sha256()
                    + " and " + d.bytes() + " bytes, expected SHA-256 " + expected.sha256() + " and "
                    + expected.bytes() + " bytes");
        }
    }
}
