package dev.jcnn.cuda.parity;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.TensorScope;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.Tolerance;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the parity table: an op, one configuration of it, the tolerances its forward
 * and backward outputs are held to (with the reason when they are looser than the default),
 * and the body that runs it on a backend from inputs drawn from the row's own seed, so that
 * both backends see the same values.
 *
 * @param op              the op family, e.g. "conv2d" (the parity table's first column)
 * @param config          the configuration, e.g. "n2 c3 8x11 k4 f3x5 s2x1 p1x2"
 * @param forward         tolerance of forward outputs (and losses)
 * @param backward        tolerance of gradients and updated parameters
 * @param toleranceReason why the tolerances are what they are, when not the default
 * @param body            runs the op
 */
public record ParityCase(String op, String config, Tolerance forward, Tolerance backward, String toleranceReason,
                         Body body) {

    /** The default: float32 against float32, as the issue sets for exact numerics. */
    public static final Tolerance FORWARD = Tolerance.of(1e-4, 1e-5);

    /** What a row runs. */
    @FunctionalInterface
    public interface Body {
        void run(Run r);
    }

    /** A row's name: op and configuration. */
    public String name() {
        return op + " " + config;
    }

    /** The seed of this row's inputs: fixed by its name. */
    long seed() {
        return name().hashCode() * 0x9E3779B97F4A7C15L;
    }

    /** Runs the body on a backend; the outputs, read back to the host, in the order the body recorded them. */
    public Map<String, Output> runOn(Backend backend) {
        try (TensorScope scope = new TensorScope(backend)) {
            Run r = new Run(scope, new TestData(seed()));
            body.run(r);
            return r.outputs;
        }
    }

    /** One output read back: its shape, values, and whether it is a gradient (held to the backward tolerance). */
    public record Output(Shape shape, float[] values, boolean backward) {
    }

    /** What a body works with: tensors that close with the run, seeded inputs, recorded outputs. */
    public static final class Run {

        private final TensorScope scope;
        private final TestData data;
        private final Map<String, Output> outputs = new LinkedHashMap<>();

        Run(TensorScope scope, TestData data) {
            this.scope = scope;
            this.data = data;
        }

        public Backend backend() {
            return scope.backend();
        }

        /** N(0, scale²) values. */
        public Tensor gaussian(Shape shape, double scale) {
            return scope.upload(shape, data.gaussian(shape.size(), scale));
        }

        /**
         * N(mean_c, scale_c²) values per channel c (axis 1), mean_c = c − 1 and scale_c = 1 + c,
         * so that per-channel statistics differ by channel and not all centre on 0.
         */
        public Tensor perChannelGaussian(Shape shape) {
            float[] v = data.gaussian(shape.size(), 1.0);
            int channels = shape.dim(1);
            int inner = shape.sampleSize() / channels;
            for (int i = 0; i < v.length; i++) {
                int c = (i / inner) % channels;
                v[i] = v[i] * (1 + c) + c - 1;
            }
            return scope.upload(shape, v);
        }

        /** Uniform values in [lo, hi). */
        public Tensor uniform(Shape shape, double lo, double hi) {
            return scope.upload(shape, data.uniform(shape.size(), lo, hi));
        }

        public int[] labels(int n, int classes) {
            return data.labels(n, classes);
        }

        /** An output tensor, filled with NaN so that an op that does not overwrite it shows. */
        public Tensor output(Shape shape) {
            Tensor t = scope.zeros(shape);
            backend().elementwise().fill(t, Float.NaN);
            return t;
        }

        public Tensor zeros(Shape shape) {
            return scope.zeros(shape);
        }

        /** Records a forward output. */
        public void forward(String name, Tensor t) {
            outputs.put(name, new Output(t.shape(), scope.read(t), false));
        }

        /** Records a gradient or an updated parameter. */
        public void backward(String name, Tensor t) {
            outputs.put(name, new Output(t.shape(), scope.read(t), true));
        }

        /** Records a scalar (a loss) as a forward output. */
        public void scalar(String name, float value) {
            outputs.put(name, new Output(Shape.of(1), new float[] {value}, false));
        }
    }
}
