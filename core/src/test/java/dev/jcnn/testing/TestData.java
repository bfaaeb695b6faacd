package dev.jcnn.testing;

import java.util.Random;

/** Seeded random inputs for op tests: every run sees the same values. */
public final class TestData {

    private final Random random;

    public TestData(long seed) {
        this.random = new Random(seed);
    }

    /** Normal values with the given standard deviation. */
    public float[] gaussian(int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }

    /** Uniform values in [lo, hi). */
    public float[] uniform(int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + random.nextDouble() * (hi - lo));
        }
        return v;
    }

    /** Class indices in [0, classes). */
    public int[] labels(int n, int classes) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(classes);
        }
        return v;
    }

    /**
     * n distinct values spaced at least {@code spacing} apart, in random order and centred on
     * zero: inputs for max pooling with no ties, not even within a finite-difference step.
     */
    public float[] distinct(int n, double spacing) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((i - n / 2.0) * spacing);
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }

    public Random random() {
        return random;
    }
}
