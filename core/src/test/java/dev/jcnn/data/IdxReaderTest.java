package dev.jcnn.data;

import static dev.jcnn.data.IdxFiles.idx;
import static dev.jcnn.data.IdxFiles.images;
import static dev.jcnn.data.IdxFiles.labels;
import static dev.jcnn.data.IdxFiles.write;
import static dev.jcnn.data.IdxFiles.writeGz;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsRawAndGzippedFilesAlike() throws IOException {
        byte[] bytes = images(3, 4, 5);
        IdxArray raw = IdxReader.read(write(dir.resolve("a"), bytes), IdxReader.IMAGES_MAGIC);
        // a misleading name: the gzip signature decides, not the extension
        IdxArray gz = IdxReader.read(writeGz(dir.resolve("b"), bytes), IdxReader.IMAGES_MAGIC);
        assertArrayEquals(new int[] {3, 4, 5}, raw.dims());
        assertArrayEquals(raw.dims(), gz.dims());
        assertArrayEquals(raw.data(), gz.data());
        assertEquals(16, raw.headerBytes());
        assertEquals((byte) (1 + 7), raw.data()[4 * 5 + 7]); // image 1, pixel 7: (i + p)
    }

    @Test
    void labelFileWhereImagesWereExpectedNamesBothMagicNumbers() throws IOException {
        Path f = write(dir.resolve("train-labels-idx1-ubyte"), labels(5));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f, IdxReader.IMAGES_MAGIC));
        assertEquals(f + ", offset 0: magic number 0x00000801, expected 0x00000803 (IDX of unsigned bytes"
                + " with 3 dimensions: images); found IDX of unsigned bytes with 1 dimension: labels", e.getMessage());
        assertEquals(0, e.offset());
        assertEquals(f, e.file());
    }

    @Test
    void somethingThatIsNotIdxAtAll() throws IOException {
        Path f = write(dir.resolve("page.html"), "<html>not found</html>".getBytes());
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f, IdxReader.LABELS_MAGIC));
        assertEquals(f + ", offset 0: magic number 0x3C68746D, expected 0x00000801 (IDX of unsigned bytes with"
                + " 1 dimension: labels); found not an IDX header", e.getMessage());
    }

    @Test
    void fileShorterThanTheMagicNumber() throws IOException {
        Path f = write(dir.resolve("short"), new byte[] {0, 0});
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f, IdxReader.IMAGES_MAGIC));
        assertEquals(f + ", offset 2: the file ends after 2 bytes, inside the 4-byte magic number;"
                + " expected 0x00000803", e.getMessage());
    }

    @Test
    void fileEndingInsideTheHeader() throws IOException {
        Path f = write(dir.resolve("header"), Arrays.copyOf(images(2, 3, 3), 10));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f, IdxReader.IMAGES_MAGIC));
        assertEquals(f + ", offset 10: the file ends inside the header: expected 16 header bytes"
                + " (3 dimension sizes), found 10", e.getMessage());
    }

    @Test
    void zeroDimensionNamesItsOffset() throws IOException {
        Path f = write(dir.resolve("zero"), idx(IdxReader.IMAGES_MAGIC, new int[] {2, 0, 3}, new byte[0]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f, IdxReader.IMAGES_MAGIC));
        assertEquals(f + ", offset 8: dimension 1 is 0, expected a positive size", e.getMessage());
    }

    @Test
    void truncatedDataSaysHowManyBytesAreMissing() throws IOException {
        byte[] full = images(10, 28, 28); // 16 + 7840 bytes
        Path f = write(dir.resolve("trunc"), Arrays.copyOf(full, 16 + 7000));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f, IdxReader.IMAGES_MAGIC));
        assertEquals(f + ", offset 7016: the file ends after 7016 bytes, expected 16 + 10·28·28 = 7856 bytes:"
                + " 840 data bytes are missing", e.getMessage());
        assertEquals(7016, e.offset());
    }

    @Test
    void truncatedGzipDataNamesTheDecompressedOffset() throws IOException {
        byte[] full = labels(100);
        Path f = writeGz(dir.resolve("trunc.gz"), Arrays.copyOf(full, 58));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f, IdxReader.LABELS_MAGIC));
        assertEquals(f + ", offset 58: the file ends after 58 bytes of the decompressed data, expected 8 + 100"
                + " = 108 bytes: 50 data bytes are missing", e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        Path f = write(dir.resolve("long"), Arrays.copyOf(labels(4), 12 + 3));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f, IdxReader.LABELS_MAGIC));
        assertEquals(f + ", offset 12: 3 bytes follow the data: expected the file to end at 12 bytes (8 + 4)",
                e.getMessage());
    }

    @Test
    void corruptGzipStreamIsReportedWithItsFile() throws IOException {
        byte[] gz = IdxFiles.gzip(labels(1000));
        byte[] cut = Arrays.copyOf(gz, gz.length / 2); // the compressed stream stops midway
        Path f = write(dir.resolve("cut.gz"), cut);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(f, IdxReader.LABELS_MAGIC));
        assertEquals(f + ": the gzip data is truncated or corrupt (Unexpected end of ZLIB input stream)",
                e.getMessage());
        assertEquals(-1, e.offset());
    }
}
