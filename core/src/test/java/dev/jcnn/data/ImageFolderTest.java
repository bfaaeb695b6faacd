package dev.jcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.tensor.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image folders: classes from sorted folder names, each format decoded, scaled and cropped, and every refusal named. */
class ImageFolderTest {

    @TempDir
    Path tmp;

    private static BufferedImage rgb(int w, int h, int argb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, argb);
            }
        }
        return img;
    }

    private static Path write(BufferedImage img, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, format, file.toFile()), "no writer for " + format);
        return file;
    }

    @Test
    void classesAreTheSortedFolderNamesAndEveryFormatIsRead() throws IOException {
        Path root = tmp.resolve("set");
        write(rgb(4, 4, 0xFF0000), "png", root.resolve("zebra/a.png"));
        write(rgb(4, 4, 0x00FF00), "bmp", root.resolve("apple/one.BMP"));
        write(rgb(4, 4, 0x0000FF), "gif", root.resolve("apple/sub/two.gif"));
        write(rgb(4, 4, 0x808080), "jpg", root.resolve("apple/three.jpeg"));
        Files.writeString(root.resolve("apple/notes.txt"), "not an image");
        Files.writeString(root.resolve("apple/.hidden.png"), "skipped: hidden");
        Files.createDirectories(root.resolve(".cache"));
        ImageFolder f = ImageFolder.open(root, Shape.of(3, 2, 2));
        assertEquals(List.of("apple", "zebra"), f.classNames());
        assertEquals(4, f.size());
        assertEquals(2, f.classes());
        // files sorted within a class: one.BMP, sub/two.gif, three.jpeg
        assertEquals(root.resolve("apple/one.BMP"), f.file(0));
        assertEquals(root.resolve("apple/sub/two.gif"), f.file(1));
        assertEquals(root.resolve("apple/three.jpeg"), f.file(2));
        assertArrayEquals(new int[] {0, 0, 0, 1}, f.labels());
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0}, f.image(0), 1e-6f, "green BMP");
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}, f.image(1), 1e-6f, "blue GIF");
        for (float v : f.image(2)) {
            assertEquals(128 / 255f, v, 3 / 255f, "grey JPEG, within its compression");
        }
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, f.image(3), 1e-6f, "red PNG");
        // grey for a 1-channel shape: luminance
        float red = f.withShape(Shape.of(1, 2, 2)).image(3)[0];
        assertEquals(0.299f, red, 1e-6f);
    }

    @Test
    void greyImagesKeepTheirStoredValuesAndAreRepeatedForRgb() throws IOException {
        BufferedImage grey = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 9; i++) {
            grey.getRaster().setSample(i % 3, i / 3, 0, i * 30);
        }
        Path file = write(grey, "png", tmp.resolve("g/digits/a.png"));
        float[] one = ImageFolder.read(file, Shape.of(1, 3, 3));
        for (int i = 0; i < 9; i++) {
            assertEquals(i * 30 / 255f, one[i], 1e-6f, "no colour-space brightening, pixel " + i);
        }
        float[] three = ImageFolder.read(file, Shape.of(3, 3, 3));
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 9; i++) {
                assertEquals(one[i], three[c * 9 + i], 0f);
            }
        }
    }

    @Test
    void theShorterSideIsScaledToFitAndTheRestCentreCropped() throws IOException {
        // 8 wide, 4 tall: columns 0-3 black, 4-7 white; to 4×4 the scale is 1 and columns 2-5 remain
        BufferedImage img = rgb(8, 4, 0);
        for (int y = 0; y < 4; y++) {
            for (int x = 4; x < 8; x++) {
                img.setRGB(x, y, 0xFFFFFF);
            }
        }
        Path file = write(img, "png", tmp.resolve("c/k/wide.png"));
        float[] v = ImageFolder.read(file, Shape.of(1, 4, 4));
        for (int y = 0; y < 4; y++) {
            assertArrayEquals(new float[] {0, 0, 1, 1}, java.util.Arrays.copyOfRange(v, 4 * y, 4 * y + 4), 1e-6f);
        }
        // a 64×64 checkerboard of single pixels shrinks to an even grey, not to aliasing stripes
        BufferedImage board = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                board.setRGB(x, y, (x + y) % 2 == 0 ? 0xFFFFFF : 0);
            }
        }
        for (float p : ImageFolder.read(write(board, "png", tmp.resolve("c/k/board.png")), Shape.of(1, 5, 5))) {
            assertEquals(0.5f, p, 0.08f);
        }
        // enlarging a uniform image keeps its value in each channel
        float[] big = ImageFolder.read(write(rgb(3, 5, 0x336699), "png", tmp.resolve("c/k/small.png")), Shape.of(3, 16, 16));
        float[] expected = {0x33 / 255f, 0x66 / 255f, 0x99 / 255f};
        for (int i = 0; i < big.length; i++) {
            assertEquals(expected[i / 256], big[i], 1e-6f, "value " + i);
        }
    }

    @Test
    void splitEveryHoldsOutTheSameShareOfEachClass() throws IOException {
        Path root = tmp.resolve("split");
        for (int i = 0; i < 25; i++) {
            write(rgb(2, 2, i), "png", root.resolve("a/" + (100 + i) + ".png"));
        }
        for (int i = 0; i < 10; i++) {
            write(rgb(2, 2, i), "png", root.resolve("b/" + (100 + i) + ".png"));
        }
        ImageFolder[] split = ImageFolder.open(root, Shape.of(1, 2, 2)).splitEvery(10);
        assertEquals(32, split[0].size());
        assertArrayEquals(new int[] {0, 0, 1}, split[1].labels());
        assertEquals(root.resolve("a/109.png"), split[1].file(0));
        assertEquals(root.resolve("b/109.png"), split[1].file(2));
        assertEquals(List.of("a", "b"), split[1].classNames());
        assertEquals(Shape.of(3, 2, 2), split[1].withShape(Shape.of(3, 2, 2)).slice(0, 2).imageShape());
    }

    @Test
    void emptyClassesMissingFoldersAndWrongShapesAreRefusedByName() throws IOException {
        Path root = tmp.resolve("bad");
        write(rgb(2, 2, 0), "png", root.resolve("cats/a.png"));
        Files.createDirectories(root.resolve("dogs"));
        Files.writeString(root.resolve("dogs/readme.txt"), "no images here");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.open(root, Shape.of(3, 8, 8)));
        assertTrue(e.getMessage().contains("class 'dogs'") && e.getMessage().contains("has no images"), e.getMessage());
        Path flat = tmp.resolve("flat");
        write(rgb(2, 2, 0), "png", flat.resolve("a.png"));
        e = assertThrows(IllegalArgumentException.class, () -> ImageFolder.open(flat, Shape.of(3, 8, 8)));
        assertTrue(e.getMessage().contains("has no class folders"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageFolder.open(tmp.resolve("nowhere"), Shape.of(3, 8, 8)));
        assertTrue(e.getMessage().contains("no such folder"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageFolder.open(flat, Shape.of(2, 8, 8)));
        assertTrue(e.getMessage().contains("C 1 (grey) or 3 (RGB), got (2, 8, 8)"), e.getMessage());
    }

    @Test
    void aFileThatDoesNotDecodeOrIsTooLargeIsNamedWhenRead() throws IOException {
        Path root = tmp.resolve("broken");
        write(rgb(2, 2, 0), "png", root.resolve("k/good.png"));
        Files.write(root.resolve("k/junk.png"), "this is not a PNG".getBytes(StandardCharsets.US_ASCII));
        Files.write(root.resolve("k/huge.png"), pngHeader(20_000, 10));
        byte[] truncated = Files.readAllBytes(write(rgb(40, 40, 0x123456), "png", tmp.resolve("t.png")));
        Files.write(root.resolve("k/truncated.png"), java.util.Arrays.copyOf(truncated, truncated.length / 2));
        ImageFolder f = ImageFolder.open(root, Shape.of(3, 4, 4));
        assertEquals(4, f.size());
        assertEquals(3, f.image(0).length / 16);
        UncheckedIOException big = assertThrows(UncheckedIOException.class, () -> f.image(1));
        assertTrue(big.getMessage().startsWith(root.resolve("k/huge.png") + ": could not decode the image: the image"
                + " is 20000×10 pixels; expected 1 to 16384"), big.getMessage());
        UncheckedIOException junk = assertThrows(UncheckedIOException.class, () -> f.image(2));
        assertTrue(junk.getMessage().startsWith(root.resolve("k/junk.png") + ": could not decode the image: not a PNG,"),
                junk.getMessage());
        UncheckedIOException cut = assertThrows(UncheckedIOException.class, () -> f.image(3));
        assertTrue(cut.getMessage().startsWith(root.resolve("k/truncated.png") + ": could not decode"), cut.getMessage());
    }

    /** A PNG signature and IHDR chunk declaring w × h, 8-bit RGB, and nothing after: a header that promises a huge image. */
    static byte[] pngHeader(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt(13).array());
        out.writeBytes(ihdr.array());
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return out.toByteArray();
    }
}
