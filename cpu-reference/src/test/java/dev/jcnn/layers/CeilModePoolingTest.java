package dev.jcnn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Geometry;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.model.Sequential;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pooling in ceil mode (PyTorch's ceil_mode=True) through the layers: the output size the one
 * formula gives, PyTorch's rule that drops a last window starting past the input, the same
 * "does not fit" reporting as floor mode, and finite-difference gradients.
 */
class CeilModePoolingTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @AfterEach
    void close() {
        cpu.close();
    }

    private static Shape out(Pool2D<?> pool, Shape in) {
        new Sequential(in, pool);
        return pool.outputShape(in);
    }

    @Test
    void theFormulaRoundsUpAndDropsAWindowStartingInThePadding() {
        // (5 − 2)/2 + 1 = 2.5: floor 2, ceil 3
        assertEquals(2, Geometry.outputSize(5, 2, 2, 0, 0, false, "h"));
        assertEquals(3, Geometry.outputSize(5, 2, 2, 0, 0, true, "h"));
        // AlexNet's 3x3/2 on 55: fits, so both give 27
        assertEquals(27, Geometry.outputSize(55, 3, 2, 0, 0, true, "h"));
        // 5 padded 1, 3/2: (5 + 2 − 3)/2 = 2.5 rounds up to 4 outputs, but the last window would start at
        // 3·2 = 6 = I + P_before, in the trailing padding, so PyTorch drops it: 3, as floor mode gives
        assertEquals(3, Geometry.outputSize(5, 3, 2, 1, 1, true, "h"));
        assertEquals(0, Geometry.uncovered(5, 3, 2, 1, 1, true));
        // 6 padded 1: 2.5 rounds up to 4, and the last window starts at 6 − 1 = 5, inside the input
        assertEquals(4, Geometry.outputSize(6, 3, 2, 1, 1, true, "h"));
        assertEquals(3, Geometry.outputSize(6, 3, 2, 1, 1, false, "h"));
        assertEquals(3, Geometry.outputSize(6, 3, 2, 1, 0, true, "h"));
        assertEquals(1, Geometry.overhang(5, 2, 2, 0, 0));
        assertEquals(0, Geometry.overhang(55, 3, 2, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Geometry.outputSize(2, 3, 1, 0, 0, true, "pool height"));
        assertTrue(e.getMessage().contains("pool height: input size 2 (padded 2) is smaller than the window 3"),
                e.getMessage());
    }

    @Test
    void layersRoundUpInCeilMode() {
        assertEquals(Shape.of(2, 3, 3), out(new MaxPool2D(2).ceilMode(true), Shape.of(2, 5, 5)));
        assertEquals(Shape.of(2, 2, 2), out(new MaxPool2D(2), Shape.of(2, 5, 5)));
        assertEquals(Shape.of(1, 7, 7), out(new AvgPool2D(3).strides(2).ceilMode(true), Shape.of(1, 14, 14)));
        assertEquals(Shape.of(1, 3, 4), out(new AvgPool2D(3, 2).strides(2, 3).padding(Padding.of(1)).ceilMode(true),
                Shape.of(1, 5, 9)));
    }

    @Test
    void aWindowPastThePaddedInputIsReportedAsInFloorMode() {
        try (LogCapture log = new LogCapture()) {
            out(new MaxPool2D(2).ceilMode(true), Shape.of(1, 5, 6));
            String warn = log.joined();
            assertTrue(warn.contains("height (I − F + 2P)/S + 1 = (5 − 2 + 0)/2 + 1 is not whole, so it rounds up to 3"
                    + " (ceil mode) and the last window reaches 1 row past the padded input"), warn);
            assertTrue(!warn.contains("width"), "6 fits: " + warn);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> out(new MaxPool2D(2).ceilMode(true).strict(true).named("p"), Shape.of(1, 5, 5)));
        assertTrue(e.getMessage().startsWith("p: the stride does not fit the input (1, 5, 5)"), e.getMessage());
        assertTrue(e.getMessage().contains("the last window reaches 1 column past the padded input"), e.getMessage());
        // a stride that fits is silent in ceil mode too
        assertEquals(Shape.of(1, 3, 3), out(new MaxPool2D(2).ceilMode(true).strict(true), Shape.of(1, 6, 6)));
    }

    /**
     * Averages and sums (linear in x). Max pooling's gradient in ceil mode is checked by the
     * conformance suite (PoolingConformance over PoolingCases.SMALL_CEIL), on inputs spaced wider
     * than the finite-difference step: Gaussian ones put near-ties within a step's reach.
     */
    @Test
    void gradientsInCeilMode() {
        GradientCheck.checkLayer(cpu, new AvgPool2D(2).countIncludePad(true).ceilMode(true), Shape.of(2, 2, 5, 5), 33);
        GradientCheck.checkLayer(cpu, new AvgPool2D(3).strides(2).padding(Padding.of(1)).ceilMode(true),
                Shape.of(1, 3, 8, 8), 34);
        GradientCheck.checkLayer(cpu, new SumPool2D(2, 3).strides(2).ceilMode(true), Shape.of(1, 2, 5, 7), 35);
    }
}
