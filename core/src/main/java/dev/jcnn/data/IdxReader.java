package dev.jcnn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes (the MNIST format), raw or gzip-compressed (told apart
 * by the gzip signature, not the file name). Big-endian header: a magic number 0x000008DD
 * where DD is the number of dimensions, one 4-byte size per dimension, then the bytes.
 * Everything is checked: the magic number, every size, and that the file holds exactly
 * the bytes the header announces, before anything is allocated for them (see
 * {@link #read(Path, int, long)}).
 */
public final class IdxReader {

    /** The magic number of an MNIST image file: unsigned bytes, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** The magic number of an MNIST label file: unsigned bytes, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /**
     * The most data bytes {@link #read(Path, int)} holds in memory: 1 GiB (1,073,741,824 bytes;
     * the MNIST training images are 47 MB). {@link #read(Path, int, long)} states another limit.
     */
    public static final long MAX_DATA_BYTES = 1L << 30;

    /**
     * Reads the file and checks that its magic number is {@code expectedMagic}; its data may
     * be at most {@link #MAX_DATA_BYTES}.
     *
     * @throws IdxFormatException naming the file, offset, expected and found values
     */
    public static IdxArray read(Path file, int expectedMagic) throws IOException {
        return read(file, expectedMagic, MAX_DATA_BYTES);
    }

    /**
     * Reads the file and checks that its magic number is {@code expectedMagic}. The size the
     * header declares is checked against {@code maxDataBytes} and, for a raw file, against the
     * file's length before anything is allocated; gzip data, whose size is known only once it
     * is decompressed, is held in a buffer that grows as the data arrives. So a hostile header
     * costs no more memory than the data that is really there.
     *
     * @throws IdxFormatException naming the file, offset, expected and found values
     */
    public static IdxArray read(Path file, int expectedMagic, long maxDataBytes) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new IdxFormatException(file, -1, (attributes.isDirectory() ? "is a directory" : "is not a regular file")
                    + ", expected an IDX file");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            boolean gzip = isGzip(raw);
            try (InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
                return parse(file, in, expectedMagic, gzip, gzip ? -1 : attributes.size(), maxDataBytes);
            } catch (EOFException | ZipException e) {
                throw gzipError(file, e);
            }
        }
    }

    /** Whether the stream (which must support mark) starts with the gzip signature; it is left where it was. */
    static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return gzip;
    }

    /** The error for gzip data that ends early or is corrupt, with the decompressor's words when it has any. */
    static IdxFormatException gzipError(Path file, IOException e) {
        String detail = e.getMessage() != null ? e.getMessage()
                : e instanceof EOFException ? "the data ends early, inside the gzip header or a block"
                        : e.getClass().getSimpleName();
        return new IdxFormatException(file, -1, "the gzip data is truncated or corrupt (" + detail + ")", e);
    }

    /**
     * The number of data bytes the header declares, checked against {@code maxDataBytes}.
     * Computed in long one dimension at a time, so it cannot overflow before it is refused.
     */
    static long dataBytes(Path file, int[] dims, long maxDataBytes) throws IdxFormatException {
        long total = declaredBytes(dims, maxDataBytes);
        if (total < 0) {
            throw new IdxFormatException(file, 4, "the header announces " + product(dims)
                    + " values of one byte, more than the limit of " + maxDataBytes + " bytes");
        }
        return total;
    }

    /** The product of the sizes, or -1 as soon as it passes {@code ceiling} (so it never overflows). */
    private static long declaredBytes(int[] dims, long ceiling) {
        long total = 1;
        for (int d : dims) {
            total *= d;
            if (total > ceiling) {
                return -1;
            }
        }
        return total;
    }

    private static IdxArray parse(Path file, InputStream in, int expectedMagic, boolean gzip, long fileLength,
                                  long maxDataBytes) throws IOException {
        String where = gzip ? " of the decompressed data" : "";
        int[] dims = header(file, in, expectedMagic, gzip);
        long headerBytes = 4 + 4L * dims.length;
        long limit = Math.min(maxDataBytes, Integer.MAX_VALUE - 16);
        if (fileLength >= 0) {
            // A raw file must hold what its header declares: say so first, with the numbers.
            long declared = declaredBytes(dims, Long.MAX_VALUE >> 32);
            if (declared < 0 || fileLength < headerBytes + declared) {
                throw new IdxFormatException(file, fileLength, "the file ends after " + fileLength + " bytes, expected "
                        + headerBytes + " + " + product(dims) + (declared < 0 ? " bytes"
                                : " = " + (headerBytes + declared) + " bytes: " + (headerBytes + declared - fileLength)
                                        + " data bytes are missing"));
            }
        }
        long total = dataBytes(file, dims, limit);
        // Raw: the length was checked, so allocate at once. Gzip: grow as the data arrives.
        byte[] data = new byte[(int) (gzip ? Math.min(total, 1 << 20) : total)];
        int got = 0;
        while (got < total) {
            if (got == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(total, 2L * data.length));
            }
            int n = in.read(data, got, data.length - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        if (got < total) {
            throw new IdxFormatException(file, headerBytes + got, "the file ends after " + (headerBytes + got)
                    + " bytes" + where + ", expected " + headerBytes + " + " + product(dims) + " = "
                    + (headerBytes + total) + " bytes: " + (total - got) + " data bytes are missing");
        }
        if (in.read() != -1) {
            long extra = 1 + in.transferTo(OutputStream.nullOutputStream());
            throw new IdxFormatException(file, headerBytes + total, extra + " bytes follow the data" + where
                    + ": expected the file to end at " + (headerBytes + total) + " bytes (" + headerBytes
                    + " + " + product(dims) + ")");
        }
        return new IdxArray(file, expectedMagic, dims, data);
    }

    /**
     * Reads and checks the magic number and the dimension sizes; returns the sizes, the stream
     * left at the first data byte.
     *
     * @throws IdxFormatException naming the file, offset, expected and found values
     */
    static int[] header(Path file, InputStream in, int expectedMagic, boolean gzip) throws IOException {
        String where = gzip ? " of the decompressed data" : "";
        byte[] magicBytes = new byte[4];
        int got = in.readNBytes(magicBytes, 0, 4);
        if (got < 4) {
            throw new IdxFormatException(file, got, "the file ends after " + got + " bytes" + where
                    + ", inside the 4-byte magic number; expected 0x" + hex(expectedMagic));
        }
        int magic = toInt(magicBytes, 0);
        if (magic != expectedMagic) {
            throw new IdxFormatException(file, 0, "magic number 0x" + hex(magic) + ", expected 0x" + hex(expectedMagic)
                    + " (" + describe(expectedMagic) + "); found " + describe(magic));
        }
        int rank = magic & 0xFF;
        int[] dims = new int[rank];
        byte[] header = new byte[4 * rank];
        got = in.readNBytes(header, 0, header.length);
        if (got < header.length) {
            throw new IdxFormatException(file, 4 + got, "the file ends inside the header" + where + ": expected "
                    + (4 + header.length) + " header bytes (" + rank + " dimension sizes), found " + (4 + got));
        }
        for (int d = 0; d < rank; d++) {
            dims[d] = toInt(header, 4 * d);
            if (dims[d] <= 0) {
                throw new IdxFormatException(file, 4 + 4L * d, "dimension " + d + " is " + dims[d]
                        + ", expected a positive size");
            }
        }
        return dims;
    }

    private static String describe(int magic) {
        if ((magic & 0xFFFF0000) != 0) {
            return "not an IDX header";
        }
        int type = (magic >>> 8) & 0xFF;
        String kind = type == 0x08 ? "unsigned bytes" : "value type 0x" + Integer.toHexString(type)
                + (type == 0x0D ? " (float)" : type == 0x0C ? " (int)" : "");
        int rank = magic & 0xFF;
        String what = magic == IMAGES_MAGIC ? ": images" : magic == LABELS_MAGIC ? ": labels" : "";
        return "IDX of " + kind + " with " + rank + " dimension" + (rank == 1 ? "" : "s") + what;
    }

    static String product(int[] dims) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            b.append(i == 0 ? "" : "·").append(dims[i]);
        }
        return b.toString();
    }

    static String hex(int v) {
        return String.format("%08X", v);
    }

    private static int toInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
