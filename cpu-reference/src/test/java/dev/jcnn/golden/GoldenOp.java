package dev.jcnn.golden;

import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.TensorScope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How one golden op runs on a backend: the parameters it understands (any other parameter
 * in a case fails it rather than being ignored) and the computation, which returns every
 * output it produces under the case's output names.
 */
public interface GoldenOp {

    /** The parameter names this op reads or accepts as information (e.g. "classes"). */
    Set<String> params();

    /** Runs the case; tensors go into scope, which the runner closes. */
    Outputs run(GoldenCase c, TensorScope scope);

    /** Computed outputs by name, each with its shape. */
    final class Outputs {
        private final Map<String, Shape> shapes = new LinkedHashMap<>();
        private final Map<String, float[]> values = new LinkedHashMap<>();

        /** Reads a tensor's values now. */
        public Outputs put(String name, Tensor t) {
            return put(name, t.shape(), t.toArray());
        }

        public Outputs put(String name, Shape shape, float[] v) {
            shapes.put(name, shape);
            values.put(name, v);
            return this;
        }

        public Map<String, Shape> shapes() {
            return shapes;
        }

        public Map<String, float[]> values() {
            return values;
        }
    }

    static GoldenOp of(Set<String> params, java.util.function.BiFunction<GoldenCase, TensorScope, Outputs> body) {
        return new GoldenOp() {
            @Override
            public Set<String> params() {
                return params;
            }

            @Override
            public Outputs run(GoldenCase c, TensorScope scope) {
                return body.apply(c, scope);
            }
        };
    }
}
