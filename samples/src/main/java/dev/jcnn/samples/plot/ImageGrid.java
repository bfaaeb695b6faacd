package dev.jcnn.samples.plot;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Grey-level maps (filters, activation maps, input images) laid out in a grid, each scaled
 * up by a whole factor and stretched to its own min..max so that weak maps stay visible.
 */
public final class ImageGrid {

    /** Pixels between tiles. */
    public static final int GAP = 2;

    private ImageGrid() {
    }

    /**
     * @param tiles   each h·w values, row-major
     * @param h       tile rows
     * @param w       tile columns
     * @param columns tiles per grid row
     * @param scale   how many pixels each value becomes, per side
     */
    public static BufferedImage draw(List<float[]> tiles, int h, int w, int columns, int scale) {
        if (tiles.isEmpty()) {
            throw new IllegalArgumentException("an image grid needs at least one tile");
        }
        int cols = Math.min(columns, tiles.size());
        int rows = (tiles.size() + cols - 1) / cols;
        int width = width(cols, w, scale);
        int height = width(rows, h, scale);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, 0x404040);
            }
        }
        for (int t = 0; t < tiles.size(); t++) {
            float[] v = tiles.get(t);
            if (v.length != h * w) {
                throw new IllegalArgumentException("tile " + t + " has " + v.length + " values, expected " + h + "×" + w);
            }
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float f : v) {
                lo = Math.min(lo, f);
                hi = Math.max(hi, f);
            }
            float range = hi - lo > 1e-12f ? hi - lo : 1f;
            int ox = GAP + (t % cols) * (w * scale + GAP);
            int oy = GAP + (t / cols) * (h * scale + GAP);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int grey = Math.round(255 * (v[y * w + x] - lo) / range);
                    int rgb = (grey << 16) | (grey << 8) | grey;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            img.setRGB(ox + x * scale + dx, oy + y * scale + dy, rgb);
                        }
                    }
                }
            }
        }
        return img;
    }

    /** The grid's size along one axis: n tiles of size·scale pixels with gaps around them. */
    public static int width(int n, int size, int scale) {
        return GAP + n * (size * scale + GAP);
    }
}
