package dev.jcnn.data;

import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Random changes to training images, drawn anew for each sample in each epoch: a random crop
 * of the image padded by P pixels (PyTorch's {@code RandomCrop(size, padding=P)}), a
 * horizontal flip with probability 0.5, a translation by up to ±k pixels with zeros filling
 * the edge. Steps apply in the order they were added, to images of shape (C, H, W); every
 * channel gets the same change. Immutable: each builder method returns a copy.
 *
 * <p>The draws of a sample depend only on (seed, epoch, sample index), never on the thread
 * that prepares it or the order batches are prepared in, so a run is reproduced bit for bit
 * by its seed. {@link Batches#augmented} applies it; {@code fit} applies it to the training
 * data only, never to validation, {@code evaluate} or {@code predict}.
 *
 * <pre>{@code
 * Augmentation a = Augmentation.none().crop(4).flip();   // CIFAR's usual pair
 * Augmentation b = Augmentation.parse("crop:4,flip,shift:2");
 * }</pre>
 *
 * <p>A zero-padded crop moves the image by (P − top, P − left) with top and left uniform in
 * [0, 2P]: the same distribution as {@code shift:P}. {@code crop:P:reflect} pads by reflection
 * instead (PyTorch's {@code padding_mode="reflect"}), so no black border enters the image.
 */
public final class Augmentation {

    /** The most pixels a crop may pad or a shift may move by: 64. */
    public static final int MAX_PIXELS = 64;

    private static final Augmentation NONE = new Augmentation(List.of());

    /** One step of the pipeline. */
    private sealed interface Step permits Crop, Flip, Shift {
    }

    /** Pads by {@code padding} (zeros, or by reflection) and crops back to the image's size at a random place. */
    private record Crop(int padding, boolean reflect) implements Step {
        @Override
        public String toString() {
            return "crop:" + padding + (reflect ? ":reflect" : "");
        }
    }

    /** Flips left to right with probability 0.5. */
    private record Flip() implements Step {
        @Override
        public String toString() {
            return "flip";
        }
    }

    /** Moves the image by dy, dx each uniform in [-pixels, pixels], zeros where it leaves the frame. */
    private record Shift(int pixels) implements Step {
        @Override
        public String toString() {
            return "shift:" + pixels;
        }
    }

    private final List<Step> steps;

    private Augmentation(List<Step> steps) {
        this.steps = steps;
    }

    /** No change: the images as they are. */
    public static Augmentation none() {
        return NONE;
    }

    /** Whether this changes nothing. */
    public boolean isNone() {
        return steps.isEmpty();
    }

    /**
     * Then a random crop of the image padded by {@code padding} zeros on each side, of the
     * image's own size, as PyTorch's {@code RandomCrop(size, padding)}.
     *
     * @throws IllegalArgumentException when padding is outside 1..{@link #MAX_PIXELS}
     */
    public Augmentation crop(int padding) {
        return then(new Crop(pixels("crop", padding), false));
    }

    /**
     * Then a random crop of the image padded by reflection (the edge pixel not repeated, as
     * PyTorch's {@code padding_mode="reflect"}); the padding must be below the image's height
     * and width, checked when applied.
     */
    public Augmentation cropReflect(int padding) {
        return then(new Crop(pixels("crop", padding), true));
    }

    /** Then a horizontal flip with probability 0.5. */
    public Augmentation flip() {
        return then(new Flip());
    }

    /**
     * Then a translation by dy and dx, each uniform in [-pixels, pixels], zeros filling the edge.
     *
     * @throws IllegalArgumentException when pixels is outside 1..{@link #MAX_PIXELS}
     */
    public Augmentation shift(int pixels) {
        return then(new Shift(pixels("shift", pixels)));
    }

    private Augmentation then(Step s) {
        List<Step> next = new ArrayList<>(steps);
        next.add(s);
        return new Augmentation(List.copyOf(next));
    }

    private static int pixels(String step, int p) {
        if (p < 1 || p > MAX_PIXELS) {
            throw new IllegalArgumentException(step + ":" + p + ": expected 1 to " + MAX_PIXELS + " pixels");
        }
        return p;
    }

    /**
     * Reads a comma-separated list of steps, applied in that order: {@code crop:P} (zero
     * padding), {@code crop:P:reflect}, {@code flip}, {@code shift:K}; {@code none} or an empty
     * string for none. {@link #toString} writes the same form.
     *
     * @throws IllegalArgumentException naming the step that is not one of these
     */
    public static Augmentation parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("augmentation: expected steps such as crop:4,flip,shift:2, got null");
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        Augmentation a = none();
        if (s.isEmpty() || s.equals("none")) {
            return a;
        }
        for (String token : s.split(",", -1)) {
            String t = token.trim();
            String[] parts = t.split(":", -1);
            a = switch (parts[0]) {
                case "flip" -> {
                    if (parts.length != 1) {
                        throw badStep(spec, t, "flip takes no argument");
                    }
                    yield a.flip();
                }
                case "crop" -> {
                    if (parts.length == 2) {
                        yield a.crop(count(spec, t, parts[1]));
                    }
                    if (parts.length == 3 && parts[2].equals("reflect")) {
                        yield a.cropReflect(count(spec, t, parts[1]));
                    }
                    throw badStep(spec, t, "expected crop:P or crop:P:reflect");
                }
                case "shift" -> {
                    if (parts.length != 2) {
                        throw badStep(spec, t, "expected shift:K");
                    }
                    yield a.shift(count(spec, t, parts[1]));
                }
                default -> throw badStep(spec, t, "expected crop:P, crop:P:reflect, flip or shift:K");
            };
        }
        return a;
    }

    private static int count(String spec, String token, String digits) {
        int p;
        try {
            p = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw badStep(spec, token, "'" + digits + "' is not a whole number of pixels");
        }
        if (p < 1 || p > MAX_PIXELS) {
            throw badStep(spec, token, "expected 1 to " + MAX_PIXELS + " pixels");
        }
        return p;
    }

    private static IllegalArgumentException badStep(String spec, String token, String why) {
        return new IllegalArgumentException("augmentation '" + spec + "': step '" + token + "': " + why);
    }

    /** The steps as {@link #parse} reads them, e.g. "crop:4,flip"; "none" for none. */
    @Override
    public String toString() {
        if (steps.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        for (Step s : steps) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(s);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Augmentation a && a.steps.equals(steps);
    }

    @Override
    public int hashCode() {
        return steps.hashCode();
    }

    /**
     * Checks that samples of this shape can be augmented: (C, H, W), with room for a
     * reflected crop's padding.
     *
     * @throws IllegalArgumentException naming the shape and the step that cannot take it
     */
    public void check(Shape sampleShape) {
        if (isNone()) {
            return;
        }
        if (sampleShape.rank() != 3) {
            throw new IllegalArgumentException("augmentation " + this + " changes images of shape (C, H, W), but the"
                    + " samples have shape " + sampleShape);
        }
        for (Step s : steps) {
            if (s instanceof Crop c && c.reflect()
                    && (c.padding() >= sampleShape.dim(1) || c.padding() >= sampleShape.dim(2))) {
                throw new IllegalArgumentException("augmentation " + c + ": reflection padding must be below the image's"
                        + " height and width, but the samples are " + sampleShape);
            }
        }
    }

    /**
     * Changes the image at dst[offset ..] of shape (C, H, W) in place, as drawn for this sample
     * in this epoch: the same (seed, epoch, index) always draws the same change.
     *
     * @param scratch at least shape.size() values, overwritten
     */
    public void apply(float[] dst, int offset, Shape shape, long seed, int epoch, int index, float[] scratch) {
        if (isNone()) {
            return;
        }
        SplittableRandom random = new SplittableRandom(mix(seed, epoch, index));
        int channels = shape.dim(0);
        int h = shape.dim(1);
        int w = shape.dim(2);
        for (Step s : steps) {
            if (s instanceof Crop c) {
                // PyTorch draws the window's top, then its left, each in [0, 2P]
                int top = random.nextInt(2 * c.padding() + 1);
                int left = random.nextInt(2 * c.padding() + 1);
                translate(dst, offset, channels, h, w, c.padding() - top, c.padding() - left, c.reflect(), scratch);
            } else if (s instanceof Flip) {
                if (random.nextBoolean()) {
                    flip(dst, offset, channels, h, w);
                }
            } else if (s instanceof Shift sh) {
                int dy = random.nextInt(2 * sh.pixels() + 1) - sh.pixels();
                int dx = random.nextInt(2 * sh.pixels() + 1) - sh.pixels();
                translate(dst, offset, channels, h, w, dy, dx, false, scratch);
            }
        }
    }

    /** A seed for one sample of one epoch: (seed, epoch, index) mixed so that neighbours draw unrelated changes. */
    static long mix(long seed, int epoch, int index) {
        long z = seed;
        z = finish(z * 0x9E3779B97F4A7C15L + epoch);
        z = finish(z * 0x9E3779B97F4A7C15L + index);
        return z;
    }

    /** SplitMix64's finaliser. */
    private static long finish(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Moves each channel's content by (dy, dx): out[y][x] = in[y − dy][x − dx], zero (or the
     * reflected pixel) where that lies outside the image.
     */
    private static void translate(float[] x, int offset, int channels, int h, int w, int dy, int dx, boolean reflect,
                                  float[] scratch) {
        if (dy == 0 && dx == 0) {
            return;
        }
        int plane = h * w;
        for (int c = 0; c < channels; c++) {
            int base = offset + c * plane;
            System.arraycopy(x, base, scratch, 0, plane);
            for (int y = 0; y < h; y++) {
                int sy = y - dy;
                if (reflect) {
                    sy = reflectIndex(sy, h);
                } else if (sy < 0 || sy >= h) {
                    Arrays.fill(x, base + y * w, base + (y + 1) * w, 0f);
                    continue;
                }
                for (int xx = 0; xx < w; xx++) {
                    int sx = xx - dx;
                    if (reflect) {
                        x[base + y * w + xx] = scratch[sy * w + reflectIndex(sx, w)];
                    } else {
                        x[base + y * w + xx] = sx < 0 || sx >= w ? 0f : scratch[sy * w + sx];
                    }
                }
            }
        }
    }

    /** Reflection without repeating the edge: −1 → 1, n → n − 2 (valid while the padding is below n). */
    private static int reflectIndex(int i, int n) {
        if (i < 0) {
            return -i;
        }
        if (i >= n) {
            return 2 * (n - 1) - i;
        }
        return i;
    }

    private static void flip(float[] x, int offset, int channels, int h, int w) {
        for (int row = 0; row < channels * h; row++) {
            int a = offset + row * w;
            for (int i = 0, j = w - 1; i < j; i++, j--) {
                float t = x[a + i];
                x[a + i] = x[a + j];
                x[a + j] = t;
            }
        }
    }
}
