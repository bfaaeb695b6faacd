package dev.jcnn.io;

import dev.jcnn.tensor.Shape;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * file is rejected with the offset and what was expected.
 */
public final class TensorFile {

    public static final int VERSION = 1;
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

    /** Writes bytes to a temporary file beside {@code path}, forces them to disk, then renames it over {@code path}. */
    public static void writeAtomically(Path path, byte[] content) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
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

    /** Reads and fully validates a file. */
    public static Contents read(Path path) throws IOException {
        byte[] all = Files.readAllBytes(path);
        return parse(all, path.toString());
    }

    static Contents parse(byte[] all, String where) {
        Reader r = new Reader(all, where);
        if (all.length < MAGIC.length + 4 + 4 + 4 + 8) {
            throw r.fail(0, "file is " + all.length + " bytes, too short for a jcnn weights file (truncated?)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (all[i] != MAGIC[i]) {
                throw r.fail(0, "not a jcnn weights file: expected magic \"JCNNTNSR\", found \""
                        + new String(all, 0, MAGIC.length, StandardCharsets.ISO_8859_1) + "\"");
            }
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw r.fail(all.length - 8, "checksum mismatch: stored CRC-32 " + Long.toHexString(stored)
                    + ", computed " + Long.toHexString(crc.getValue()) + " (file truncated or corrupted)");
        }
        r.pos = MAGIC.length;
        int version = r.readInt("format version");
        if (version != VERSION) {
            throw r.fail(MAGIC.length, "format version " + version + " is not supported, expected " + VERSION);
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
            int at = r.pos;
            int rank = r.readCount("rank of '" + name + "'");
            if (rank < 1 || rank > 8) {
                throw r.fail(at, "tensor '" + name + "' has rank " + rank + ", expected 1 to 8");
            }
            int[] dims = new int[rank];
            long size = 1;
            for (int d = 0; d < rank; d++) {
                int dimAt = r.pos;
                dims[d] = r.readInt("dimension");
                if (dims[d] <= 0) {
                    throw r.fail(dimAt, "tensor '" + name + "' dimension " + d + " is " + dims[d] + ", expected > 0");
                }
                size *= dims[d];
            }
            if (size * 4 > all.length - 8 - r.pos) {
                throw r.fail(r.pos, "tensor '" + name + "' needs " + size * 4 + " bytes, only "
                        + (all.length - 8 - r.pos) + " remain");
            }
            float[] data = new float[(int) size];
            ByteBuffer.wrap(all, r.pos, data.length * 4).asFloatBuffer().get(data);
            r.pos += data.length * 4;
            if (tensors.put(name, new Entry(Shape.of(dims), data)) != null) {
                throw r.fail(at, "tensor '" + name + "' appears twice");
            }
        }
        if (r.pos != all.length - 8) {
            throw r.fail(r.pos, (all.length - 8 - r.pos) + " unexpected bytes after the last tensor");
        }
        return new Contents(meta, tensors);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** Bounds-checked reading with offsets in every message. */
    private static final class Reader {
        final byte[] all;
        final String where;
        int pos;

        Reader(byte[] all, String where) {
            this.all = all;
            this.where = where;
        }

        int readInt(String what) {
            if (pos + 4 > all.length - 8) {
                throw fail(pos, "file ends inside " + what + " (truncated?)");
            }
            int v = ByteBuffer.wrap(all, pos, 4).getInt();
            pos += 4;
            return v;
        }

        int readCount(String what) {
            int at = pos;
            int v = readInt(what);
            if (v < 0) {
                throw fail(at, what + " is " + v + ", expected a count >= 0");
            }
            return v;
        }

        String readString(String what) {
            int at = pos;
            int n = readCount("length of " + what);
            if (n > all.length - 8 - pos) {
                throw fail(at, what + " claims " + n + " bytes, only " + (all.length - 8 - pos) + " remain");
            }
            String s = new String(all, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        WeightsFileException fail(int offset, String message) {
            return new WeightsFileException(where + " at offset " + offset + ": " + message);
        }
    }
}
