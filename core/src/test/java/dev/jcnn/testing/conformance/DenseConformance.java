package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;

import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.oracle.DenseOracle;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Dense forward and backward against {@link DenseOracle}, for (N, in) input and for images flattened per sample. */
public abstract class DenseConformance extends BackendConformance {

    /** x's shape (any rank; its samples flattened give in) and the number of outputs. */
    public record DenseConfig(Shape x, int out) {
        int batch() {
            return x.batch();
        }

        int in() {
            return x.sampleSize();
        }

        Shape w() {
            return Shape.of(out, in());
        }

        Shape y() {
            return Shape.of(batch(), out);
        }

        @Override
        public String toString() {
            return "x " + x + ", " + in() + " -> " + out;
        }
    }

    static List<DenseConfig> configs() {
        return List.of(new DenseConfig(Shape.of(1, 1), 1), new DenseConfig(Shape.of(3, 7), 5),
                new DenseConfig(Shape.of(5, 13), 2), new DenseConfig(Shape.of(4, 400), 120),
                new DenseConfig(Shape.of(2, 3, 4, 5), 6), new DenseConfig(Shape.of(3, 16, 1, 1), 10));
    }

    private record Inputs(float[] x, float[] w, float[] b, float[] dy) {
        static Inputs of(DenseConfig cfg) {
            TestData data = new TestData(cfg.toString().hashCode());
            return new Inputs(data.gaussian(cfg.x.size(), 1), data.gaussian(cfg.w().size(), 0.2),
                    data.gaussian(cfg.out, 0.5), data.gaussian(cfg.y().size(), 1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void forward(DenseConfig cfg) {
        Inputs in = Inputs.of(cfg);
        Tensor x = upload(cfg.x, in.x);
        Tensor w = upload(cfg.w(), in.w);
        Tensor y = output(cfg.y());
        backend().dense().forward(x, w, upload(Shape.of(cfg.out), in.b), y);
        assertClose("denseForward", "y with bias, " + cfg, y, DenseOracle.forward(in.x, cfg.batch(), cfg.in(), in.w, cfg.out, in.b));
        Tensor y2 = output(cfg.y());
        backend().dense().forward(x, w, null, y2);
        assertClose("denseForward", "y without bias, " + cfg, y2, DenseOracle.forward(in.x, cfg.batch(), cfg.in(), in.w, cfg.out, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void backwardData(DenseConfig cfg) {
        Inputs in = Inputs.of(cfg);
        Tensor dx = output(cfg.x);
        backend().dense().backwardData(upload(cfg.y(), in.dy), upload(cfg.w(), in.w), dx);
        assertClose("denseBackwardData", "dx, " + cfg, dx, DenseOracle.backwardData(in.dy, in.w, cfg.batch(), cfg.in(), cfg.out));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void backwardWeights(DenseConfig cfg) {
        Inputs in = Inputs.of(cfg);
        Tensor x = upload(cfg.x, in.x);
        Tensor dy = upload(cfg.y(), in.dy);
        Tensor dw = output(cfg.w());
        double[] expected = DenseOracle.backwardWeights(in.x, in.dy, cfg.batch(), cfg.in(), cfg.out);
        backend().dense().backwardWeights(x, dy, dw);
        assertClose("denseBackwardWeights", "dw, " + cfg, dw, expected);
        backend().dense().backwardWeights(x, dy, dw);
        assertClose("denseBackwardWeights", "dw after a second call (must overwrite), " + cfg, dw, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void gradients(DenseConfig cfg) {
        assumeFiniteDifferences();
        Inputs in = Inputs.of(cfg);
        Tensor x = upload(cfg.x, in.x);
        Tensor w = upload(cfg.w(), in.w);
        Tensor b = upload(Shape.of(cfg.out), in.b);
        Tensor y = zeros(cfg.y());
        Tensor r = upload(cfg.y(), in.dy);
        Tensor dx = zeros(cfg.x);
        Tensor dw = zeros(cfg.w());
        Tensor db = zeros(Shape.of(cfg.out));
        backend().dense().backwardData(r, w, dx);
        backend().dense().backwardWeights(x, r, dw);
        backend().convolution().biasBackward(r, db);
        Runnable forward = () -> backend().dense().forward(x, w, b, y);
        GradientChecker checker = linearGradientChecker();
        checker.assertGradient("dense dx, " + cfg, in.x, read(dx), projection(x, forward, y, in.dy), GradientChecker.noKinks());
        backend().write(x, in.x);
        checker.assertGradient("dense dw, " + cfg, in.w, read(dw), projection(w, forward, y, in.dy), GradientChecker.noKinks());
        backend().write(w, in.w);
        checker.assertGradient("dense db, " + cfg, in.b, read(db), projection(b, forward, y, in.dy), GradientChecker.noKinks());
    }

    @Test
    void wrongFeatureCount() {
        Tensor x = zeros(Shape.of(2, 6));
        Tensor w = zeros(Shape.of(3, 5));
        Tensor y = zeros(Shape.of(2, 3));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().dense().forward(x, w, null, y),
                "expect", "6", "5");
    }

    @Test
    void wrongOutputShape() {
        Tensor x = zeros(Shape.of(2, 5));
        Tensor w = zeros(Shape.of(3, 5));
        Tensor y = zeros(Shape.of(2, 4));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().dense().forward(x, w, null, y),
                "y", "(2, 4)", "(2, 3)");
    }

    @Test
    void wrongBiasLength() {
        Tensor x = zeros(Shape.of(2, 5));
        Tensor w = zeros(Shape.of(3, 5));
        Tensor b = zeros(Shape.of(5));
        Tensor y = zeros(Shape.of(2, 3));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().dense().forward(x, w, b, y),
                "b", "(5)", "(3)");
    }
}
