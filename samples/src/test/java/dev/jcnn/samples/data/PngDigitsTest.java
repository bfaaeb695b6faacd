package dev.jcnn.samples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngDigitsTest {

    @TempDir
    Path dir;

    /** A PNG signature and an IHDR chunk declaring width×height 8-bit grey, then IEND: no pixel data. */
    static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 0, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void readsADigitAsGreyLevels() throws IOException {
        float[] v = new float[28 * 28];
        v[28 * 14 + 14] = 1;
        Path png = dir.resolve("one.png");
        ImageIO.write(PngDigits.toImage(v, 28, 28), "png", png.toFile());
        assertArrayEquals(v, PngDigits.read(png, PngDigits.Invert.NO), 0f);
    }

    @Test
    void aHugeDeclaredSizeIsRefusedBeforeDecoding() throws IOException {
        // The old loader decoded it: 40000×40000 took 1.7 GB before anything was checked.
        Path png = Files.write(dir.resolve("huge.png"), pngHeader(40000, 40000));
        IOException e = assertThrows(IOException.class, () -> PngDigits.read(png, PngDigits.Invert.AUTO));
        assertEquals(png + ": the PNG image declares 40000×40000 = 1600000000 pixels, expected 1 to 16777216"
                + " (4096×4096)", e.getMessage());
    }

    @Test
    void aDamagedImageIsReportedWithItsPathAndTheDecodersReason() throws IOException {
        byte[] good = pngHeader(28, 28);
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(good, 20));
        IOException e = assertThrows(IOException.class, () -> PngDigits.read(cut, PngDigits.Invert.AUTO));
        assertTrue(e.getMessage().startsWith(cut + ": not a readable PNG image ("), e.getMessage());
        Path noData = Files.write(dir.resolve("nodata.png"), good);
        e = assertThrows(IOException.class, () -> PngDigits.read(noData, PngDigits.Invert.AUTO));
        assertTrue(e.getMessage().startsWith(noData + ": not a readable PNG image ("), e.getMessage());
        Path text = Files.writeString(dir.resolve("text.png"), "not an image");
        e = assertThrows(IOException.class, () -> PngDigits.read(text, PngDigits.Invert.AUTO));
        assertEquals(text + ": not an image this JDK can read (expected PNG, JPEG, GIF or BMP)", e.getMessage());
    }
}
