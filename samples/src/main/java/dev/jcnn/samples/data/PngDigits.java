package dev.jcnn.samples.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Reads an image file (PNG, or anything ImageIO reads) as an MNIST-style digit: grey levels
 * in [0, 1], resized to 28×28, a light digit on a dark ground (dark-on-light images are
 * inverted when asked, or when {@code auto} finds the border light).
 */
public final class PngDigits {

    /** Whether to invert the grey levels. */
    public enum Invert { AUTO, YES, NO }

    private PngDigits() {
    }

    /** 1×28×28 values in [0, 1], row-major. */
    public static float[] read(Path file, Invert invert) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such image file");
        }
        BufferedImage src = ImageIO.read(file.toFile());
        if (src == null) {
            throw new IOException(file + ": not an image this JDK can read (expected PNG, JPEG, GIF or BMP)");
        }
        BufferedImage grey = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(src, 0, 0, 28, 28, null);
        g.dispose();
        float[] v = new float[28 * 28];
        double border = 0;
        int borderCount = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                v[y * 28 + x] = (grey.getRaster().getSample(x, y, 0) & 0xFF) / 255f;
                if (x == 0 || y == 0 || x == 27 || y == 27) {
                    border += v[y * 28 + x];
                    borderCount++;
                }
            }
        }
        boolean flip = invert == Invert.YES || (invert == Invert.AUTO && border / borderCount > 0.5);
        if (flip) {
            for (int i = 0; i < v.length; i++) {
                v[i] = 1f - v[i];
            }
        }
        return v;
    }

    /** Writes 28×28 grey levels in [0, 1] as a PNG (for tests and for saving dataset images). */
    public static BufferedImage toImage(float[] v, int h, int w) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, Math.round(Math.max(0, Math.min(1, v[y * w + x])) * 255));
            }
        }
        return img;
    }
}
