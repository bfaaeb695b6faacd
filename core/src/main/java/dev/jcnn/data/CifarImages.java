package dev.jcnn.data;

import dev.jcnn.tensor.Shape;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Images in the CIFAR-10 binary format, read from disk one record at a time: each record is one
 * label byte and 3,072 pixel bytes (the 32×32 red plane, then green, then blue, rows top to
 * bottom), which is CHW as it stands. Only the labels are held in memory; an image is read at
 * its offset when it is asked for. Several files (the five training batches) form one set, in
 * the order given. Pixels are scaled to [0, 1] by 1/255, as {@link IdxImages} scales them.
 *
 * <p>Each file is checked when it is opened: its length must be a whole, non-zero number of
 * records, and every label must lie in 0–9. Reads from several threads are safe (positional
 * reads, no shared buffer).
 */
public final class CifarImages implements Dataset, AutoCloseable {

    /** Pixel bytes of one image: 3 × 32 × 32. */
    public static final int IMAGE_BYTES = 3 * 32 * 32;
    /** Bytes of one record: the label byte and the image. */
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    /** CIFAR-10's ten classes. */
    public static final int CLASSES = 10;
    /**
     * The most records a set may hold, all its files together: 16,777,216 (about 51.6 GB of
     * files; the labels then take 64 MiB of memory).
     */
    public static final long MAX_RECORDS = 1L << 24;

    private static final Shape SHAPE = Shape.of(3, 32, 32);
    private static final float SCALE = 1f / 255f;

    private final List<Path> files;
    private final List<FileChannel> channels;
    /** starts[k] is the index of file k's first record; starts[files] is the size. */
    private final int[] starts;
    private final int[] labels;

    private CifarImages(List<Path> files, List<FileChannel> channels, int[] starts, int[] labels) {
        this.files = files;
        this.channels = channels;
        this.starts = starts;
        this.labels = labels;
    }

    /**
     * Opens the files as one set, checking each one's length and labels.
     *
     * @throws CifarFormatException naming the file, the offset and the value that does not fit
     */
    public static CifarImages open(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no CIFAR-10 file given; expected at least one");
        }
        List<Path> paths = List.copyOf(files);
        int[] starts = new int[paths.size() + 1];
        long total = 0;
        for (int k = 0; k < paths.size(); k++) {
            Path f = paths.get(k);
            long length = Files.size(f);
            if (length == 0) {
                throw new CifarFormatException(f, -1, "the file is empty; expected records of " + RECORD_BYTES
                        + " bytes (1 label byte and " + IMAGE_BYTES + " pixel bytes)");
            }
            if (length % RECORD_BYTES != 0) {
                long whole = length / RECORD_BYTES;
                throw new CifarFormatException(f, whole * RECORD_BYTES, "the file is " + length + " bytes, not a"
                        + " whole number of " + RECORD_BYTES + "-byte records: " + whole + " records and "
                        + (length - whole * RECORD_BYTES) + " bytes over");
            }
            total += length / RECORD_BYTES;
            if (total > MAX_RECORDS) {
                throw new CifarFormatException(f, -1, "the files hold " + total + " records so far, more than the"
                        + " limit of " + MAX_RECORDS + " (CifarImages.MAX_RECORDS)");
            }
            starts[k + 1] = (int) total;
        }
        int[] labels = new int[(int) total];
        for (int k = 0; k < paths.size(); k++) {
            readLabels(paths.get(k), labels, starts[k], starts[k + 1] - starts[k]);
        }
        List<FileChannel> channels = new ArrayList<>();
        try {
            for (Path f : paths) {
                channels.add(FileChannel.open(f, StandardOpenOption.READ));
            }
        } catch (IOException | RuntimeException e) {
            for (FileChannel c : channels) {
                c.close();
            }
            throw e;
        }
        return new CifarImages(paths, List.copyOf(channels), starts, labels);
    }

    private static void readLabels(Path file, int[] labels, int from, int count) throws IOException {
        byte[] record = new byte[RECORD_BYTES];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            for (int r = 0; r < count; r++) {
                long offset = (long) r * RECORD_BYTES;
                if (in.readNBytes(record, 0, RECORD_BYTES) != RECORD_BYTES) {
                    throw new CifarFormatException(file, offset, "the file ended early while reading record " + r
                            + " (it shrank while being read?)");
                }
                int label = record[0] & 0xFF;
                if (label >= CLASSES) {
                    throw new CifarFormatException(file, offset, "label " + label + " of record " + r
                            + " is outside 0.." + (CLASSES - 1));
                }
                labels[from + r] = label;
            }
        }
    }

    /** The files, in the order their records are numbered. */
    public List<Path> files() {
        return files;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Shape imageShape() {
        return SHAPE;
    }

    @Override
    public int classes() {
        return CLASSES;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public void copyImage(int index, float[] dst, int offset) {
        if (index < 0 || index >= labels.length) {
            throw new IndexOutOfBoundsException("image " + index + " of a CIFAR-10 set of " + labels.length
                    + " images");
        }
        int k = fileOf(index);
        long position = (long) (index - starts[k]) * RECORD_BYTES + 1;
        ByteBuffer buf = ByteBuffer.allocate(IMAGE_BYTES);
        try {
            FileChannel c = channels.get(k);
            while (buf.hasRemaining()) {
                int n = c.read(buf, position + buf.position());
                if (n < 0) {
                    throw new CifarFormatException(files.get(k), position + buf.position(),
                            "the file ended inside image " + index + " (it shrank after it was opened)");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] b = buf.array();
        for (int i = 0; i < IMAGE_BYTES; i++) {
            dst[offset + i] = (b[i] & 0xFF) * SCALE;
        }
    }

    private int fileOf(int index) {
        int lo = 0;
        int hi = starts.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FileChannel c : channels) {
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
