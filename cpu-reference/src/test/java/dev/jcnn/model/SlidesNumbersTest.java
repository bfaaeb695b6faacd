package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Padding2D;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Padding;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.LogCapture;
import dev.jcnn.zoo.ModelZoo;
import org.junit.jupiter.api.Test;

/** The numbers the course slides state, checked against the layers' shape inference and the CPU backend. */
class SlidesNumbersTest {

    private static Shape out(Conv2D c, Shape in) {
        new Sequential(in, c);
        return c.outputShape(in);
    }

    @Test
    void sixFiveByFiveFiltersOn32x32x3Give28x28x6With456Parameters() {
        Conv2D c = new Conv2D(6, 5);
        assertEquals(Shape.of(6, 28, 28), out(c, Shape.of(3, 32, 32)));
        assertEquals((5 * 5 * 3) * 6 + 6, c.parameterCount(Shape.of(3, 32, 32)));
    }

    @Test
    void sevenBySevenWithThreeByThreeFilter() {
        assertEquals(Shape.of(1, 5, 5), out(new Conv2D(1, 3), Shape.of(1, 7, 7)));
        assertEquals(Shape.of(1, 3, 3), out(new Conv2D(1, 3).strides(2), Shape.of(1, 7, 7)));
    }

    @Test
    void strideThreeDoesNotFitUntilPaddingOne() {
        try (LogCapture log = new LogCapture()) {
            Shape floored = out(new Conv2D(1, 3).strides(3), Shape.of(1, 7, 7));
            assertEquals(Shape.of(1, 2, 2), floored, "floors as Keras, PyTorch and cuDNN do");
            String warn = log.joined();
            assertTrue(warn.contains("(7 − 3 + 0)/3 + 1 is not whole") && warn.contains("never covered"), warn);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> out(new Conv2D(1, 3).strides(3).strict(true).named("c"), Shape.of(1, 7, 7)));
        assertTrue(e.getMessage().startsWith("c: the stride does not fit the input (1, 7, 7)"), e.getMessage());
        assertTrue(e.getMessage().contains("the last 1 input row is never covered"), e.getMessage());
        try (LogCapture log = new LogCapture()) {
            assertEquals(Shape.of(1, 3, 3), out(new Conv2D(1, 3).strides(3).padding(Padding.of(1)).strict(true), Shape.of(1, 7, 7)));
            assertEquals("", log.joined());
        }
    }

    @Test
    void commonSettingsKeepTheSize() {
        assertEquals(Shape.of(4, 9, 9), out(new Conv2D(4, 3).padding(Padding.of(1)), Shape.of(2, 9, 9)));
        assertEquals(Shape.of(4, 9, 9), out(new Conv2D(4, 5).padding(Padding.of(2)), Shape.of(2, 9, 9)));
        assertEquals(Shape.of(4, 9, 9), out(new Conv2D(4, 5).padding(Padding.SAME), Shape.of(2, 9, 9)));
    }

    @Test
    void sameWithAnEvenKernelPadsTheExtraRowAtTheBottomAndRight() {
        Conv2D c = new Conv2D(1, 2).padding(Padding.SAME);
        assertEquals(new Padding2D(0, 1, 0, 1), c.spec(Shape.of(1, 5, 5)).padding());
        assertEquals(Shape.of(1, 5, 5), out(c, Shape.of(1, 5, 5)));
        Conv2D s2 = new Conv2D(1, 3).strides(2).padding(Padding.SAME);
        assertEquals(Shape.of(1, 4, 4), out(s2, Shape.of(1, 8, 8)), "ceil(8 / 2)");
        assertEquals(new Padding2D(0, 1, 0, 1), s2.spec(Shape.of(1, 8, 8)).padding());
    }

    @Test
    void maxPoolExampleFromTheSlides() {
        try (CpuBackend cpu = new CpuBackend(); Sequential m = new Sequential(Shape.of(1, 4, 4), new MaxPool2D(2))) {
            m.build(cpu, 0);
            float[] y = m.predict(new float[] {1, 1, 2, 4, 5, 6, 7, 8, 3, 2, 1, 0, 1, 2, 3, 4}, 1);
            assertArrayEquals(new float[] {6, 8, 3, 4}, y);
        }
    }

    @Test
    void leNet5Has61706Parameters() {
        Sequential m = ModelZoo.lenet5();
        assertEquals(61_706, m.parameterCount());
        String s = m.summary();
        assertTrue(s.contains("conv2d_1 (Conv2D)") && s.contains("(None, 6, 28, 28)") && s.contains("156"), s);
        assertTrue(s.contains("Total params: 61,706"), s);
        assertEquals(Shape.of(10), m.outputShape());
    }
}
