package dev.jcnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarImagesTest {

    @TempDir
    Path tmp;

    /** n records: label (first + r) % 10, pixel i of record r is (first + r + i) % 256. */
    static byte[] records(int first, int n) {
        byte[] b = new byte[n * CifarImages.RECORD_BYTES];
        for (int r = 0; r < n; r++) {
            int at = r * CifarImages.RECORD_BYTES;
            b[at] = (byte) ((first + r) % 10);
            for (int i = 0; i < CifarImages.IMAGE_BYTES; i++) {
                b[at + 1 + i] = (byte) (first + r + i);
            }
        }
        return b;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    @Test
    void readsLabelsAndPlanesAsChwAcrossFiles() throws IOException {
        Path a = write("a.bin", records(0, 3));
        Path b = write("b.bin", records(3, 4));
        try (CifarImages set = CifarImages.open(List.of(a, b))) {
            assertEquals(7, set.size());
            assertEquals(Shape.of(3, 32, 32), set.imageShape());
            assertEquals(10, set.classes());
            for (int r = 0; r < 7; r++) {
                assertEquals(r % 10, set.label(r));
                float[] img = set.image(r);
                // the red plane's first pixel, the green plane's first, the blue plane's last
                assertEquals((r % 256) / 255f, img[0], 1e-7f, "R[0,0] of " + r);
                assertEquals(((r + 1024) % 256) / 255f, img[1024], 1e-7f, "G[0,0] of " + r);
                assertEquals(((r + 3071) % 256) / 255f, img[3071], 1e-7f, "B[31,31] of " + r);
            }
            assertThrows(IndexOutOfBoundsException.class, () -> set.image(7));
        }
    }

    @Test
    void refusesALengthThatIsNotAWholeNumberOfRecords() throws IOException {
        byte[] bytes = java.util.Arrays.copyOf(records(0, 2), 2 * CifarImages.RECORD_BYTES + 5);
        Path f = write("short.bin", bytes);
        CifarFormatException e = assertThrows(CifarFormatException.class, () -> CifarImages.open(List.of(f)));
        assertEquals(f, e.file());
        assertEquals(2L * CifarImages.RECORD_BYTES, e.offset());
        assertTrue(e.getMessage().contains("6151 bytes") && e.getMessage().contains("3073-byte records")
                && e.getMessage().contains("5 bytes over"), e.getMessage());
    }

    @Test
    void refusesALabelOutsideTheTenClassesNamingItsRecordAndOffset() throws IOException {
        byte[] bytes = records(0, 3);
        bytes[2 * CifarImages.RECORD_BYTES] = 10;
        Path f = write("label.bin", bytes);
        CifarFormatException e = assertThrows(CifarFormatException.class, () -> CifarImages.open(List.of(f)));
        assertEquals(2L * CifarImages.RECORD_BYTES, e.offset());
        assertTrue(e.getMessage().startsWith(f + ", offset 6146: label 10 of record 2 is outside 0..9"),
                e.getMessage());
    }

    @Test
    void refusesAnEmptyFileAndAnEmptyList() throws IOException {
        Path f = write("empty.bin", new byte[0]);
        assertTrue(assertThrows(CifarFormatException.class, () -> CifarImages.open(List.of(f))).getMessage()
                .contains("empty"));
        assertThrows(IllegalArgumentException.class, () -> CifarImages.open(List.of()));
    }

    @Test
    void readsFromManyThreadsAlike() throws Exception {
        Path f = write("many.bin", records(0, 20));
        try (CifarImages set = CifarImages.open(List.of(f))) {
            float[][] expected = new float[20][];
            for (int r = 0; r < 20; r++) {
                expected[r] = set.image(r);
            }
            List<Thread> threads = new java.util.ArrayList<>();
            java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    for (int k = 0; k < 200; k++) {
                        int r = k % 20;
                        if (!java.util.Arrays.equals(expected[r], set.image(r))) {
                            wrong.incrementAndGet();
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            assertEquals(0, wrong.get());
        }
    }

    /** The folder layout: five training files, the test file and the names. */
    static Path folder(Path root, int perFile, String meta) throws IOException {
        Path dir = Files.createDirectories(root.resolve(Cifar10.FOLDER));
        for (int k = 0; k < 5; k++) {
            Files.write(dir.resolve(Cifar10.TRAIN_FILES.get(k)), records(k * perFile, perFile));
        }
        Files.write(dir.resolve(Cifar10.TEST_FILE), records(100, perFile));
        Files.writeString(dir.resolve(Cifar10.META_FILE), meta);
        return dir;
    }

    @Test
    void opensTheFolderOrTheFolderAboveItWithTheClassNames() throws IOException {
        Path dir = folder(tmp, 4, String.join("\n", Cifar10.CLASS_NAMES) + "\n\n");
        for (Path p : List.of(dir, tmp)) {
            try (Cifar10 c = Cifar10.open(p)) {
                assertEquals(20, c.train().size());
                assertEquals(4, c.test().size());
                assertEquals(Cifar10.CLASS_NAMES, c.classNames());
                assertEquals(5 % 10, c.train().label(5));
                assertEquals(dir.resolve("data_batch_2.bin"), c.train().files().get(1));
            }
        }
    }

    @Test
    void namesTheMissingFileAndRefusesAWrongNameList() throws IOException {
        Path dir = folder(tmp, 2, "airplane\nautomobile\n");
        assertTrue(assertThrows(CifarFormatException.class, () -> Cifar10.open(dir)).getMessage()
                .contains("holds 2 class names, expected 10"));
        Files.delete(dir.resolve("data_batch_3.bin"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Cifar10.open(dir));
        assertTrue(e.getMessage().contains(dir.resolve("data_batch_3.bin").toString()), e.getMessage());
    }
}
