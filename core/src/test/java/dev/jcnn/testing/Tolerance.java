package dev.jcnn.testing;

/**
 * How close a computed value a must be to a reference r: |a − r| ≤ atol + rtol·|r|, as in
 * PyTorch's {@code assert_close} and numpy's {@code allclose}.
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

    /** The largest error allowed at reference value r. */
    public double allowed(double r) {
        return atol + rtol * Math.abs(r);
    }

    @Override
    public String toString() {
        return String.format("|a - r| <= %.1e + %.1e·|r|", atol, rtol);
    }
}
