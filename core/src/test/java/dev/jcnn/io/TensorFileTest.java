package dev.jcnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.tensor.Shape;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class TensorFileTest {

    @TempDir
    Path dir;

    private Path small() throws Exception {
        Path file = dir.resolve("small.jcnn");
        Map<String, TensorFile.Entry> tensors = new LinkedHashMap<>();
        tensors.put("dense_1/kernel", new TensorFile.Entry(Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, -6}));
        tensors.put("dense_1/bias", new TensorFile.Entry(Shape.of(3), new float[] {0.5f, 0, -0.25f}));
        TensorFile.write(file, Map.of("model", "tiny"), tensors);
        return file;
    }

    /** Replaces the stored checksum with the right one, as a hostile writer would. */
    private static byte[] withCrc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 8);
        ByteBuffer.wrap(b, b.length - 8, 8).putLong(crc.getValue());
        return b;
    }

    @Test
    void roundTripsMetadataAndTensorsInOrder() throws Exception {
        TensorFile.Contents c = TensorFile.read(small());
        assertEquals(Map.of("model", "tiny"), c.metadata());
        assertEquals(java.util.List.of("dense_1/kernel", "dense_1/bias"), java.util.List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, -6}, c.tensors().get("dense_1/kernel").data());
        assertEquals(Shape.of(3), c.tensors().get("dense_1/bias").shape());
    }

    /** Atomic writes used to leave saved models owner-only (createTempFile's 0600) beside 0644 plots. */
    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aWrittenFileIsAsReadableAsAnyNewFileInItsFolder() throws Exception {
        Path plain = Files.write(dir.resolve("plain.txt"), new byte[] {1});
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(small()));
        TensorFile.writeAtomically(dir.resolve("report.html"), new byte[] {2});
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(dir.resolve("report.html")));
        try (var left = Files.list(dir)) {
            assertEquals(0, left.filter(f -> f.toString().endsWith(".tmp")).count(), "no temporary file is left");
        }
    }

    @Test
    void refusesASparseFileOverTheLimitWithoutReadingIt() throws Exception {
        // On the old reader this was an OutOfMemoryError: it read all 3 GB before any check.
        Path big = dir.resolve("big.jcnn");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> TensorFile.read(big));
        assertTrue(e.getMessage().contains("big.jcnn at offset 0: file is 3221225472 bytes, more than the limit of "
                + TensorFile.MAX_FILE_BYTES), e.getMessage());
    }

    @Test
    void aLargeFileWithTheMagicIsStreamedNotHeld() throws Exception {
        // The old reader held the whole file: 1.9 GB took 4 GB resident before the checksum failed.
        Path big = dir.resolve("magic.jcnn");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.write("JCNNTNSR".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            f.setLength(256L << 20);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> TensorFile.read(big));
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(e.getMessage().contains("magic.jcnn at offset " + ((256L << 20) - 8) + ": checksum mismatch"),
                e.getMessage());
        assertTrue(allocated < 16 << 20, allocated + " bytes allocated to read a file of 256 MB");
    }

    @Test
    void aStatedLimitIsKept() throws Exception {
        Path file = small();
        long length = Files.size(file);
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> TensorFile.read(file, length - 1));
        assertTrue(e.getMessage().contains("more than the limit of " + (length - 1) + " bytes"), e.getMessage());
        assertEquals(2, TensorFile.read(file, length).tensors().size());
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void refusesADeviceAndADirectoryNamingThePath() {
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> TensorFile.read(Path.of("/dev/zero")));
        assertTrue(e.getMessage().startsWith("/dev/zero: is not a regular file"), e.getMessage());
        e = assertThrows(WeightsFileException.class, () -> TensorFile.read(dir));
        assertEquals(dir + ": is a directory, expected a jcnn weights file", e.getMessage());
    }

    @Test
    void aHostileShapeWithAValidChecksumIsRefusedBeforeAllocating() throws Exception {
        byte[] b = Files.readAllBytes(small());
        // The first tensor's rank-2 dims follow magic(8) version(4) M(4) "model"(4+5) "tiny"(4+4) T(4) name(4+14) rank(4).
        int dims = 8 + 4 + 4 + 9 + 8 + 4 + 18 + 4;
        assertEquals(2, ByteBuffer.wrap(b, dims, 4).getInt());
        ByteBuffer.wrap(b, dims, 8).putInt(1 << 30).putInt(1 << 30);
        Path hostile = dir.resolve("hostile.jcnn");
        Files.write(hostile, withCrc(b));
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> TensorFile.read(hostile));
        assertTrue(e.getMessage().contains("hostile.jcnn at offset " + (dims + 4) + ": tensor 'dense_1/kernel'")
                && e.getMessage().contains("needs 4294967296 bytes, only"), e.getMessage());
    }

    @Test
    void aSixtyFourBitChecksumFieldIsNotCalledACrc32() throws Exception {
        byte[] b = Files.readAllBytes(small());
        Arrays.fill(b, b.length - 8, b.length, (byte) 0xFF);
        Path bad = dir.resolve("bad.jcnn");
        Files.write(bad, b);
        WeightsFileException e = assertThrows(WeightsFileException.class, () -> TensorFile.read(bad));
        assertTrue(e.getMessage().contains("at offset " + (b.length - 8) + ": checksum mismatch: the checksum field"
                + " holds 0xffffffffffffffff, which is no CRC-32"), e.getMessage());
        Arrays.fill(b, b.length - 8, b.length - 4, (byte) 0);
        Files.write(bad, b);
        e = assertThrows(WeightsFileException.class, () -> TensorFile.read(bad));
        assertTrue(e.getMessage().matches(".*stored CRC-32 0xffffffff, computed CRC-32 0x[0-9a-f]{8} .*"),
                e.getMessage());
    }

    @Test
    void everyTruncationAndEveryFlippedByteIsRefusedNamingTheFileAndOffset() throws Exception {
        byte[] good = Files.readAllBytes(small());
        Path bad = dir.resolve("bad.jcnn");
        for (int n = 0; n < good.length; n++) {
            Files.write(bad, Arrays.copyOf(good, n));
            WeightsFileException e = assertThrows(WeightsFileException.class, () -> TensorFile.read(bad), "length " + n);
            assertTrue(e.getMessage().startsWith(bad + " at offset "), e.getMessage());
        }
        for (int i = 0; i < good.length; i++) {
            byte[] flipped = good.clone();
            flipped[i] ^= 0x01;
            Files.write(bad, flipped);
            assertThrows(WeightsFileException.class, () -> TensorFile.read(bad), "byte " + i);
        }
    }
}
