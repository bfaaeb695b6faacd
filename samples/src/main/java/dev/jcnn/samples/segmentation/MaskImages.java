package dev.jcnn.samples.segmentation;

import dev.jcnn.samples.plot.Png;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** PNG files of segmentations: one predicted mask per image, and an overview of image, truth, probability and prediction. */
final class MaskImages {

    /** Pixels between the overview's tiles. */
    private static final int GAP = 2;

    private MaskImages() {
    }

    /** A mask (probability above 0.5) as a black and white PNG, each pixel scale × scale. */
    static Path writeMask(float[] probabilities, int offset, int h, int w, int scale, Path file) throws IOException {
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                boolean on = probabilities[offset + (y / scale) * w + x / scale] > 0.5f;
                img.getRaster().setSample(x, y, 0, on ? 255 : 0);
            }
        }
        return Png.write(img, file);
    }

    /**
     * One row per sample: the noisy image (stretched to its own range), the true mask, the
     * predicted probability and the predicted mask (0 black, 1 white).
     */
    static Path writeOverview(float[] images, float[] masks, float[] probabilities, int count, int h, int w, int scale,
                              Path file)
            throws IOException {
        int size = h * w;
        int tileW = w * scale;
        int tileH = h * scale;
        BufferedImage img = new BufferedImage(GAP + 4 * (tileW + GAP), GAP + count * (tileH + GAP),
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, 0x404040);
            }
        }
        for (int i = 0; i < count; i++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int p = 0; p < size; p++) {
                lo = Math.min(lo, images[i * size + p]);
                hi = Math.max(hi, images[i * size + p]);
            }
            float range = hi - lo > 1e-12f ? hi - lo : 1f;
            for (int p = 0; p < size; p++) {
                float q = probabilities[i * size + p];
                double[] tiles = {(images[i * size + p] - lo) / range, masks[i * size + p], q, q > 0.5f ? 1 : 0};
                for (int t = 0; t < 4; t++) {
                    int grey = (int) Math.round(255 * Math.max(0, Math.min(1, tiles[t])));
                    fill(img, GAP + t * (tileW + GAP) + (p % w) * scale, GAP + i * (tileH + GAP) + (p / w) * scale, scale,
                            (grey << 16) | (grey << 8) | grey);
                }
            }
        }
        return Png.write(img, file);
    }

    private static void fill(BufferedImage img, int x0, int y0, int scale, int rgb) {
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                img.setRGB(x0 + dx, y0 + dy, rgb);
            }
        }
    }
}
