package dev.jcnn.data;

import dev.jcnn.tensor.Shape;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An IDX image file (the MNIST format) read one image at a time from disk: only the labels
 * are held in memory, and each image is read at its offset when it is asked for, so a set of
 * any size streams through {@code fit} in batches. Bytes are scaled to [0, 1] exactly as
 * {@link ByteImageDataset} scales them, so both give the same floats.
 *
 * <p>A gzip-compressed file cannot be read at an offset: it is decompressed once into a
 * temporary file, deleted on {@link #close}. The header and the file's length are checked
 * when it is opened, with {@link IdxReader}'s messages.
 */
public final class IdxImages implements Dataset, AutoCloseable {

    private static final float SCALE = 1f / 255f;

    /**
     * The most image bytes a file may declare: 16 GiB (17,179,869,184 bytes), read from disk
     * one image at a time; a gzipped file is decompressed into a temporary file of that size
     * at most.
     */
    public static final long MAX_DATA_BYTES = 1L << 34;

    private final Path file;
    private final Path temporary;
    private final FileChannel channel;
    private final long dataOffset;
    private final Shape imageShape;
    private final int[] labels;
    private final int classes;

    private IdxImages(Path file, Path temporary, FileChannel channel, long dataOffset, Shape imageShape, int[] labels,
                      int classes) {
        this.file = file;
        this.temporary = temporary;
        this.channel = channel;
        this.dataOffset = dataOffset;
        this.imageShape = imageShape;
        this.labels = labels;
        this.classes = classes;
    }

    /**
     * Opens an image file of (count, rows, columns) unsigned bytes and its label file, raw or
     * gzipped, checking that the counts agree and that every label lies in [0, classes).
     *
     * @throws IdxFormatException naming the file and offset of what does not fit
     */
    public static IdxImages open(Path imageFile, Path labelFile, int classes) throws IOException {
        if (classes <= 0) {
            throw new IllegalArgumentException("classes " + classes + ": expected a positive count");
        }
        IdxArray labelArray = IdxReader.read(labelFile, IdxReader.LABELS_MAGIC);
        byte[] rawLabels = labelArray.data();
        int[] labels = new int[rawLabels.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rawLabels[i] & 0xFF;
            if (labels[i] >= classes) {
                throw new IdxFormatException(labelFile, labelArray.headerBytes() + (long) i, "label " + labels[i]
                        + " of image " + i + " is outside 0.." + (classes - 1));
            }
        }
        boolean gzip;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(imageFile))) {
            gzip = IdxReader.isGzip(in);
        }
        Path temporary = gzip ? decompress(imageFile) : null;
        Path raw = gzip ? temporary : imageFile;
        try {
            int[] dims;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(raw))) {
                dims = IdxReader.header(imageFile, in, IdxReader.IMAGES_MAGIC, gzip);
            }
            long headerBytes = 4 + 4L * dims.length;
            long expected = headerBytes + IdxReader.dataBytes(imageFile, dims, MAX_DATA_BYTES);
            long actual = Files.size(raw);
            String where = gzip ? " of the decompressed data" : "";
            if (actual != expected) {
                throw new IdxFormatException(imageFile, Math.min(actual, expected), (actual < expected
                        ? "the file ends after " + actual + " bytes" + where + ", expected "
                        : (actual - expected) + " bytes follow the data" + where + ": expected the file to end at ")
                        + headerBytes + " + " + IdxReader.product(dims) + " = " + expected + " bytes");
            }
            if (dims[0] != labels.length) {
                throw new IdxFormatException(labelFile, 4, "holds " + labels.length + " labels, but " + imageFile
                        + " holds " + dims[0] + " images; expected one label per image");
            }
            FileChannel channel = FileChannel.open(raw, StandardOpenOption.READ);
            return new IdxImages(imageFile, temporary, channel, headerBytes, Shape.of(1, dims[1], dims[2]), labels,
                    classes);
        } catch (IOException | RuntimeException e) {
            if (temporary != null) {
                Files.deleteIfExists(temporary);
            }
            throw e;
        }
    }

    /**
     * Decompresses into a temporary file, reading the header first so that no more than it
     * declares (and no more than {@link #MAX_DATA_BYTES}) is written: a small file that
     * inflates without end fills neither the disk nor the memory.
     */
    private static Path decompress(Path gz) throws IOException {
        Path tmp = Files.createTempFile("jcnn-idx-", ".raw");
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(gz)), 1 << 16);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            int[] dims = IdxReader.header(gz, in, IdxReader.IMAGES_MAGIC, true);
            ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length).putInt(IdxReader.IMAGES_MAGIC);
            for (int d : dims) {
                header.putInt(d);
            }
            out.write(header.array());
            long data = IdxReader.dataBytes(gz, dims, MAX_DATA_BYTES);
            // One byte past the declared end is enough for the length check in open to see that more follows.
            long copied = in.transferTo(new BoundedOutputStream(out, data + 1));
            if (copied > data) {
                long extra = copied - data + in.transferTo(OutputStream.nullOutputStream());
                throw new IdxFormatException(gz, header.capacity() + data, extra + " bytes follow the data of the"
                        + " decompressed data: expected it to end at " + header.capacity() + " + "
                        + IdxReader.product(dims) + " = " + (header.capacity() + data) + " bytes");
            }
        } catch (EOFException | ZipException e) {
            Files.deleteIfExists(tmp);
            throw IdxReader.gzipError(gz, e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /** Passes on at most {@code limit} bytes and then refuses, so that a copy stops where it should. */
    private static final class BoundedOutputStream extends OutputStream {
        private final OutputStream out;
        private long left;

        BoundedOutputStream(OutputStream out, long limit) {
            this.out = out;
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, left);
            out.write(b, off, n);
            left -= n;
        }
    }

    /** The image file this dataset reads. */
    public Path file() {
        return file;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Shape imageShape() {
        return imageShape;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    /** Reads image {@code index} from the file. */
    @Override
    public void copyImage(int index, float[] dst, int offset) {
        if (index < 0 || index >= labels.length) {
            throw new IndexOutOfBoundsException("image " + index + " of " + file + ", which holds " + labels.length);
        }
        int per = imageShape.size();
        ByteBuffer buffer = ByteBuffer.allocate(per);
        long position = dataOffset + (long) index * per;
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new IOException("the file ended at " + (position + buffer.position()) + " bytes");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": could not read image " + index + " at offset " + position + ": "
                    + e.getMessage(), e);
        }
        byte[] bytes = buffer.array();
        for (int i = 0; i < per; i++) {
            dst[offset + i] = (bytes[i] & 0xFF) * SCALE;
        }
    }

    /** Closes the file (and deletes the decompressed copy of a gzipped one). */
    @Override
    public void close() throws IOException {
        channel.close();
        if (temporary != null) {
            Files.deleteIfExists(temporary);
        }
    }
}
