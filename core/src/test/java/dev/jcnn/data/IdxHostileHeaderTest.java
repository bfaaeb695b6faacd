package dev.jcnn.data;

import static dev.jcnn.data.IdxFiles.idx;
import static dev.jcnn.data.IdxFiles.images;
import static dev.jcnn.data.IdxFiles.write;
import static dev.jcnn.data.IdxFiles.writeGz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Headers that declare more than the file holds: refused with the numbers, before the memory is taken. */
class IdxHostileHeaderTest {

    private static final int MANY = 2_700_000;

    @TempDir
    Path dir;

    /** A header claiming 2,700,000 images of 28×28 followed by only 10 images' bytes, as in issue 10. */
    private static byte[] claimingMillions() {
        return claiming(MANY);
    }

    private static byte[] claiming(int count) {
        byte[] small = images(10, 28, 28);
        byte[] b = idx(IdxReader.IMAGES_MAGIC, new int[] {count, 28, 28}, new byte[0]);
        byte[] out = Arrays.copyOf(b, small.length);
        System.arraycopy(small, b.length, out, b.length, small.length - b.length);
        return out;
    }

    /** The bytes this thread allocates while {@code body} runs (HotSpot counts them per thread). */
    private static long allocatedBy(Executable body) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        assertThrows(IdxFormatException.class, body);
        return threads.getThreadAllocatedBytes(id) - before;
    }

    @Test
    void aRawHeaderClaimingMillionsOfImagesIsRefusedAgainstTheFileLength() throws IOException {
        Path f = write(dir.resolve("many"), claimingMillions());
        long length = 16 + 10 * 784;
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f, IdxReader.IMAGES_MAGIC));
        assertEquals(f + ", offset " + length + ": the file ends after " + length + " bytes, expected 16 + "
                + MANY + "·28·28 = " + (16 + MANY * 784L) + " bytes: " + (MANY * 784L - 10 * 784) + " data bytes are"
                + " missing", e.getMessage());
        // The old reader allocated the 2.1 GB the header declares before it read a byte.
        long allocated = allocatedBy(() -> IdxReader.read(f, IdxReader.IMAGES_MAGIC));
        assertTrue(allocated < 16 << 20, allocated + " bytes allocated");
    }

    @Test
    void aGzippedHeaderClaimingMillionsGrowsOnlyWithTheDataThatArrives() throws IOException {
        // A million images (784 MB) is under the limit: only the data that really arrives is held.
        Path f = writeGz(dir.resolve("many.gz"), claiming(1_000_000));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f, IdxReader.IMAGES_MAGIC));
        assertTrue(e.getMessage().startsWith(f + ", offset 7856: the file ends after 7856 bytes of the decompressed"
                + " data, expected 16 + 1000000·28·28"), e.getMessage());
        long allocated = allocatedBy(() -> IdxReader.read(f, IdxReader.IMAGES_MAGIC));
        assertTrue(allocated < 16 << 20, allocated + " bytes allocated");
    }

    @Test
    void aHeaderOverTheStatedLimitIsRefusedWithTheLimit() throws IOException {
        Path f = writeGz(dir.resolve("ten.gz"), images(10, 28, 28));
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> IdxReader.read(f, IdxReader.IMAGES_MAGIC, 7839));
        assertEquals(f + ", offset 4: the header announces 10·28·28 values of one byte, more than the limit of 7839"
                + " bytes", e.getMessage());
        assertEquals(7840, IdxReader.read(f, IdxReader.IMAGES_MAGIC, 7840).data().length);
        Path huge = writeGz(dir.resolve("huge.gz"), idx(IdxReader.IMAGES_MAGIC,
                new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, new byte[0]));
        e = assertThrows(IdxFormatException.class, () -> IdxReader.read(huge, IdxReader.IMAGES_MAGIC));
        assertTrue(e.getMessage().contains("more than the limit of " + IdxReader.MAX_DATA_BYTES), e.getMessage());
    }

    @Test
    void theLazyReaderRefusesAnOverflowingHeaderAndStopsDecompressingAtTheDeclaredEnd() throws IOException {
        Path labels = write(dir.resolve("labels"), IdxFiles.labels(10));
        Path huge = writeGz(dir.resolve("huge.gz"), idx(IdxReader.IMAGES_MAGIC,
                new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, new byte[0]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxImages.open(huge, labels, 10));
        assertTrue(e.getMessage().startsWith(huge + ", offset 4: the header announces")
                && e.getMessage().contains("more than the limit of " + IdxImages.MAX_DATA_BYTES), e.getMessage());

        byte[] longer = Arrays.copyOf(images(10, 28, 28), 16 + 10 * 784 + (1 << 20));
        Path tail = writeGz(dir.resolve("tail.gz"), longer);
        e = assertThrows(IdxFormatException.class, () -> IdxImages.open(tail, labels, 10));
        assertEquals(tail + ", offset 7856: 1048576 bytes follow the data of the decompressed data: expected it to end"
                + " at 16 + 10·28·28 = 7856 bytes", e.getMessage());
    }

    @Test
    void aGzipHeaderCutShortIsDescribedNotNull() throws IOException {
        Path f = write(dir.resolve("cut.gz"), new byte[] {0x1f, (byte) 0x8b, 8});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f, IdxReader.LABELS_MAGIC));
        assertFalse(e.getMessage().contains("null"), e.getMessage());
        assertEquals(f + ": the gzip data is truncated or corrupt (the data ends early, inside the gzip header or a"
                + " block)", e.getMessage());
        e = assertThrows(IdxFormatException.class, () -> IdxImages.open(f, f, 10));
        assertFalse(e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void aDirectoryIsRefusedWithItsPath() {
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(dir, IdxReader.LABELS_MAGIC));
        assertEquals(dir + ": is a directory, expected an IDX file", e.getMessage());
    }
}
