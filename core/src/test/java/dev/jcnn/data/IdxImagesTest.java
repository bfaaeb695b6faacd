package dev.jcnn.data;

import static dev.jcnn.data.IdxFiles.idx;
import static dev.jcnn.data.IdxFiles.images;
import static dev.jcnn.data.IdxFiles.labels;
import static dev.jcnn.data.IdxFiles.write;
import static dev.jcnn.data.IdxFiles.writeGz;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IdxImages reads each image at its offset in the file, with the same values and checks as the in-memory reader. */
class IdxImagesTest {

    @TempDir
    Path dir;

    @Test
    void readsTheSameFloatsAsTheInMemoryReaderFromRawAndGzippedFiles() throws IOException {
        Path raw = write(dir.resolve("images"), images(40, 28, 28));
        Path gz = writeGz(dir.resolve("images.gz"), images(40, 28, 28));
        Path lab = write(dir.resolve("labels"), labels(40));
        ByteImageDataset memory = Mnist.read(raw, lab);
        for (Path file : new Path[] {raw, gz}) {
            try (IdxImages streamed = Mnist.open(file, lab)) {
                assertEquals(Shape.of(1, 28, 28), streamed.imageShape());
                assertEquals(40, streamed.size());
                assertEquals(10, streamed.classes());
                assertArrayEquals(memory.labels(), streamed.labels());
                for (int i : new int[] {39, 0, 17}) {
                    assertArrayEquals(memory.image(i), streamed.image(i), 0f, "image " + i + " of " + file);
                }
                Batch b = streamed.batches(16).get(2);
                assertArrayEquals(memory.batches(16).get(2).images(), b.images(), 0f);
            }
        }
    }

    @Test
    void theDecompressedCopyOfAGzippedFileIsDeletedOnClose() throws IOException {
        Path gz = writeGz(dir.resolve("images.gz"), images(3, 28, 28));
        Path lab = write(dir.resolve("labels"), labels(3));
        long before = temporaries();
        IdxImages d = IdxImages.open(gz, lab, 10);
        assertEquals(before + 1, temporaries());
        d.close();
        assertEquals(before, temporaries());
    }

    private static long temporaries() throws IOException {
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("jcnn-idx-")).count();
        }
    }

    @Test
    void aBadFileIsNamedWithItsOffset() throws IOException {
        Path lab = write(dir.resolve("labels"), labels(5));
        byte[] good = images(5, 28, 28);
        Path truncated = write(dir.resolve("truncated"), Arrays.copyOf(good, good.length - 100));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxImages.open(truncated, lab, 10));
        assertEquals(truncated + ", offset 3836: the file ends after 3836 bytes, expected 16 + 5·28·28 = 3936 bytes",
                e.getMessage());
        Path longer = write(dir.resolve("longer"), Arrays.copyOf(good, good.length + 3));
        e = assertThrows(IdxFormatException.class, () -> IdxImages.open(longer, lab, 10));
        assertEquals(longer + ", offset 3936: 3 bytes follow the data: expected the file to end at 16 + 5·28·28 = 3936"
                + " bytes", e.getMessage());
        Path six = write(dir.resolve("six"), images(6, 28, 28));
        e = assertThrows(IdxFormatException.class, () -> IdxImages.open(six, lab, 10));
        assertTrue(e.getMessage().startsWith(lab + ", offset 4: holds 5 labels, but " + six + " holds 6 images"),
                e.getMessage());
        Path labelsAsImages = write(dir.resolve("labels-as-images"), labels(5));
        e = assertThrows(IdxFormatException.class, () -> IdxImages.open(labelsAsImages, lab, 10));
        assertTrue(e.getMessage().contains("offset 0: magic number 0x00000801, expected 0x00000803"), e.getMessage());
        Path big = write(dir.resolve("big-labels"), idx(IdxReader.LABELS_MAGIC, new int[] {5}, new byte[] {0, 1, 12, 3, 4}));
        e = assertThrows(IdxFormatException.class, () -> IdxImages.open(write(dir.resolve("i5"), good), big, 10));
        assertEquals(big + ", offset 10: label 12 of image 2 is outside 0..9", e.getMessage());
        try (IdxImages d = IdxImages.open(dir.resolve("i5"), lab, 10)) {
            IndexOutOfBoundsException x = assertThrows(IndexOutOfBoundsException.class, () -> d.image(5));
            assertTrue(x.getMessage().contains("image 5 of") && x.getMessage().contains("which holds 5"), x.getMessage());
        }
    }
}
