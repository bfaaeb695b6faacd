package dev.jcnn.samples.parity;

/**
 * One tensor compared across backends: an element fails when |a − b| > atol + rtol·|b|
 * (b is the CPU reference), as PyTorch's assert_close counts.
 *
 * @param what      what was compared, e.g. "lenet5 conv2d_1 output"
 * @param count     elements compared
 * @param failures  elements outside the tolerance
 * @param worst     index of the largest absolute difference
 * @param a         the value there on the backend under test
 * @param b         the reference value there
 * @param maxAbs    the largest absolute difference
 * @param maxRel    the largest relative difference, |a − b| / max(|b|, 1e-12)
 */
public record Comparison(String what, int count, int failures, int worst, float a, float b, double maxAbs,
                         double maxRel) {

    public static Comparison of(String what, float[] tested, float[] reference, double atol, double rtol) {
        if (tested.length != reference.length) {
            throw new IllegalArgumentException(what + ": " + tested.length + " values against " + reference.length);
        }
        int fails = 0;
        int worst = 0;
        double maxAbs = 0;
        double maxRel = 0;
        for (int i = 0; i < tested.length; i++) {
            double d = Math.abs((double) tested[i] - reference[i]);
            if (!(d <= atol + rtol * Math.abs(reference[i]))) {
                fails++;
            }
            if (!(d <= maxAbs)) {
                maxAbs = d;
                worst = i;
            }
            maxRel = Math.max(maxRel, d / Math.max(Math.abs(reference[i]), 1e-12));
        }
        return new Comparison(what, tested.length, fails, worst, tested.length == 0 ? 0 : tested[worst],
                reference.length == 0 ? 0 : reference[worst], maxAbs, maxRel);
    }

    public boolean passed() {
        return failures == 0;
    }

    @Override
    public String toString() {
        return String.format("%-4s %-44s max abs %.2e  max rel %.2e  %d of %d outside tolerance%s", passed() ? "ok" : "FAIL",
                what, maxAbs, maxRel, failures, count,
                passed() ? "" : String.format("  (worst at %d: %s vs reference %s)", worst, a, b));
    }
}
