package dev.jcnn.data;

import dev.jcnn.tensor.Shape;
import java.util.Random;

/**
 * A segmentation task made in code: grey images (1, H, W) of one to three filled shapes
 * (rectangles, discs, triangles) at intensity 1 on a background of 0, buried in Gaussian
 * noise, with their binary masks. With noise around 0.6 a single pixel is often on the wrong
 * side of any threshold, so a network has to use the neighbourhood, as a convolutional
 * encoder-decoder does.
 */
public final class SyntheticShapes {

    /**
     * Images and masks, n × H·W values each, row-major.
     *
     * @param images the noisy images, per-sample shape (1, H, W)
     * @param masks  1 inside a shape, 0 outside, same layout
     * @param classes the kind of shape at each pixel, same layout: 0 background,
     *                {@value #RECTANGLE} rectangle, {@value #DISC} disc, {@value #TRIANGLE}
     *                triangle (the one drawn last where shapes overlap); {@value #CLASSES} classes
     */
    public record Samples(int count, int height, int width, float[] images, float[] masks, float[] classes) {

        /** The per-sample shape (1, H, W) of images and masks. */
        public Shape sampleShape() {
            return Shape.of(1, height, width);
        }
    }

    /** Class index of rectangle pixels in {@link Samples#classes}. */
    public static final int RECTANGLE = 1;
    /** Class index of disc pixels in {@link Samples#classes}. */
    public static final int DISC = 2;
    /** Class index of triangle pixels in {@link Samples#classes}. */
    public static final int TRIANGLE = 3;
    /** Classes of {@link Samples#classes}, the background included. */
    public static final int CLASSES = 4;

    private SyntheticShapes() {
    }

    /**
     * n samples of H × W pixels with noise of standard deviation {@code noise}, the same for the same seed.
     *
     * @throws IllegalArgumentException when a size is below 8 pixels, n is not positive or the noise is negative
     */
    public static Samples generate(int n, int height, int width, double noise, long seed) {
        if (n <= 0 || height < 8 || width < 8 || !(noise >= 0)) {
            throw new IllegalArgumentException("synthetic shapes: expected n > 0, images of at least 8x8 and noise >= 0, got n "
                    + n + ", " + height + "x" + width + ", noise " + noise);
        }
        Random r = new Random(seed);
        int size = height * width;
        float[] images = new float[n * size];
        float[] masks = new float[n * size];
        float[] classes = new float[n * size];
        for (int i = 0; i < n; i++) {
            int shapes = 1 + r.nextInt(3);
            for (int k = 0; k < shapes; k++) {
                draw(r, masks, classes, i * size, height, width);
            }
            for (int p = 0; p < size; p++) {
                images[i * size + p] = masks[i * size + p] + (float) (r.nextGaussian() * noise);
            }
        }
        return new Samples(n, height, width, images, masks, classes);
    }

    /** Sets the mask pixels of one random shape, its size a fraction of the image's. */
    private static void draw(Random r, float[] mask, float[] classes, int offset, int h, int w) {
        int kind = r.nextInt(3);
        double cy = r.nextDouble() * h;
        double cx = r.nextDouble() * w;
        double extent = Math.min(h, w) * (0.12 + 0.18 * r.nextDouble());
        double aspect = 0.6 + 0.8 * r.nextDouble();
        double angle = r.nextDouble() * Math.PI;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dy = y + 0.5 - cy;
                double dx = x + 0.5 - cx;
                boolean inside = switch (kind) {
                    case 0 -> Math.abs(dy) <= extent * aspect && Math.abs(dx) <= extent / aspect;
                    case 1 -> dy * dy + dx * dx <= extent * extent;
                    default -> insideTriangle(dy, dx, extent * 1.4, angle);
                };
                if (inside) {
                    mask[offset + y * w + x] = 1f;
                    classes[offset + y * w + x] = 1 + kind;
                }
            }
        }
    }

    /** Inside an equilateral triangle of circumradius R centred at the origin, turned by angle. */
    private static boolean insideTriangle(double dy, double dx, double radius, double angle) {
        for (int e = 0; e < 3; e++) {
            double a = angle + e * 2 * Math.PI / 3;
            // each edge lies at distance R/2 from the centre, facing direction a
            if (dy * Math.sin(a) + dx * Math.cos(a) > radius / 2) {
                return false;
            }
        }
        return true;
    }
}
