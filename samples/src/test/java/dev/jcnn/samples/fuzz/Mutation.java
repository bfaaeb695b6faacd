package dev.jcnn.samples.fuzz;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One edit of a seed file, as a mutating fuzzer makes them: a flipped bit, a byte set, a cut,
 * a deleted, inserted or repeated run, or a 4-byte field set to a hostile integer.
 *
 * @param kind  what to do
 * @param where where, as a fraction of the input's length, so that one edit fits every seed
 * @param value the byte, run length or index of the hostile integer, as the kind needs
 */
record Mutation(Kind kind, double where, int value) {

    /** The kinds of edit. */
    enum Kind { FLIP_BIT, SET_BYTE, TRUNCATE, DELETE, INSERT, REPEAT, HOSTILE_INT }

    /** Counts and lengths that break readers which trust their headers. */
    private static final int[] HOSTILE = {0, -1, 1, 2, 8, 255, 256, 65_535, 1 << 20, 2_700_000, 1 << 30,
        Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 8};

    /** One to four edits. */
    static Arbitrary<List<Mutation>> edits() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 1 << 16)).as(Mutation::new).list().ofMinSize(1).ofMaxSize(4);
    }

    static byte[] applyAll(byte[] seed, List<Mutation> edits) {
        byte[] b = seed;
        for (Mutation m : edits) {
            b = m.apply(b);
        }
        return b;
    }

    byte[] apply(byte[] in) {
        int at = (int) Math.min(in.length, Math.floor(where * (in.length + 1)));
        int run = 1 + value % 64;
        switch (kind) {
            case FLIP_BIT -> {
                return at < in.length ? set(in, at, (byte) (in[at] ^ (1 << (value & 7)))) : in;
            }
            case SET_BYTE -> {
                return at < in.length ? set(in, at, (byte) value) : in;
            }
            case TRUNCATE -> {
                return Arrays.copyOf(in, at);
            }
            case DELETE -> {
                int end = Math.min(in.length, at + run);
                byte[] out = new byte[in.length - (end - at)];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, end, out, at, in.length - end);
                return out;
            }
            case INSERT, REPEAT -> {
                byte[] ins = new byte[kind == Kind.INSERT ? run : Math.min(run, in.length - at)];
                if (kind == Kind.INSERT) {
                    Arrays.fill(ins, (byte) (value >>> 8));
                } else {
                    System.arraycopy(in, at, ins, 0, ins.length);
                }
                byte[] out = new byte[in.length + ins.length];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(ins, 0, out, at, ins.length);
                System.arraycopy(in, at, out, at + ins.length, in.length - at);
                return out;
            }
            case HOSTILE_INT -> {
                if (at + 4 > in.length) {
                    return in;
                }
                byte[] out = in.clone();
                ByteBuffer.wrap(out, at, 4).putInt(HOSTILE[value % HOSTILE.length]);
                return out;
            }
            default -> throw new AssertionError(kind);
        }
    }

    private static byte[] set(byte[] in, int at, byte v) {
        byte[] out = in.clone();
        out[at] = v;
        return out;
    }

    /** Stores the right CRC-32 in a weights file's last 8 bytes, as a hostile writer would, to get past the checksum. */
    static byte[] withValidChecksum(byte[] b) {
        if (b.length < 8) {
            return b;
        }
        byte[] out = b.clone();
        CRC32 crc = new CRC32();
        crc.update(out, 0, out.length - 8);
        ByteBuffer.wrap(out, out.length - 8, 8).putLong(crc.getValue());
        return out;
    }
}
