package dev.jcnn.io;

import dev.jcnn.tensor.Shape;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * The jcnn weights file: named float32 tensors plus string metadata, with a checksum.
 *
 * <pre>
 * offset  field
 * 0       magic "JCNNTNSR" (8 ASCII bytes)
 * 8       format version, int32 (1)
 * 12      metadata entries M, int32; then M × (key, value), each a string
 *         tensor entries T, int32; then T × (name string, rank int32, rank × dim int32,
 *                                           size × float32 values, row-major)
 * end−8   CRC-32 of every byte before it, int64
 * </pre>
 * Integers and floats are big-endian; a string is an int32 byte length and UTF-8 bytes.
 * Files are written atomically (a temporary file in the same folder, forced to disk, then
 * renamed over the target), so a crash never leaves a half-written file under the name.
 * Reading checks everything before returning anything: a truncated, corrupted or foreign
 * file is rejected with the offset and what was expected. It streams and allocates no more
 * than the file holds, up to a stated limit ({@link #MAX_FILE_BYTES}).
 */
public final class TensorFile {

    public static final int VERSION = 1;
    private static final int CHUNK = 1 << 16;
    private static final byte[] MAGIC = "JCNNTNSR".getBytes(StandardCharsets.US_ASCII);

    /** One named tensor's shape and values. */
    public record Entry(Shape shape, float[] data) {
    }

    /** A read file: metadata and tensors in file order. */
    public record Contents(Map<String, String> metadata, Map<String, Entry> tensors) {
    }

    private TensorFile() {
    }

    /** Writes the file atomically. */
    public static void write(Path path, Map<String, String> metadata, Map<String, Entry> tensors) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(metadata.size());
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
            out.writeInt(tensors.size());
            for (Map.Entry<String, Entry> e : tensors.entrySet()) {
                Entry t = e.getValue();
                if (t.data().length != t.shape().size()) {
                    throw new IllegalArgumentException("tensor '" + e.getKey() + "' has " + t.data().length
                            + " values, its shape " + t.shape() + " needs " + t.shape().size());
                }
                writeString(out, e.getKey());
                out.writeInt(t.shape().rank());
                for (int d : t.shape().dims()) {
                    out.writeInt(d);
                }
                ByteBuffer buf = ByteBuffer.allocate(t.data().length * 4);
                buf.asFloatBuffer().put(t.data());
                out.write(buf.array());
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }
        writeAtomically(path, bytes.toByteArray());
    }

    /**
     * Writes bytes to a temporary file beside {@code path} ({@code NAME.<digits>.tmp}), forces
     * them to disk, then renames it over {@code path}. The temporary file is created as any new
     * file is (its permissions follow the umask, as the plots' do), not owner-only as
     * {@link Files#createTempFile} would make it, so a saved model is as readable as its folder.
     */
    public static void writeAtomically(Path path, byte[] content) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = null;
        FileChannel ch = null;
        while (ch == null) {
            tmp = dir.resolve(path.getFileName() + "." + (ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
            try {
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                // another writer's temporary file of the same name: draw again
            }
        }
        try {
            try (FileChannel out = ch) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                out.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The largest file {@link #read(Path)} accepts: 2 GiB (2,147,483,648 bytes). Larger files
     * are refused before anything is allocated; {@link #read(Path, long)} states another limit.
     */
    public static final long MAX_FILE_BYTES = 1L << 31;

    /** Reads and fully validates a file of at most {@link #MAX_FILE_BYTES}. */
    public static Contents read(Path path) throws IOException {
        return read(path, MAX_FILE_BYTES);
    }

    /**
     * Reads and fully validates a file of at most {@code maxBytes}. The file is streamed twice,
     * once for the checksum and once for the contents, so memory grows only with the tensors it
     * really holds: every count and length is checked against the bytes that remain before
     * anything is allocated for it.
     *
     * @throws WeightsFileException naming the file, the offset and what was expected, for a
     *     directory, a device, a file over the limit, a truncated, corrupted or foreign file
     */
    public static Contents read(Path path, long maxBytes) throws IOException {
        String where = path.toString();
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        if (attributes.isDirectory()) {
            throw new WeightsFileException(where + ": is a directory, expected a jcnn weights file");
        }
        if (!attributes.isRegularFile()) {
            throw new WeightsFileException(where + ": is not a regular file (a device or a pipe?), expected a jcnn"
                    + " weights file, whose length must be known before it is read");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long length = channel.size();
            if (length > maxBytes) {
                throw fail(where, 0, "file is " + length + " bytes, more than the limit of " + maxBytes
                        + " bytes for a weights file");
            }
            if (length < MAGIC.length + 4 + 4 + 4 + 8) {
                throw fail(where, 0, "file is " + length + " bytes, too short for a jcnn weights file (truncated?)");
            }
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(0)), CHUNK);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw fail(where, 0, "not a jcnn weights file: expected magic \"JCNNTNSR\", found \""
                        + printable(magic) + "\"");
            }
            long body = length - 8;
            CRC32 crc = new CRC32();
            crc.update(magic);
            byte[] chunk = new byte[CHUNK];
            for (long done = MAGIC.length; done < body; ) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, body - done));
                if (n < 0) {
                    throw fail(where, done, "file ends at " + done + " bytes, its length said " + length
                            + " (changed while read?)");
                }
                crc.update(chunk, 0, n);
                done += n;
            }
            byte[] tail = in.readNBytes(8);
            if (tail.length < 8) {
                throw fail(where, body, "file ends inside the checksum (changed while read?)");
            }
            long stored = ByteBuffer.wrap(tail).getLong();
            if (stored != crc.getValue()) {
                String found = (stored >>> 32) != 0
                        ? String.format("the checksum field holds 0x%016x, which is no CRC-32 (a CRC-32 has 32 bits,"
                                + " the field's high 4 bytes must be zero)", stored)
                        : String.format("stored CRC-32 0x%08x", stored);
                throw fail(where, body, String.format("checksum mismatch: %s, computed CRC-32 0x%08x (file truncated"
                        + " or corrupted)", found, crc.getValue()));
            }
            Reader r = new Reader(new BufferedInputStream(Channels.newInputStream(channel.position(MAGIC.length)),
                    CHUNK), where, MAGIC.length, body);
            return parse(r);
        }
    }

    private static Contents parse(Reader r) throws IOException {
        long versionAt = r.pos;
        int version = r.readInt("format version");
        if (version != VERSION) {
            throw r.fail(versionAt, "format version " + version + " is not supported, expected " + VERSION);
        }
        int m = r.readCount("metadata entries");
        Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) {
            meta.put(r.readString("metadata key"), r.readString("metadata value"));
        }
        int t = r.readCount("tensor entries");
        Map<String, Entry> tensors = new LinkedHashMap<>();
        for (int i = 0; i < t; i++) {
            String name = r.readString("tensor name");
            long at = r.pos;
            int rank = r.readCount("rank of '" + name + "'");
            if (rank < 1 || rank > 8) {
                throw r.fail(at, "tensor '" + name + "' has rank " + rank + ", expected 1 to 8");
            }
            int[] dims = new int[rank];
            long size = 1;
            for (int d = 0; d < rank; d++) {
                long dimAt = r.pos;
                dims[d] = r.readInt("dimension");
                if (dims[d] <= 0) {
                    throw r.fail(dimAt, "tensor '" + name + "' dimension " + d + " is " + dims[d] + ", expected > 0");
                }
                // Checked at every step, so the product never overflows: it stays below the file's length.
                size *= dims[d];
                if (size * 4 > r.remaining()) {
                    throw r.fail(r.pos, "tensor '" + name + "' of shape " + Arrays.toString(dims).replace('[', '(')
                            .replace(']', ')') + (d + 1 < rank ? " (first " + (d + 1) + " dimensions)" : "")
                            + " needs " + size * 4 + " bytes, only " + r.remaining() + " remain");
                }
            }
            float[] data = r.readFloats((int) size);
            if (tensors.put(name, new Entry(Shape.of(dims), data)) != null) {
                throw r.fail(at, "tensor '" + name + "' appears twice");
            }
        }
        if (r.remaining() != 0) {
            throw r.fail(r.pos, r.remaining() + " unexpected bytes after the last tensor");
        }
        return new Contents(meta, tensors);
    }

    private static String printable(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            int c = x & 0xFF;
            b.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return b.toString();
    }

    private static WeightsFileException fail(String where, long offset, String message) {
        return new WeightsFileException(where + " at offset " + offset + ": " + message);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** Bounds-checked streaming reads, with offsets in every message, up to the checksum at {@code end}. */
    private static final class Reader {
        final InputStream in;
        final String where;
        final long end;
        long pos;

        Reader(InputStream in, String where, long pos, long end) {
            this.in = in;
            this.where = where;
            this.pos = pos;
            this.end = end;
        }

        long remaining() {
            return end - pos;
        }

        private byte[] readBytes(int n, String what) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw fail(pos + b.length, "file ends inside " + what + " (changed while read?)");
            }
            pos += n;
            return b;
        }

        int readInt(String what) throws IOException {
            if (remaining() < 4) {
                throw fail(pos, "file ends inside " + what + " (truncated?)");
            }
            return ByteBuffer.wrap(readBytes(4, what)).getInt();
        }

        int readCount(String what) throws IOException {
            long at = pos;
            int v = readInt(what);
            if (v < 0) {
                throw fail(at, what + " is " + v + ", expected a count >= 0");
            }
            return v;
        }

        String readString(String what) throws IOException {
            long at = pos;
            int n = readCount("length of " + what);
            if (n > remaining()) {
                throw fail(at, what + " claims " + n + " bytes, only " + remaining() + " remain");
            }
            return new String(readBytes(n, what), StandardCharsets.UTF_8);
        }

        /** Reads {@code count} floats, which the caller has checked fit in what remains, a chunk at a time. */
        float[] readFloats(int count) throws IOException {
            float[] data = new float[count];
            for (int done = 0; done < count; ) {
                int n = Math.min(count - done, CHUNK / 4);
                ByteBuffer.wrap(readBytes(n * 4, "tensor values")).asFloatBuffer().get(data, done, n);
                done += n;
            }
            return data;
        }

        WeightsFileException fail(long offset, String message) {
            return TensorFile.fail(where, offset, message);
        }
    }
}
