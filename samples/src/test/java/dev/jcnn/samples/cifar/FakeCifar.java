package dev.jcnn.samples.cifar;

import dev.jcnn.data.Cifar10;
import dev.jcnn.data.CifarImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** A small CIFAR-10 binary folder: five training files and a test file of generated records. */
public final class FakeCifar {

    private FakeCifar() {
    }

    /**
     * Writes {@code root/cifar-10-batches-bin} with perFile records in each training file and
     * testRecords in the test file; returns that folder. Each image is a class-dependent
     * pattern (a bright square in one of ten places, in one of the three planes), with noise,
     * so that a small network can learn it.
     */
    public static Path write(Path root, int perFile, int testRecords) throws IOException {
        Path dir = Files.createDirectories(root.resolve(Cifar10.FOLDER));
        java.util.Random r = new java.util.Random(7);
        for (int k = 0; k < 5; k++) {
            Files.write(dir.resolve(Cifar10.TRAIN_FILES.get(k)), records(perFile, r));
        }
        Files.write(dir.resolve(Cifar10.TEST_FILE), records(testRecords, r));
        Files.writeString(dir.resolve(Cifar10.META_FILE), String.join("\n", Cifar10.CLASS_NAMES) + "\n\n");
        return dir;
    }

    /**
     * The binary archive as published, but tiny: {@code cifar-10-batches-bin/} with perFile
     * records in each of the six batch files, gzipped; with {@link #archive} its checksum.
     */
    public static byte[] tarGz(Path work, int perFile) throws IOException {
        Path dir = write(work, perFile, perFile);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            tar.putArchiveEntry(new TarArchiveEntry(Cifar10.FOLDER + "/"));
            tar.closeArchiveEntry();
            for (String name : Cifar10.files()) {
                TarArchiveEntry e = new TarArchiveEntry(Cifar10.FOLDER + "/" + name);
                byte[] content = Files.readAllBytes(dir.resolve(name));
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** What {@link CifarLocator} must expect of an archive: its MD5 and perFile records a batch. */
    public static CifarLocator.Archive archive(byte[] tarGz, int perFile) throws Exception {
        return new CifarLocator.Archive(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(tarGz)),
                (long) perFile * CifarImages.RECORD_BYTES);
    }

    private static byte[] records(int n, java.util.Random random) {
        byte[] b = new byte[n * CifarImages.RECORD_BYTES];
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(10);
            int at = i * CifarImages.RECORD_BYTES;
            b[at] = (byte) label;
            int plane = label % 3;
            int y0 = (label / 5) * 16;
            int x0 = (label % 5) * 6;
            for (int p = 0; p < CifarImages.IMAGE_BYTES; p++) {
                int c = p / 1024;
                int y = (p % 1024) / 32;
                int x = p % 32;
                boolean on = c == plane && y >= y0 && y < y0 + 12 && x >= x0 && x < x0 + 6;
                b[at + 1 + p] = (byte) (on ? 200 + random.nextInt(56) : random.nextInt(60));
            }
        }
        return b;
    }
}
