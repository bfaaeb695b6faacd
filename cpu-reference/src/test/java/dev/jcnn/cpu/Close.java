package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;

/**
 * Float results against the {@link Oracle}: each value may differ from the exact one by
 * {@link #RELATIVE} times the sum of the absolute values of its terms (the scale of float
 * rounding in any summation order) plus {@link #ABSOLUTE}. A failure names the first bad
 * index, both values, the errors and how many values are off, as PyTorch's assert_close does.
 */
final class Close {

    /** Float sums of up to tens of thousands of terms stay well inside this, in any order. */
    static final double RELATIVE = 2e-5;
    static final double ABSOLUTE = 1e-6;

    private Close() {
    }

    static void assertClose(String what, Oracle.Result expected, float[] actual) {
        double[] e = expected.values();
        if (e.length != actual.length) {
            fail(what + ": expected " + e.length + " values, got " + actual.length);
        }
        int bad = 0;
        int first = -1;
        for (int i = 0; i < e.length; i++) {
            double allowed = RELATIVE * expected.magnitudes()[i] + ABSOLUTE;
            if (!(Math.abs(actual[i] - e[i]) <= allowed)) {
                bad++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (bad > 0) {
            double abs = Math.abs(actual[first] - e[first]);
            fail(String.format(Locale.ROOT,
                    "%s: %d of %d values differ; first at index %d: expected %.9g, got %.9g (abs error %.3g, "
                            + "rel error %.3g, allowed %.3g)",
                    what, bad, e.length, first, e[first], actual[first], abs, abs / Math.max(Math.abs(e[first]), 1e-30),
                    RELATIVE * expected.magnitudes()[first] + ABSOLUTE));
        }
    }

    /** Bit-for-bit equality (NaNs of any payload count as equal), with the same kind of message. */
    static void assertSameBits(String what, float[] expected, float[] actual) {
        int bad = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                bad++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of " + expected.length + " values differ; first at index " + first + ": expected "
                    + expected[first] + ", got " + actual[first]);
        }
    }
}
