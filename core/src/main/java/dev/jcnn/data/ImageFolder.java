package dev.jcnn.data;

import dev.jcnn.tensor.Shape;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A folder of images, one subfolder per class (as torchvision's {@code ImageFolder}): the class
 * names are the subfolders' names, sorted, and class k is the k-th of them. Every PNG, JPEG,
 * BMP or GIF file in a class's folder or below (by its extension, in any case) is an image of
 * that class; other files and names starting with "." are skipped. Only the file names are held
 * in memory: each image is decoded (ImageIO) when it is asked for, so a set of any size
 * streams through {@code fit}.
 *
 * <p>Each image is scaled so that it covers the shape's H × W (its shorter side, relative to
 * the shape, fits), with an antialiasing filter when it shrinks, and centre-cropped to H × W.
 * A grey image has its one channel; a colour one is converted to grey by luminance (0.299 R +
 * 0.587 G + 0.114 B, as PIL's {@code convert("L")}) for a 1-channel shape, and a grey one is
 * repeated for a 3-channel shape. Alpha is dropped; values are in [0, 1]. Grey samples are read
 * as they are stored (no colour-space conversion), 16-bit ones scaled by 1/65535.
 *
 * <p>Strict: no class folder, an empty class, or more than {@link #MAX_FILES} files is refused
 * when the folder is opened; a file that cannot be decoded, or whose width or height (read from
 * its header before anything is decoded) exceeds {@link #MAX_SIDE}, fails the read that asks
 * for it, naming the file. Reads from several threads at once are safe.
 */
public final class ImageFolder implements Dataset {

    private static final Logger LOG = LogManager.getLogger(ImageFolder.class);

    /** The most images a folder may hold: 16,777,216. */
    public static final int MAX_FILES = 1 << 24;
    /** The widest and tallest image decoded: 16,384 pixels. */
    public static final int MAX_SIDE = 16_384;
    /** Images of more pixels (4 Mi, e.g. 2048 × 2048) are decoded subsampled. */
    public static final long MAX_DECODED_PIXELS = 1L << 22;
    /** The extensions read, in lower case. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private final Path root;
    private final List<String> classNames;
    /** Each image's path, relative to the root. */
    private final String[] files;
    private final int[] labels;
    private final Shape shape;

    private ImageFolder(Path root, List<String> classNames, String[] files, int[] labels, Shape shape) {
        this.root = root;
        this.classNames = classNames;
        this.files = files;
        this.labels = labels;
        this.shape = shape;
    }

    /**
     * Lists the folder's classes and images, to be read as images of this shape (C, H, W), C 1
     * (grey) or 3 (RGB). Nothing is decoded yet.
     *
     * @throws IllegalArgumentException naming the folder when it has no class folder, a class
     *                                  folder has no image, or there are more than {@link #MAX_FILES}
     */
    public static ImageFolder open(Path root, Shape shape) throws IOException {
        checkShape(shape);
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("image folder " + root + ": " + (Files.exists(root) ? "not a folder"
                    : "no such folder") + "; expected one subfolder of images per class");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new IllegalArgumentException("image folder " + root + " has no class folders; expected one subfolder"
                    + " of images per class, e.g. " + root.resolve("cat") + " and " + root.resolve("dog"));
        }
        List<String> names = new ArrayList<>();
        List<String> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int skipped = 0;
        for (Path dir : classDirs) {
            int label = names.size();
            names.add(dir.getFileName().toString());
            int before = files.size();
            List<Path> inClass;
            try (Stream<Path> s = Files.walk(dir)) {
                inClass = s.filter(Files::isRegularFile).filter(p -> !hiddenBelow(dir, p)).sorted().toList();
            }
            for (Path f : inClass) {
                if (!EXTENSIONS.contains(extension(f))) {
                    skipped++;
                    continue;
                }
                if (files.size() >= MAX_FILES) {
                    throw new IllegalArgumentException("image folder " + root + " holds more than " + MAX_FILES
                            + " images (ImageFolder.MAX_FILES), counting up to " + dir);
                }
                files.add(root.relativize(f).toString());
                labels.add(label);
            }
            if (files.size() == before) {
                throw new IllegalArgumentException("image folder " + root + ": class '" + dir.getFileName() + "' ("
                        + dir + ") has no images; expected files ending in ." + String.join(", .", sortedExtensions()));
            }
        }
        if (skipped > 0) {
            LOG.info("image folder {}: skipped {} files that are not {} images", root, skipped, sortedExtensions());
        }
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageFolder(root, List.copyOf(names), files.toArray(String[]::new), y, shape);
    }

    private static List<String> sortedExtensions() {
        return EXTENSIONS.stream().sorted().toList();
    }

    private static void checkShape(Shape shape) {
        if (shape == null || shape.rank() != 3 || (shape.dim(0) != 1 && shape.dim(0) != 3)) {
            throw new IllegalArgumentException("image folder: expected an image shape (C, H, W) with C 1 (grey) or 3"
                    + " (RGB), got " + shape);
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean hiddenBelow(Path dir, Path p) {
        for (Path part : dir.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String extension(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The same images, read as images of another shape (C, H, W), C 1 or 3. */
    public ImageFolder withShape(Shape s) {
        checkShape(s);
        return s.equals(shape) ? this : new ImageFolder(root, classNames, files, labels, s);
    }

    /** The images at these positions (in this folder's order), as a folder of the same classes. */
    public ImageFolder subset(int[] indices) {
        String[] f = new String[indices.length];
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            f[i] = files[indices[i]];
            y[i] = labels[indices[i]];
        }
        return new ImageFolder(root, classNames, f, y, shape);
    }

    /** A view of images [from, to), itself an image folder (so that {@link #withShape} applies to it). */
    @Override
    public ImageFolder slice(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of an image folder of " + size()
                    + " images; expected 0 <= from <= to <= " + size());
        }
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return subset(idx);
    }

    @Override
    public ImageFolder first(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("first(" + n + "): expected a count >= 0");
        }
        return slice(0, Math.min(n, size()));
    }

    @Override
    public ImageFolder select(int... indices) {
        for (int k = 0; k < indices.length; k++) {
            if (indices[k] < 0 || indices[k] >= size()) {
                throw new IndexOutOfBoundsException("index " + indices[k] + " (position " + k
                        + ") is outside an image folder of " + size() + " images");
            }
        }
        return subset(indices);
    }

    /**
     * Splits off every {@code every}-th image of each class (the every-th, 2·every-th, ... in
     * the sorted order of the class's files) as the test set: [0] the rest, [1] those. The same
     * folder always splits the same way, and each class keeps its share.
     */
    public ImageFolder[] splitEvery(int every) {
        if (every < 2) {
            throw new IllegalArgumentException("splitEvery(" + every + "): expected 2 or more");
        }
        int[] seen = new int[classes()];
        List<Integer> keep = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            if (++seen[labels[i]] % every == 0) {
                held.add(i);
            } else {
                keep.add(i);
            }
        }
        return new ImageFolder[] {subset(keep.stream().mapToInt(Integer::intValue).toArray()),
            subset(held.stream().mapToInt(Integer::intValue).toArray())};
    }

    /**
     * Decodes one image file as {@link #copyImage} decodes the folder's: scaled to cover and
     * centre-cropped to the shape (C, H, W), C 1 or 3.
     *
     * @throws IOException naming the file when it cannot be decoded or is too large
     */
    public static float[] read(Path file, Shape shape) throws IOException {
        checkShape(shape);
        float[] out = new float[shape.size()];
        try {
            fit(decode(file, shape.dim(1), shape.dim(2)), shape, out, 0);
        } catch (IOException e) {
            throw new IOException(file + ": could not decode the image: " + e.getMessage(), e);
        }
        return out;
    }

    /** The folder. */
    public Path root() {
        return root;
    }

    /** The class names, sorted: class k is named classNames().get(k). */
    public List<String> classNames() {
        return classNames;
    }

    /** The file of image {@code index}. */
    public Path file(int index) {
        return root.resolve(files[index]);
    }

    @Override
    public int size() {
        return files.length;
    }

    @Override
    public Shape imageShape() {
        return shape;
    }

    @Override
    public int classes() {
        return classNames.size();
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    /**
     * Decodes image {@code index}, scales and crops it to the shape.
     *
     * @throws UncheckedIOException naming the file when it cannot be read or decoded, or is too large
     */
    @Override
    public void copyImage(int index, float[] dst, int offset) {
        if (index < 0 || index >= files.length) {
            throw new IndexOutOfBoundsException("image " + index + " of " + root + ", which holds " + files.length);
        }
        Path file = file(index);
        try {
            Decoded d = decode(file, shape.dim(1), shape.dim(2));
            fit(d, shape, dst, offset);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": could not decode the image: " + e.getMessage(), e);
        }
    }

    /** An image's planes: 1 (grey) or 3 (RGB) channels of h × w values in [0, 1]. */
    private record Decoded(int channels, int height, int width, float[] values) {
    }

    /**
     * Reads the size from the header, refuses what is too large, and decodes an image of more
     * than {@link #MAX_DECODED_PIXELS} with subsampling (every n-th pixel, keeping at least twice
     * the target's size), so that a huge photo never takes its full size in memory.
     */
    static Decoded decode(Path file, int targetH, int targetW) throws IOException {
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("not a PNG, JPEG, BMP or GIF image that ImageIO reads");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w > MAX_SIDE || h > MAX_SIDE || w <= 0 || h <= 0) {
                    throw new IOException("the image is " + w + "×" + h + " pixels; expected 1 to " + MAX_SIDE
                            + " on each side (ImageFolder.MAX_SIDE)");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = 1;
                while ((long) (w / step) * (h / step) > MAX_DECODED_PIXELS && w / (step + 1) >= 2 * targetW
                        && h / (step + 1) >= 2 * targetH) {
                    step++;
                }
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                BufferedImage img = reader.read(0, param);
                return planes(img);
            } catch (RuntimeException e) {
                // ImageIO's readers throw unchecked exceptions on some damaged files
                throw new IOException(e.toString(), e);
            } finally {
                reader.dispose();
            }
        }
    }

    private static Decoded planes(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        Raster raster = img.getRaster();
        if (img.getColorModel() instanceof ComponentColorModel cm
                && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // grey as stored: ImageIO's grey colour space is linear, and converting it to sRGB would brighten it
            float scale = 1f / ((1 << raster.getSampleModel().getSampleSize(0)) - 1);
            float[] v = new float[w * h];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    v[y * w + x] = row[x] * scale;
                }
            }
            return new Decoded(1, h, w, v);
        }
        float[] v = new float[3 * w * h];
        int[] row = new int[w];
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                v[y * w + x] = ((p >> 16) & 0xFF) / 255f;
                v[plane + y * w + x] = ((p >> 8) & 0xFF) / 255f;
                v[2 * plane + y * w + x] = (p & 0xFF) / 255f;
            }
        }
        return new Decoded(3, h, w, v);
    }

    /** Converts the channels, scales to cover H × W and centre-crops, into dst. */
    private static void fit(Decoded d, Shape shape, float[] dst, int offset) {
        int c = shape.dim(0);
        int h = shape.dim(1);
        int w = shape.dim(2);
        float[][] channels = new float[c][];
        int plane = d.height() * d.width();
        for (int ch = 0; ch < c; ch++) {
            if (d.channels() == c) {
                channels[ch] = Arrays.copyOfRange(d.values(), ch * plane, (ch + 1) * plane);
            } else if (c == 3) {
                channels[ch] = d.values();
            } else {
                float[] grey = new float[plane];
                float[] v = d.values();
                for (int i = 0; i < plane; i++) {
                    grey[i] = 0.299f * v[i] + 0.587f * v[plane + i] + 0.114f * v[2 * plane + i];
                }
                channels[ch] = grey;
            }
        }
        double scale = Math.max((double) h / d.height(), (double) w / d.width());
        Axis rows = Axis.of(d.height(), h, scale);
        Axis cols = Axis.of(d.width(), w, scale);
        float[] across = new float[d.height() * w];
        for (int ch = 0; ch < c; ch++) {
            float[] src = channels[ch];
            for (int y = 0; y < d.height(); y++) {
                for (int x = 0; x < w; x++) {
                    across[y * w + x] = cols.apply(src, y * d.width(), 1, x);
                }
            }
            int out = offset + ch * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    dst[out + y * w + x] = rows.apply(across, x, w, y);
                }
            }
        }
    }

    /**
     * One axis of a resampling: for each output position, the source positions it reads and
     * their weights, a triangle (bilinear) filter widened by 1/scale when shrinking, as PIL's
     * antialiased resize, over the centred crop of the scaled axis.
     */
    private record Axis(int[] first, float[][] weights) {

        static Axis of(int source, int target, double scale) {
            double offset = (source * scale - target) / 2; // the crop's start on the scaled axis
            double support = Math.max(1, 1 / scale);
            int[] first = new int[target];
            float[][] weights = new float[target][];
            for (int o = 0; o < target; o++) {
                double centre = (o + 0.5 + offset) / scale; // in source pixels
                int lo = Math.max(0, (int) Math.floor(centre - support));
                int hi = Math.min(source - 1, (int) Math.ceil(centre + support));
                float[] wgt = new float[hi - lo + 1];
                double sum = 0;
                for (int i = lo; i <= hi; i++) {
                    double t = 1 - Math.abs(i + 0.5 - centre) / support;
                    wgt[i - lo] = (float) Math.max(0, t);
                    sum += wgt[i - lo];
                }
                if (sum == 0) {
                    int nearest = Math.min(source - 1, Math.max(0, (int) Math.floor(centre)));
                    lo = nearest;
                    wgt = new float[] {1f};
                    sum = 1;
                }
                for (int k = 0; k < wgt.length; k++) {
                    wgt[k] /= (float) sum;
                }
                first[o] = lo;
                weights[o] = wgt;
            }
            return new Axis(first, weights);
        }

        /** Output position o from values base + i·stride. */
        float apply(float[] v, int base, int stride, int o) {
            float[] wgt = weights[o];
            int at = base + first[o] * stride;
            float s = 0;
            for (int k = 0; k < wgt.length; k++) {
                s += wgt[k] * v[at + k * stride];
            }
            return s;
        }
    }
}
