package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.cases.ElementwiseCases;
import dev.jcnn.testing.oracle.PadOracle;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Memory (allocate, upload, read, write), fill, copy across shapes, the gradient of zero
 * padding by finite differences and the wording of bad-input messages; the elementwise ops'
 * values are compared with the oracle in the op table ({@code cases.ElementwiseCases}).
 */
public abstract class MemoryConformance extends BackendConformance {

    /** Values a copy must keep bit for bit. */
    private static final float[] SPECIAL = {0f, -0f, 1f, -1.5f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
            -Float.MAX_VALUE, 1e-30f, 123456.789f, (float) Math.PI, 3e38f};

    @Test
    void allocateGivesZeros() {
        Shape s = Shape.of(2, 3, 4, 5);
        Tensor t = zeros(s);
        assertEquals(s, t.shape());
        assertSame(backend(), t.backend());
        assertArrayEquals(new float[s.size()], read(t));
    }

    @Test
    void uploadThenReadIsExact() {
        Shape s = Shape.of(3, 4);
        Tensor t = upload(s, SPECIAL);
        assertEquals(s, t.shape());
        assertArrayEquals(SPECIAL, read(t));
        assertArrayEquals(SPECIAL, t.toArray());
    }

    @Test
    void uploadCopiesTheArray() {
        float[] data = {1, 2, 3};
        Tensor t = upload(Shape.of(3), data);
        data[0] = 99;
        assertArrayEquals(new float[] {1, 2, 3}, read(t));
    }

    @Test
    void writeOverwrites() {
        Tensor t = upload(Shape.of(2, 2), new float[] {1, 2, 3, 4});
        backend().write(t, new float[] {5, 6, 7, 8});
        assertArrayEquals(new float[] {5, 6, 7, 8}, read(t));
    }

    @Test
    void readAndWriteAcceptLargerArrays() {
        Tensor t = zeros(Shape.of(3));
        backend().write(t, new float[] {1, 2, 3, 4, 5});
        float[] dst = new float[5];
        backend().read(t, dst);
        assertArrayEquals(new float[] {1, 2, 3}, java.util.Arrays.copyOf(dst, 3));
    }

    @Test
    void badArrayLengths() {
        Shape s = Shape.of(2, 3);
        assertThrowsMentioning(IllegalArgumentException.class, () -> upload(s, new float[5]), "5", "6");
        Tensor t = zeros(s);
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().read(t, new float[4]), "4", "6");
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().write(t, new float[2]), "2", "6");
    }

    /** {@link dev.jcnn.backend.Backend#upload} takes exactly shape.size() values: more means the caller's shape is wrong. */
    @Test
    protected void uploadOfTooManyValues() {
        assertThrowsMentioning(IllegalArgumentException.class, () -> upload(Shape.of(2, 3), new float[7]), "7", "6");
    }

    @Test
    void fill() {
        Tensor t = zeros(Shape.of(2, 5));
        backend().elementwise().fill(t, -2.5f);
        float[] expected = new float[10];
        java.util.Arrays.fill(expected, -2.5f);
        assertArrayEquals(expected, read(t));
    }

    @Test
    void copyAcrossShapes() {
        float[] data = new TestData(1).gaussian(24, 1);
        Tensor src = upload(Shape.of(2, 3, 2, 2), data);
        Tensor dst = output(Shape.of(2, 12));
        backend().elementwise().copy(src, dst);
        assertArrayEquals(data, read(dst));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().elementwise().copy(src, zeros(Shape.of(5, 5))),
                "(2, 3, 2, 2)", "(5, 5)");
    }

    @Test
    void addOfDifferentShapes() {
        Tensor a = zeros(Shape.of(2, 3));
        Tensor b = zeros(Shape.of(3, 2));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().elementwise().add(a, b, zeros(Shape.of(2, 3))),
                "(3, 2)", "(2, 3)");
    }

    static List<Padding2D> paddings() {
        return ElementwiseCases.PADDINGS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paddings")
    void zeroPadGradient(Padding2D p) {
        assumeFiniteDifferences();
        Shape xs = Shape.of(1, 2, 3, 4);
        Shape ys = PadOracle.paddedShape(xs, p);
        TestData data = new TestData(p.toString().hashCode());
        float[] x = data.gaussian(xs.size(), 1);
        float[] r = data.gaussian(ys.size(), 1);
        Tensor xt = upload(xs, x);
        Tensor y = zeros(ys);
        Tensor dx = zeros(xs);
        backend().elementwise().zeroPadBackward(upload(ys, r), p, dx);
        linearGradientChecker().assertGradient("zero-pad dx of " + p, x, read(dx),
                projection(xt, () -> backend().elementwise().zeroPad(xt, p, y), y, r), GradientChecker.noKinks());
    }

    @Test
    void zeroPadWrongOutputShape() {
        Tensor x = zeros(Shape.of(1, 1, 3, 3));
        Tensor y = zeros(Shape.of(1, 1, 5, 4));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().elementwise().zeroPad(x, Padding2D.of(1), y),
                "(1, 1, 5, 4)", "(1, 1, 5, 5)");
    }
}
