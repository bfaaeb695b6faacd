package dev.jcnn.testing;

/**
 * Where the comparer lived before it moved to core ({@link dev.jcnn.tensor.AllClose}, so that
 * the command line's parity check reports through it too). Only the widening helper that
 * {@code oracle.OracleBackend} imports remains; remove this class once that file imports
 * {@code dev.jcnn.tensor.AllClose} (the op-family rewrite of the oracle backend).
 */
public final class AllClose {

    private AllClose() {
    }

    /** The values widened to double: {@link dev.jcnn.tensor.AllClose#toDouble(float[])}. */
    public static double[] toDouble(float[] v) {
        return dev.jcnn.tensor.AllClose.toDouble(v);
    }
}
