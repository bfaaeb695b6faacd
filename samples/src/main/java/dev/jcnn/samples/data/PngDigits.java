package dev.jcnn.samples.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

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

    /**
     * The most pixels an image may declare: 16,777,216 (4096×4096, 64 MB once decoded). The
     * declared size is read from the header and checked before the image is decoded.
     */
    public static final long MAX_PIXELS = 4096L * 4096L;

    /**
     * 1×28×28 values in [0, 1], row-major.
     *
     * @throws IOException naming the file: missing, not an image, declaring more than
     *     {@link #MAX_PIXELS}, or not decodable (with the decoder's reason)
     */
    public static float[] read(Path file, Invert invert) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such image file");
        }
        BufferedImage src = decode(file);
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

    /**
     * 3×h×w values in [0, 1], CHW (the red plane, then green, then blue), the image resized to
     * h×w as it is, for models of colour images such as CIFAR-10's; no inversion.
     *
     * @throws IOException as {@link #read} does
     */
    public static float[] readRgb(Path file, int h, int w) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such image file");
        }
        BufferedImage src = decode(file);
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        float[] v = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb.getRGB(x, y);
                v[y * w + x] = ((p >> 16) & 0xFF) / 255f;
                v[h * w + y * w + x] = ((p >> 8) & 0xFF) / 255f;
                v[2 * h * w + y * w + x] = (p & 0xFF) / 255f;
            }
        }
        return v;
    }

    /** Reads the image's declared size first, refuses it over the limit, then decodes it. */
    private static BufferedImage decode(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException(file + ": not an image this JDK can read (expected PNG, JPEG, GIF or BMP)");
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toUpperCase(Locale.ROOT);
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || (long) width * height > MAX_PIXELS) {
                    throw new IOException(file + ": the " + format + " image declares " + width + "×" + height + " = "
                            + (long) width * height + " pixels, expected 1 to " + MAX_PIXELS + " (4096×4096)");
                }
                return reader.read(0);
            } catch (IIOException | RuntimeException e) {
                // The JDK's decoders report a malformed file as IIOException and, for some
                // inputs, as an unchecked exception (index out of bounds, negative size).
                throw new IOException(file + ": not a readable " + format + " image (" + reasons(e) + ")", e);
            } finally {
                reader.dispose();
            }
        }
    }

    /** The messages of an exception and its causes, e.g. "Error reading PNG metadata: Unknown compression method". */
    private static String reasons(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
            if (b.indexOf(m) < 0) {
                b.append(b.length() == 0 ? "" : ": ").append(m.strip());
            }
        }
        return b.toString();
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
