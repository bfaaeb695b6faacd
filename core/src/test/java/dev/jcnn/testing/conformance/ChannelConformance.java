package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.oracle.ChannelOracle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ops of merges and Dropout: elementwise multiply, a bias per channel, concatenation
 * along the channels and its split, against {@link ChannelOracle}.
 */
public abstract class ChannelConformance extends BackendConformance {

    static List<Shape> shapes() {
        return List.of(Shape.of(2, 3, 4, 5), Shape.of(3, 7), Shape.of(1, 1, 1, 1), Shape.of(4, 2, 1, 3));
    }

    /** Parts stacked along axis 1: images, flat features, single channels. */
    static List<List<Shape>> stacks() {
        return List.of(
                List.of(Shape.of(2, 3, 4, 5), Shape.of(2, 1, 4, 5), Shape.of(2, 2, 4, 5)),
                List.of(Shape.of(3, 4), Shape.of(3, 2)),
                List.of(Shape.of(1, 1, 1, 1), Shape.of(1, 2, 1, 1)),
                List.of(Shape.of(2, 8, 3, 3), Shape.of(2, 8, 3, 3)));
    }

    private static float[] data(Shape s, int salt) {
        return new TestData(s.toString().hashCode() + salt).gaussian(s.size(), 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void multiply(Shape s) {
        float[] a = data(s, 1);
        float[] b = data(s, 2);
        double[] expected = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            expected[i] = (double) a[i] * b[i];
        }
        Tensor out = output(s);
        backend().elementwise().multiply(upload(s, a), upload(s, b), out);
        assertClose("multiply", "out on " + s, out, expected);
        Tensor inPlace = upload(s, a);
        backend().elementwise().multiply(inPlace, upload(s, b), inPlace);
        assertClose("multiply", "out = a on " + s, inPlace, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void addBias(Shape s) {
        float[] x = data(s, 3);
        float[] b = data(Shape.of(s.dim(1)), 4);
        double[] expected = ChannelOracle.addBias(x, s, b);
        Tensor y = output(s);
        backend().channels().addBias(upload(s, x), upload(Shape.of(s.dim(1)), b), y);
        assertClose("addBias", "y on " + s, y, expected);
        Tensor inPlace = upload(s, x);
        backend().channels().addBias(inPlace, upload(Shape.of(s.dim(1)), b), inPlace);
        assertClose("addBias", "y = x on " + s, inPlace, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void concatAndSplit(List<Shape> parts) {
        List<Tensor> xs = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            values.add(data(parts.get(i), 10 + i));
            xs.add(upload(parts.get(i), values.get(i)));
        }
        Shape ys = ChannelOracle.concatShape(parts);
        Tensor y = output(ys);
        backend().channels().concat(xs, y);
        assertClose("concatChannels", "y of " + parts, y, ChannelOracle.concat(values, parts));

        float[] dy = data(ys, 20);
        List<Tensor> dxs = new ArrayList<>();
        for (Shape p : parts) {
            dxs.add(output(p));
        }
        backend().channels().split(upload(ys, dy), dxs);
        List<double[]> expected = ChannelOracle.split(dy, parts);
        for (int i = 0; i < parts.size(); i++) {
            assertClose("splitChannels", "dxs[" + i + "] of " + parts, dxs.get(i), expected.get(i));
        }
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
