package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tolerance;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.cases.ConvConfig;
import dev.jcnn.testing.cases.ConvolutionCases;
import dev.jcnn.testing.oracle.ConvOracle;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution beyond the op table's comparison with the oracle ({@link ConvolutionCases}):
 * finite differences of its three backward ops, translation equivariance, asymmetric padding
 * and the wording of bad-input messages.
 */
public abstract class ConvolutionConformance extends BackendConformance {

    static List<ConvConfig> configs() {
        return ConvolutionCases.SMALL;
    }

    /** Inputs for one configuration: x, w, b and an upstream gradient dy. */
    private record Inputs(float[] x, float[] w, float[] b, float[] dy, Shape ys) {
        static Inputs of(ConvConfig cfg) {
            TestData data = new TestData(cfg.toString().hashCode());
            Shape ys = cfg.outputShape();
            return new Inputs(data.gaussian(cfg.inputShape().size(), 1), data.gaussian(cfg.weightShape().size(), 0.3),
                    data.gaussian(cfg.k(), 0.5), data.gaussian(ys.size(), 1), ys);
        }
    }

    /** Finite differences of Σ r·conv(x, w, b) against the three backward ops. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void gradients(ConvConfig cfg) {
        assumeFiniteDifferences();
        Inputs in = Inputs.of(cfg);
        Tensor x = upload(cfg.inputShape(), in.x);
        Tensor w = upload(cfg.weightShape(), in.w);
        Tensor b = upload(Shape.of(cfg.k()), in.b);
        Tensor y = zeros(in.ys);
        Tensor r = upload(in.ys, in.dy);
        Tensor dx = zeros(cfg.inputShape());
        Tensor dw = zeros(cfg.weightShape());
        Tensor db = zeros(Shape.of(cfg.k()));
        backend().convolution().backwardData(r, w, cfg.spec(), dx);
        backend().convolution().backwardFilter(x, r, cfg.spec(), dw);
        backend().convolution().biasBackward(r, db);
        Runnable forward = () -> backend().convolution().forward(x, w, b, cfg.spec(), y);
        GradientChecker checker = linearGradientChecker();
        checker.assertGradient("convolution dx, " + cfg, in.x, read(dx), projection(x, forward, y, in.dy), GradientChecker.noKinks());
        backend().write(x, in.x);
        checker.assertGradient("convolution dw, " + cfg, in.w, read(dw), projection(w, forward, y, in.dy), GradientChecker.noKinks());
        backend().write(w, in.w);
        checker.assertGradient("convolution db, " + cfg, in.b, read(db), projection(b, forward, y, in.dy), GradientChecker.noKinks());
    }

    /**
     * The slides' property: convolution is equivariant to translation. Shifting the input by
     * (dy, dx), a multiple of the stride, shifts the output by (dy, dx) / stride wherever the
     * shifted window sees only genuine input (no zero fill, no padding).
     */
    @ParameterizedTest(name = "stride {0}, pad {1}, shift {2}x{3}")
    @CsvSource({"1, 0, 2, 1", "1, 1, 1, 3", "2, 1, 2, 4", "3, 0, 3, 3"})
    void translationEquivariance(int stride, int pad, int shiftY, int shiftX) {
        Shape xs = Shape.of(2, 2, 14, 13);
        ConvSpec spec = ConvSpec.of(3, stride, pad);
        int k = 3;
        TestData data = new TestData(11);
        float[] x = data.gaussian(xs.size(), 1);
        float[] shifted = new float[x.length];
        for (int p = 0; p < 4; p++) {
            for (int i = shiftY; i < 14; i++) {
                for (int j = shiftX; j < 13; j++) {
                    shifted[(p * 14 + i) * 13 + j] = x[(p * 14 + i - shiftY) * 13 + j - shiftX];
                }
            }
        }
        Tensor w = upload(Shape.of(k, 2, 3, 3), data.gaussian(k * 2 * 9, 0.3));
        Tensor b = upload(Shape.of(k), data.gaussian(k, 0.5));
        Shape ys = ConvOracle.outputShape(xs, k, spec);
        Tensor y = zeros(ys);
        Tensor yShifted = zeros(ys);
        backend().convolution().forward(upload(xs, x), w, b, spec, y);
        backend().convolution().forward(upload(xs, shifted), w, b, spec, yShifted);
        float[] a = read(y);
        float[] s = read(yShifted);
        int oh = ys.dim(2);
        int ow = ys.dim(3);
        int compared = 0;
        Tolerance tol = Tolerance.of(1e-5, 1e-6);
        for (int p = 0; p < ys.dim(0) * k; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int top = i * stride - pad;
                    int left = j * stride - pad;
                    boolean interior = top >= shiftY && top + 3 <= 14 && left >= shiftX && left + 3 <= 13;
                    if (!interior) {
                        continue;
                    }
                    double expected = a[(p * oh + i - shiftY / stride) * ow + j - shiftX / stride];
                    double actual = s[(p * oh + i) * ow + j];
                    compared++;
                    AllClose.assertClose("output at [" + p + ", " + i + ", " + j + "] of the input shifted by " + shiftY + "x"
                            + shiftX, null, new float[] {(float) actual}, new double[] {expected}, tol);
                }
            }
        }
        assertTrue(compared >= ys.dim(0) * k * oh * ow / 4, "only " + compared + " interior positions compared");
    }

    @Test
    void wrongChannelCount() {
        Tensor x = zeros(Shape.of(1, 3, 7, 7));
        Tensor w = zeros(Shape.of(4, 2, 3, 3));
        Tensor y = zeros(Shape.of(1, 4, 5, 5));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().convolution().forward(x, w, null, ConvSpec.of(3, 1, 0), y),
                "expect", "(4, 2, 3, 3) | (1, 3, 7, 7) | 3 channels | 2 channels");
    }

    @Test
    void groupsThatDoNotDivideTheChannels() {
        Tensor x = zeros(Shape.of(1, 4, 5, 5));
        Tensor w = zeros(Shape.of(6, 1, 3, 3));
        Tensor y = zeros(Shape.of(1, 6, 3, 3));
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().convolution().forward(x, w, null, ConvSpec.of(3, 1, 0).withGroups(3), y), "3 group");
    }

    @Test
    void inputSmallerThanKernel() {
        Tensor x = zeros(Shape.of(1, 1, 2, 2));
        Tensor w = zeros(Shape.of(1, 1, 5, 5));
        Tensor y = zeros(Shape.of(1, 1, 1, 1));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().convolution().forward(x, w, null, ConvSpec.of(5, 1, 0), y),
                "2", "5", "smaller | too small | expected");
    }

    @Test
    void wrongOutputShape() {
        Tensor x = zeros(Shape.of(2, 1, 7, 7));
        Tensor w = zeros(Shape.of(3, 1, 3, 3));
        Tensor y = zeros(Shape.of(2, 3, 3, 3));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().convolution().forward(x, w, null, ConvSpec.of(3, 1, 0), y),
                "y", "(2, 3, 3, 3)", "(2, 3, 5, 5)");
        Tensor dx = zeros(Shape.of(2, 1, 7, 7));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().convolution().backwardData(y, w, ConvSpec.of(3, 1, 0), dx),
                "dy", "(2, 3, 3, 3)", "(2, 3, 5, 5)");
    }

    @Test
    void wrongBiasLength() {
        Tensor x = zeros(Shape.of(1, 1, 5, 5));
        Tensor w = zeros(Shape.of(3, 1, 3, 3));
        Tensor b = zeros(Shape.of(4));
        Tensor y = zeros(Shape.of(1, 3, 3, 3));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().convolution().forward(x, w, b, ConvSpec.of(3, 1, 0), y),
                "b", "(4)", "(3)");
    }

    @Test
    void wrongFilterGradientShape() {
        Tensor x = zeros(Shape.of(1, 2, 5, 5));
        Tensor dy = zeros(Shape.of(1, 3, 3, 3));
        Tensor dw = zeros(Shape.of(3, 1, 3, 3));
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().convolution().backwardFilter(x, dy, ConvSpec.of(3, 1, 0), dw), "expect", "(3, 1, 3, 3) | (1, 2, 5, 5)");
    }

    @Test
    void asymmetricPaddingDiffersFromSymmetric() {
        // a backend that ignores bottom/right padding would pass symmetric cases only
        Shape xs = Shape.of(1, 1, 4, 4);
        float[] x = new TestData(5).gaussian(16, 1);
        ConvSpec spec = new ConvSpec(2, 2, 1, 1, new Padding2D(0, 1, 0, 1));
        Tensor w = upload(Shape.of(1, 1, 2, 2), new float[] {1, 2, 3, 4});
        Tensor y = output(Shape.of(1, 1, 4, 4));
        backend().convolution().forward(upload(xs, x), w, null, spec, y);
        float[] out = read(y);
        // the bottom-right output sees only x[3][3] under the kernel's top-left weight
        assertEquals(x[15], out[15], 1e-6);
        assertEquals(x[14] + 2 * x[15], out[14], 1e-5);
    }
}
