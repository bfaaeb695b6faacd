package dev.jcnn.cpu;

/**
 * One thread's working arrays (patch matrices, packed operands, edge tiles), kept from one
 * call to the next and grown only when a larger shape comes, so that a training loop does
 * not allocate them again at every step. Each use has its own slot, so that an op running
 * on the calling thread may hold one slot while its loop body uses another.
 */
final class Scratch {

    /** What a buffer is for; no two live uses on one thread share a slot. */
    enum Slot {
        /** Packed A of a matrix product that all threads share (weights), on the calling thread. */
        SHARED_A,
        /** A second operand all threads share: transposed weights, or partial sums per group. */
        SHARED_B,
        /** A row of ones, or other small per-call values. */
        SHARED_C,
        /** One thread's patch matrix (im2col). */
        COLS,
        /** One thread's gradient of the patch matrix, or a group's output gradients. */
        DCOLS,
        /** One thread's packed A, when A differs per task. */
        TASK_A,
        /** One thread's Winograd-transformed input tiles. */
        TILES,
        /** Edge panels of B that are narrower than a tile. */
        EDGE_B,
        /** Edge tiles of C that are smaller than a tile. */
        EDGE_C
    }

    /** What a table of row offsets is for. */
    enum Rows {
        /** The rows of B shared by all threads in one op. */
        SHARED,
        /** Rows of B for one task. */
        TASK,
        /** The rows of an edge panel of B. */
        EDGE,
        /** The rows of B for one pass of a long product. */
        PASS
    }

    private final float[][] buffers = new float[Slot.values().length][];
    private final int[][] rows = new int[Rows.values().length][];

    /** A buffer of at least size floats; its contents are left over from earlier use. */
    float[] get(Slot slot, int size) {
        float[] b = buffers[slot.ordinal()];
        if (b == null || b.length < size) {
            b = new float[size];
            buffers[slot.ordinal()] = b;
        }
        return b;
    }

    /** A table of at least size offsets; its contents are left over from earlier use. */
    int[] rows(Rows slot, int size) {
        int[] r = rows[slot.ordinal()];
        if (r == null || r.length < size) {
            r = new int[size];
            rows[slot.ordinal()] = r;
        }
        return r;
    }

    /** The offsets p·ld for p &lt; k: the rows of a row-major matrix. */
    int[] strided(Rows slot, int k, int ld) {
        int[] r = rows(slot, k);
        for (int p = 0; p < k; p++) {
            r[p] = p * ld;
        }
        return r;
    }
}
