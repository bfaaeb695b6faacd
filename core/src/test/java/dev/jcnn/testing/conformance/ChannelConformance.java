package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.cases.ElementwiseCases;
import dev.jcnn.testing.oracle.ChannelOracle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Concatenation along the channels beyond the op table's comparison with the oracle
 * ({@link ElementwiseCases}): the split as its gradient by finite differences, the checks of
 * the parts, the same tensor twice among them.
 */
public abstract class ChannelConformance extends BackendConformance {

    static List<List<Shape>> stacks() {
        return ElementwiseCases.STACKS;
    }

    private static float[] data(Shape s, int salt) {
        return new TestData(s.toString().hashCode() + salt).gaussian(s.size(), 1);
    }

    /** The split is the concatenation's gradient: finite differences through concatChannels. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void concatGradient(List<Shape> parts) {
        assumeFiniteDifferences();
        List<Tensor> xs = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            values.add(data(parts.get(i), 30 + i));
            xs.add(upload(parts.get(i), values.get(i)));
        }
        Shape ys = ChannelOracle.concatShape(parts);
        float[] r = data(ys, 40);
        Tensor y = zeros(ys);
        List<Tensor> dxs = new ArrayList<>();
        for (Shape p : parts) {
            dxs.add(zeros(p));
        }
        backend().channels().split(upload(ys, r), dxs);
        for (int i = 0; i < parts.size(); i++) {
            linearGradientChecker().assertGradient("concat dxs[" + i + "] of " + parts, values.get(i), read(dxs.get(i)),
                    projection(xs.get(i), () -> backend().channels().concat(xs, y), y, r), GradientChecker.noKinks());
        }
    }

    @Test
    void concatenationChecksTheParts() {
        Tensor a = zeros(Shape.of(2, 3, 4, 4));
        Tensor b = zeros(Shape.of(2, 2, 4, 5));
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().channels().concat(List.of(a, b), zeros(Shape.of(2, 5, 4, 4))), "concatChannels", "(2, 2, 4, 5)");
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().channels().concat(List.of(a, a), zeros(Shape.of(2, 7, 4, 4))), "concatChannels", "6 | (2, 7, 4, 4)");
        Tensor y = zeros(Shape.of(2, 6, 4, 4));
        backend().elementwise().fill(a, 2f);
        backend().channels().concat(List.of(a, a), y);
        float[] twos = new float[y.shape().size()];
        java.util.Arrays.fill(twos, 2f);
        assertArrayEquals(twos, read(y), "the same tensor may appear twice among the parts");
    }
}
