package dev.jcnn.tensor;

import java.util.Arrays;

/**
 * Elementwise comparison of computed values against a reference, reported the way PyTorch's
 * {@code assert_close} does: the message names the worst element's index (in the tensor's
 * shape), both values, the absolute and relative errors and how many elements differ. The
 * worst element is the one that exceeds its allowed error by the largest factor; NaN or an
 * infinity where the reference differs counts as the worst of all.
 *
 * <p>The one comparer of the project: the tests (conformance, CUDA parity, golden cases, fast
 * paths) and the command line's {@code parity} check all report through it.
 */
public final class AllClose {

    private AllClose() {
    }

    /**
     * The outcome of one comparison.
     *
     * @param bound        the allowed error as a formula, e.g. {@code "|a - r| <= 1.0e-05 + 1.0e-04·|r|"}
     * @param mismatches   elements outside the bound
     * @param worst        flat index of the worst element, -1 when there are no elements
     * @param maxAbsError  the greatest |a − r| over all elements
     * @param maxRelError  the greatest |a − r| / |r| over all elements (|r| = 0 counts as infinite unless a = r)
     */
    public record Report(String what, Shape shape, String bound, int count, int mismatches, int worst,
                         double actual, double expected, double maxAbsError, double maxRelError) {

        public boolean passed() {
            return mismatches == 0;
        }

        /** A multi-line description, e.g. for an assertion failure. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            b.append(what).append(": ");
            if (passed()) {
                b.append("all ").append(count).append(" elements within ").append(bound);
            } else {
                b.append(mismatches).append(" of ").append(count).append(" elements differ (")
                        .append(String.format("%.2f%%", 100.0 * mismatches / count)).append(") beyond ").append(bound);
            }
            if (worst >= 0) {
                b.append(String.format("%n  worst at index %s (flat %d): actual %s, expected %s, abs error %.3e, rel error %.3e",
                        index(shape, worst), worst, fmt(actual), fmt(expected), Math.abs(actual - expected),
                        relative(actual, expected)));
                b.append(String.format("%n  greatest abs error %.3e, greatest rel error %.3e", maxAbsError, maxRelError));
            }
            return b.toString();
        }

        /** One line: "ok" or "FAIL", what was compared, the greatest errors and, on failure, the worst element. */
        public String summary() {
            String errors = String.format("greatest abs error %.2e, rel %.2e", maxAbsError, maxRelError);
            if (passed()) {
                return String.format("ok   %s: %d elements, %s", what, count, errors);
            }
            return String.format("FAIL %s: %d of %d elements beyond %s, %s; worst at %s: actual %s, expected %s", what,
                    mismatches, count, bound, errors, index(shape, worst), fmt(actual), fmt(expected));
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
     * Compares actual against expected elementwise: |a − r| ≤ atol + rtol·|r|. Both must hold
     * shape.size() values (shape may be null: the index is then the flat one).
     */
    public static Report compare(String what, Shape shape, float[] actual, double[] expected, Tolerance tol) {
        return compare(what, shape, actual, expected, null, tol);
    }

    /** As {@link #compare(String, Shape, float[], double[], Tolerance)}, against float values. */
    public static Report compare(String what, Shape shape, float[] actual, float[] expected, Tolerance tol) {
        return compare(what, shape, actual, toDouble(expected), null, tol);
    }

    /**
     * Compares with the error allowed at element i scaled by scale[i] instead of |r|:
     * |a − r| ≤ atol + rtol·scale[i]. For a sum, scale = Σ|term| bounds the rounding of any
     * summation order, also where the terms cancel and |r| is small.
     */
    public static Report compareScaled(String what, Shape shape, float[] actual, double[] expected, double[] scale,
            Tolerance tol) {
        if (scale.length != expected.length) {
            throw new IllegalArgumentException(what + ": " + scale.length + " error scales for " + expected.length + " values");
        }
        return compare(what, shape, actual, expected, scale, tol);
    }

    /**
     * Bit-for-bit equality (NaNs of any payload count as equal, −0 and +0 do not), reported in
     * the same form: for results that must not depend on the thread count or the summation order.
     */
    public static Report compareBits(String what, Shape shape, float[] actual, float[] expected) {
        int n = checkLengths(what, shape, actual, expected.length);
        int mismatches = 0;
        int worst = n == 0 ? -1 : 0;
        double worstRatio = -1;
        double maxAbs = 0;
        double maxRel = 0;
        for (int i = 0; i < n; i++) {
            double a = actual[i];
            double r = expected[i];
            double ratio = 0;
            if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(expected[i])) {
                mismatches++;
                boolean finite = Double.isFinite(a) && Double.isFinite(r);
                double abs = finite ? Math.abs(a - r) : Double.POSITIVE_INFINITY;
                maxAbs = Math.max(maxAbs, abs);
                maxRel = Math.max(maxRel, finite ? relative(a, r) : Double.POSITIVE_INFINITY);
                ratio = abs + Double.MIN_VALUE;   // −0 against +0 differs too
            }
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
        }
        return new Report(what, shape, "bit-for-bit equality", n, mismatches, worst, worst < 0 ? Double.NaN : actual[worst],
                worst < 0 ? Double.NaN : expected[worst], maxAbs, maxRel);
    }

    private static Report compare(String what, Shape shape, float[] actual, double[] expected, double[] scale,
            Tolerance tol) {
        int n = checkLengths(what, shape, actual, expected.length);
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
                double allowed = tol.allowed(scale == null ? r : scale[i]);
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
        return new Report(what, shape, tol.describe(scale == null ? "|r|" : "Σ|term|"), n, mismatches, worst,
                worst < 0 ? Double.NaN : actual[worst], worst < 0 ? Double.NaN : expected[worst], maxAbs, maxRel);
    }

    private static int checkLengths(String what, Shape shape, float[] actual, int n) {
        if (actual.length != n || (shape != null && shape.size() != n)) {
            throw new AssertionError(what + ": expected " + n + " values" + (shape == null ? "" : " of shape " + shape)
                    + ", got " + actual.length);
        }
        return n;
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

    /** The values widened to double. */
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
