package dev.jcnn.tensor;

/**
 * How close a computed value a must be to a reference r: |a − r| ≤ atol + rtol·|r|, as in
 * PyTorch's {@code assert_close} and numpy's {@code allclose}. {@link AllClose} applies it.
 */
public record Tolerance(double rtol, double atol) {

    /** The golden cases' default, and the conformance suite's for float32 against a double oracle. */
    public static final Tolerance DEFAULT = new Tolerance(1e-4, 1e-5);

    public Tolerance {
        if (!(rtol >= 0) || !(atol >= 0)) {
            throw new IllegalArgumentException("tolerances must be non-negative, got rtol " + rtol + ", atol " + atol);
        }
    }

    public static Tolerance of(double rtol, double atol) {
        return new Tolerance(rtol, atol);
    }

    /** The largest error allowed at reference value (or error scale) r. */
    public double allowed(double r) {
        return atol + rtol * Math.abs(r);
    }

    /** The bound as a formula, with the error scale named, e.g. {@code "|a - r| <= 1.0e-05 + 1.0e-04·|r|"}. */
    public String describe(String scale) {
        return String.format("|a - r| <= %.1e + %.1e·%s", atol, rtol, scale);
    }

    @Override
    public String toString() {
        return describe("|r|");
    }
}
