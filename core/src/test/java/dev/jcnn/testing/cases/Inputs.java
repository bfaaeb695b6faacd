package dev.jcnn.testing.cases;

import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.TestData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a run's inputs come from, by name: drawn from the case's seed (every run of a case then
 * sees the same values, on any backend), or given, as a golden file gives them. A body asks
 * for each input by name, shape and distribution ({@link Run#gaussian} and the like); a given
 * source ignores the distribution and checks the shape.
 */
public abstract class Inputs {

    /** How an input is drawn from the seeded generator: n values. */
    @FunctionalInterface
    public interface Draw {
        float[] draw(TestData data, int n);
    }

    /** A given input: its shape and values. */
    public record Given(Shape shape, float[] values) {
        public Given {
            if (values.length != shape.size()) {
                throw new IllegalArgumentException("input of shape " + shape + " holds " + values.length + " values");
            }
        }
    }

    private final Set<String> asked = new TreeSet<>();

    /** The named input of this shape. */
    final float[] floats(String name, Shape shape, Draw draw) {
        remember(name);
        return values(name, shape, draw);
    }

    /** n class labels in [0, classes), by name. */
    final int[] labels(String name, int n, int classes) {
        remember(name);
        return labelValues(name, n, classes);
    }

    abstract float[] values(String name, Shape shape, Draw draw);

    abstract int[] labelValues(String name, int n, int classes);

    private void remember(String name) {
        if (!asked.add(name)) {
            throw new IllegalStateException("input '" + name + "' is asked for twice: each input of a case needs its own name");
        }
    }

    /** Inputs drawn in order from one generator seeded by seed. */
    public static Inputs seeded(long seed) {
        TestData data = new TestData(seed);
        return new Inputs() {
            @Override
            float[] values(String name, Shape shape, Draw draw) {
                float[] v = draw.draw(data, shape.size());
                if (v.length != shape.size()) {
                    throw new IllegalStateException("input '" + name + "' drew " + v.length + " values for shape " + shape);
                }
                return v;
            }

            @Override
            int[] labelValues(String name, int n, int classes) {
                return data.labels(n, classes);
            }
        };
    }

    /**
     * Inputs given by name; asking for one that is missing, or with another shape, fails naming
     * both. Labels are given as a float tensor of shape (n) holding whole numbers.
     */
    public static Inputs given(Map<String, Given> given) {
        Map<String, Given> copy = new LinkedHashMap<>(given);
        return new Inputs() {
            @Override
            float[] values(String name, Shape shape, Draw draw) {
                Given g = find(name);
                if (!g.shape().equals(shape)) {
                    throw new IllegalArgumentException("input '" + name + "' has shape " + g.shape() + ", the op expects "
                            + shape);
                }
                return g.values().clone();
            }

            @Override
            int[] labelValues(String name, int n, int classes) {
                float[] v = values(name, Shape.of(n), null);
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    if (v[i] != Math.rint(v[i])) {
                        throw new IllegalArgumentException("input '" + name + "' holds " + v[i] + " at index " + i
                                + ", expected a class label");
                    }
                    labels[i] = (int) v[i];
                }
                return labels;
            }

            private Given find(String name) {
                Given g = copy.get(name);
                if (g == null) {
                    throw new IllegalArgumentException("the op needs input '" + name + "', the inputs are " + copy.keySet());
                }
                return g;
            }
        };
    }

    /**
     * The same inputs with every float value replaced by its absolute value (labels unchanged).
     * For an op whose outputs are sums of products of its inputs (convolution, dense), a run
     * on these gives, per output, the sum of the absolute values of its terms: the scale of
     * the rounding error of any summation order.
     */
    public Inputs absolute() {
        Inputs inner = this;
        return new Inputs() {
            @Override
            float[] values(String name, Shape shape, Draw draw) {
                float[] v = inner.floats(name, shape, draw);
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.abs(v[i]);
                }
                return v;
            }

            @Override
            int[] labelValues(String name, int n, int classes) {
                return inner.labels(name, n, classes);
            }
        };
    }
}
