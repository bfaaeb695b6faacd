package dev.jcnn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;

class DepthwiseConv2DTest {

    @Test
    void parameterCountIsKernelTimesChannelsTimesMultiplierPlusBias() {
        // MobileNetV2's first depthwise layer: 32 channels, 3x3, multiplier 1, no bias (batch norm follows)
        assertEquals(3 * 3 * 32, new DepthwiseConv2D(3).useBias(false).parameterCount(Shape.of(32, 112, 112)));
        // (F·F)·C·m + C·m with C = 5, m = 3, a 3x2 kernel
        DepthwiseConv2D d = new DepthwiseConv2D(3, 2).depthMultiplier(3);
        assertEquals(3 * 2 * 5 * 3 + 5 * 3, d.parameterCount(Shape.of(5, 8, 8)));
        assertEquals(Shape.of(15, 1, 3, 2), d.parameterSpecs(Shape.of(5, 8, 8)).get(0).shape());
        assertEquals(Shape.of(15), d.parameterSpecs(Shape.of(5, 8, 8)).get(1).shape());
    }

    @Test
    void itIsTheConv2DWithFiltersCTimesMAndGroupsC() {
        Shape in = Shape.of(6, 11, 10);
        DepthwiseConv2D d = new DepthwiseConv2D(3).depthMultiplier(2).strides(2).padding(Padding.SAME).dilation(2);
        Conv2D same = new Conv2D(12, 3).groups(6).strides(2).padding(Padding.SAME).dilation(2);
        assertEquals(same.outputShape(in), d.outputShape(in));
        assertEquals(Shape.of(12, 6, 5), d.outputShape(in));
        ConvSpec spec = d.spec(in);
        assertEquals(same.spec(in), spec);
        assertEquals(6, spec.groups());
        assertEquals(same.parameterCount(in), d.parameterCount(in));
        assertEquals("DepthwiseConv2D", d.type());
    }

    @Test
    void filtersAndGroupsNeedTheInputAndOtherGroupCountsAreRefused() {
        DepthwiseConv2D d = new DepthwiseConv2D(3).depthMultiplier(2).named("dw");
        IllegalStateException e = assertThrows(IllegalStateException.class, d::filters);
        assertTrue(e.getMessage().contains("dw") && e.getMessage().contains("build"), e.getMessage());
        assertThrows(IllegalStateException.class, d::groups);
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class, () -> d.groups(2));
        assertTrue(u.getMessage().contains("dw") && u.getMessage().contains("Conv2D"), u.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> d.depthMultiplier(0));
        assertTrue(m.getMessage().contains("depth multiplier") && m.getMessage().contains("0"), m.getMessage());
    }
}
