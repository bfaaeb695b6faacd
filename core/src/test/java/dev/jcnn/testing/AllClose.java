package dev.jcnn.testing;

import dev.jcnn.tensor.Shape;
import java.util.Arrays;

/**
 * Elementwise comparison of computed values against a reference, reported the way PyTorch's
 * {@code assert_close} does: on failure the message names the worst element's index (in the
 * tensor's shape), both values, the absolute and relative errors and how many elements differ.
 * The worst element is the one that exceeds its allowed error by the largest factor; NaN or
 * an infinity where the reference differs counts as the worst of all.
 */
public final class AllClose {

    private AllClose() {
    }

    /**
     * The outcome of one comparison.
     *
     * @param mismatches   elements outside the tolerance
     * @param worst        flat index of the worst element, -1 when there are no elements
     * @param maxAbsError  the greatest |a − r| over all elements
     * @param maxRelError  the greatest |a − r| / |r| over all elements (|r| = 0 counts as infinite unless a = r)
     */
    public record Report(String what, Shape shape, Tolerance tolerance, int count, int mismatches, int worst,
                         double actual, double expected, double maxAbsError, double maxRelError) {

        public boolean passed() {
            return mismatches == 0;
        }

        /** A multi-line description, e.g. for an assertion failure or a parity table's detail. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            b.append(what).append(": ");
            if (passed()) {
                b.append("all ").append(count).append(" elements within ").append(tolerance);
            } else {
                b.append(mismatches).append(" of ").append(count).append(" elements differ (")
                        .append(String.format("%.2f%%", 100.0 * mismatches / count)).append(") beyond ")
                        .append(tolerance);
            }
            if (worst >= 0) {
                double abs = Math.abs(actual - expected);
                b.append(String.format("%n  worst at index %s (flat %d): actual %s, expected %s, abs error %.3e, rel error %.3e",
                        index(shape, worst), worst, fmt(actual), fmt(expected), abs, relative(actual, expected)));
                b.append(String.format("%n  greatest abs error %.3e, greatest rel error %.3e", maxAbsError, maxRelError));
            }
            return b.toString();
        }

        /** Throws an {@link AssertionError} with {@link #describe()} unless every element matched. */
        public Report assertPassed() {
            if (!passed()) {
                throw new AssertionError(describe());
            }
            return this;
        }
    }

    /** Compares and throws an {@link AssertionError} describing the worst mismatch, if any. */
    public static Report assertClose(String what, Shape shape, float[] actual, double[] expected, Tolerance tol) {
        return compare(what, shape, actual, expected, tol).assertPassed();
    }

    /** Compares and throws an {@link AssertionError} describing the worst mismatch, if any. */
    public static Report assertClose(String what, Shape shape, float[] actual, float[] expected, Tolerance tol) {
        return compare(what, shape, actual, toDouble(expected), tol).assertPassed();
    }

    /**
     * Compares actual against expected elementwise. Both must hold shape.size() values
     * (shape may be null: the index is then the flat one).
     */
    public static Report compare(String what, Shape shape, float[] actual, double[] expected, Tolerance tol) {
        int n = expected.length;
        if (actual.length != n || (shape != null && shape.size() != n)) {
            throw new AssertionError(what + ": expected " + n + " values" + (shape == null ? "" : " of shape " + shape)
                    + ", got " + actual.length);
        }
        int mismatches = 0;
        int worst = n == 0 ? -1 : 0;
        double worstRatio = -1;
        double maxAbs = 0;
        double maxRel = 0;
        for (int i = 0; i < n; i++) {
            double a = actual[i];
            double r = expected[i];
            double ratio;
            if (a == r || (Double.isNaN(a) && Double.isNaN(r))) {
                ratio = 0;
            } else if (!Double.isFinite(a) || !Double.isFinite(r)) {
                ratio = Double.POSITIVE_INFINITY;
                maxAbs = Double.POSITIVE_INFINITY;
                maxRel = Double.POSITIVE_INFINITY;
            } else {
                double abs = Math.abs(a - r);
                maxAbs = Math.max(maxAbs, abs);
                maxRel = Math.max(maxRel, relative(a, r));
                double allowed = tol.allowed(r);
                ratio = allowed > 0 ? abs / allowed : Double.POSITIVE_INFINITY;
            }
            if (ratio > 1) {
                mismatches++;
            }
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
        }
        return new Report(what, shape, tol, n, mismatches, worst,
                worst < 0 ? Double.NaN : actual[worst], worst < 0 ? Double.NaN : expected[worst], maxAbs, maxRel);
    }

    /** The row-major multi-index of a flat index, e.g. [1, 0, 2, 3]. */
    public static String index(Shape shape, int flat) {
        if (shape == null) {
            return "[" + flat + "]";
        }
        int[] dims = shape.dims();
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = flat % dims[d];
            flat /= dims[d];
        }
        return Arrays.toString(idx);
    }

    public static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static double relative(double a, double r) {
        double abs = Math.abs(a - r);
        return abs == 0 ? 0 : abs / Math.abs(r);
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format("%.8g", v) : Double.toString(v);
    }
}
