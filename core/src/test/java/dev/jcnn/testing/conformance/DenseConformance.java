package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;

import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.cases.DenseCases;
import dev.jcnn.testing.cases.DenseConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dense beyond the op table's comparison with the oracle ({@link DenseCases}): finite
 * differences of its backward ops and the wording of bad-input messages.
 */
public abstract class DenseConformance extends BackendConformance {

    static List<DenseConfig> configs() {
        return DenseCases.SMALL;
    }

    private record Inputs(float[] x, float[] w, float[] b, float[] dy) {
        static Inputs of(DenseConfig cfg) {
            TestData data = new TestData(cfg.toString().hashCode());
            return new Inputs(data.gaussian(cfg.x().size(), 1), data.gaussian(cfg.weightShape().size(), 0.2),
                    data.gaussian(cfg.out(), 0.5), data.gaussian(cfg.outputShape().size(), 1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void gradients(DenseConfig cfg) {
        assumeFiniteDifferences();
        Inputs in = Inputs.of(cfg);
        Tensor x = upload(cfg.x(), in.x);
        Tensor w = upload(cfg.weightShape(), in.w);
        Tensor b = upload(Shape.of(cfg.out()), in.b);
        Tensor y = zeros(cfg.outputShape());
        Tensor r = upload(cfg.outputShape(), in.dy);
        Tensor dx = zeros(cfg.x());
        Tensor dw = zeros(cfg.weightShape());
        Tensor db = zeros(Shape.of(cfg.out()));
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
