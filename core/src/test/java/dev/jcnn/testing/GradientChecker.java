package dev.jcnn.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.function.ToDoubleFunction;

/**
 * Checks an analytic gradient against central finite differences, as Caffe's
 * {@code GradientChecker} does: numeric = (f(x + h) − f(x − h)) / 2h, in double, and the
 * coordinate passes when |analytic − numeric| ≤ threshold · max(|analytic|, |numeric|, 1).
 * Coordinates next to a kink (ReLU at 0, a max-pool tie) are skipped through a predicate.
 *
 * <p>The objective takes float32 inputs, so x ± h is rounded to float and the difference is
 * divided by the step actually taken. Usable for backend ops and for layers: the objective
 * is any scalar function of the values, typically Σ r·forward(x) with a fixed random r, whose
 * analytic gradient is backward(dy = r).
 */
public final class GradientChecker {

    private final double step;
    private final double threshold;
    private final int maxCoordinates;
    private final long seed;

    /**
     * @param step           h; Caffe uses 1e-2 in float
     * @param threshold      allowed error, scaled by max(|analytic|, |numeric|, 1)
     * @param maxCoordinates check at most this many coordinates, drawn at random (seeded) when there are more
     */
    public GradientChecker(double step, double threshold, int maxCoordinates, long seed) {
        if (!(step > 0) || !(threshold > 0) || maxCoordinates <= 0) {
            throw new IllegalArgumentException("step, threshold and coordinates must be positive, got "
                    + step + ", " + threshold + ", " + maxCoordinates);
        }
        this.step = step;
        this.threshold = threshold;
        this.maxCoordinates = maxCoordinates;
        this.seed = seed;
    }

    /** Caffe's float settings: step 1e-2, threshold 1e-3, at most 200 coordinates. */
    public static GradientChecker standard() {
        return new GradientChecker(1e-2, 1e-3, 200, 42);
    }

    public double step() {
        return step;
    }

    /** Skips coordinates whose value lies within range of the kink: for elementwise ops with a kink in their input. */
    public static IntPredicate near(float[] x, double kink, double range) {
        return i -> Math.abs(x[i] - kink) <= range;
    }

    /** No coordinate is near a kink. */
    public static IntPredicate noKinks() {
        return i -> false;
    }

    /**
     * The outcome of one check.
     *
     * @param worst the coordinate with the largest scaled error, -1 if none was checked
     */
    public record Result(String what, int checked, int skipped, int failures, int worst,
                         double analytic, double numeric, double scaledError, double threshold) {

        public boolean passed() {
            return checked > 0 && failures == 0;
        }

        public String describe() {
            if (checked == 0) {
                return what + ": no coordinate was checked (" + skipped + " skipped as near a kink)";
            }
            return String.format("%s: %d of %d coordinates fail (%d skipped near a kink); worst at %d: analytic %.8g,"
                            + " numeric %.8g, error %.3e scaled by max(|a|,|n|,1), allowed %.1e",
                    what, failures, checked, skipped, worst, analytic, numeric, scaledError, threshold);
        }

        public Result assertPassed() {
            if (!passed()) {
                throw new AssertionError(describe());
            }
            return this;
        }
    }

    /** Checks and throws an {@link AssertionError} unless every checked coordinate passes. */
    public Result assertGradient(String what, float[] x, float[] analytic, ToDoubleFunction<float[]> objective,
                                 IntPredicate nearKink) {
        return check(what, x, analytic, objective, nearKink).assertPassed();
    }

    /**
     * Compares analytic[i] with the central difference of objective at x along coordinate i.
     * x is not modified; the objective receives a perturbed copy.
     */
    public Result check(String what, float[] x, float[] analytic, ToDoubleFunction<float[]> objective,
                        IntPredicate nearKink) {
        if (analytic.length != x.length) {
            throw new AssertionError(what + ": analytic gradient has " + analytic.length + " values, input has " + x.length);
        }
        float[] probe = x.clone();
        int checked = 0;
        int skipped = 0;
        int failures = 0;
        int worst = -1;
        double worstError = -1;
        double worstA = Double.NaN;
        double worstN = Double.NaN;
        for (int i : coordinates(x.length)) {
            if (nearKink.test(i)) {
                skipped++;
                continue;
            }
            float plus = (float) (x[i] + step);
            float minus = (float) (x[i] - step);
            probe[i] = plus;
            double fPlus = objective.applyAsDouble(probe);
            probe[i] = minus;
            double fMinus = objective.applyAsDouble(probe);
            probe[i] = x[i];
            double numeric = (fPlus - fMinus) / ((double) plus - (double) minus);
            double a = analytic[i];
            double scale = Math.max(Math.max(Math.abs(a), Math.abs(numeric)), 1.0);
            double error = Math.abs(a - numeric) / scale;
            if (Double.isNaN(error)) {
                error = Double.POSITIVE_INFINITY;
            }
            checked++;
            if (error > threshold) {
                failures++;
            }
            if (error > worstError) {
                worstError = error;
                worst = i;
                worstA = a;
                worstN = numeric;
            }
        }
        return new Result(what, checked, skipped, failures, worst, worstA, worstN, worstError, threshold);
    }

    private List<Integer> coordinates(int n) {
        List<Integer> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        if (n > maxCoordinates) {
            Collections.shuffle(all, new Random(seed ^ n));
            all = all.subList(0, maxCoordinates);
            Collections.sort(all);
        }
        return all;
    }
}
