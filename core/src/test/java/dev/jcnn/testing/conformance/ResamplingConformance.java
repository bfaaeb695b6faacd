package dev.jcnn.testing.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.cases.ResamplingCases;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upsampling beyond the op table's comparison with the oracle ({@link ResamplingCases}):
 * finite differences, average pooling undoing nearest upsampling, bilinear keeping a ramp.
 */
public abstract class ResamplingConformance extends BackendConformance {

    /** The op table's small cases: every interpolation over square, rectangular, single-row and single-pixel inputs. */
    static List<Arguments> configs() {
        return ResamplingCases.SMALL.stream().map(c -> Arguments.of(c.x(), c.spec())).toList();
    }

    private static float[] data(Shape s, int salt) {
        return new TestData(s.toString().hashCode() + salt).gaussian(s.size(), 1);
    }

    @ParameterizedTest(name = "{1} of {0}")
    @MethodSource("configs")
    void gradient(Shape xs, UpsampleSpec spec) {
        assumeFiniteDifferences();
        Shape ys = spec.outputShape(xs);
        float[] x = data(xs, 3);
        float[] r = data(ys, 4);
        Tensor xt = upload(xs, x);
        Tensor y = zeros(ys);
        Tensor dx = zeros(xs);
        backend().resampling().backward(upload(ys, r), spec, dx);
        linearGradientChecker().assertGradient("upsampling dx, " + spec + " of " + xs, x, read(dx),
                projection(xt, () -> backend().resampling().forward(xt, spec, y), y, r), GradientChecker.noKinks());
    }

    /** Nearest upsampling by 2 and then 2×2 average pooling give the input back. */
    @Test
    void averagePoolingUndoesNearestUpsampling() {
        Shape xs = Shape.of(2, 3, 3, 4);
        float[] x = data(xs, 5);
        UpsampleSpec spec = new UpsampleSpec(Interpolation.NEAREST, 2, 2);
        Tensor up = zeros(spec.outputShape(xs));
        backend().resampling().forward(upload(xs, x), spec, up);
        Tensor back = output(xs);
        backend().pooling().forward(up, PoolSpec.of(PoolMode.AVERAGE_INCLUDE_PAD, 2, 2), back);
        assertArrayEquals(x, read(back), 1e-6f);
    }

    /** Bilinear upsampling reproduces a linear ramp away from the clamped edges. */
    @Test
    void bilinearKeepsARampLinear() {
        Shape xs = Shape.of(1, 1, 1, 6);
        float[] x = {0, 1, 2, 3, 4, 5};
        UpsampleSpec spec = new UpsampleSpec(Interpolation.BILINEAR, 1, 2);
        Tensor y = output(spec.outputShape(xs));
        backend().resampling().forward(upload(xs, x), spec, y);
        assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1.25f, 1.75f, 2.25f, 2.75f, 3.25f, 3.75f, 4.25f, 4.75f, 5},
                read(y), 1e-6f);
    }
}
