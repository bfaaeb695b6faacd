package dev.jcnn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;

class Conv2DDilationGroupsTest {

    @Test
    void groupedParameterCountIsKernelTimesChannelsOverGroupsTimesFiltersPlusBias() {
        // AlexNet's conv2: 96 channels in two groups, 256 filters 5x5: (5·5·96/2)·256 + 256
        Conv2D alexnet = new Conv2D(256, 5).padding(Padding.of(2)).groups(2);
        assertEquals(5 * 5 * 48 * 256 + 256, alexnet.parameterCount(Shape.of(96, 27, 27)));
        assertEquals(Shape.of(256, 27, 27), alexnet.outputShape(Shape.of(96, 27, 27)));
        // depthwise 3x3 over 32 channels (MobileNet), multiplier 2: 64 filters of one channel each
        Conv2D depthwise = new Conv2D(64, 3).padding(Padding.SAME).groups(32).useBias(false);
        assertEquals(3 * 3 * 64, depthwise.parameterCount(Shape.of(32, 14, 14)));
    }

    @Test
    void dilationWidensTheKernelInTheOutputSizeAndInSamePadding() {
        // 3x3 dilated by 2 spans 5x5: valid padding on 9x9 gives 5x5, SAME keeps 9x9
        assertEquals(Shape.of(4, 5, 5), new Conv2D(4, 3).dilation(2).outputShape(Shape.of(1, 9, 9)));
        assertEquals(Shape.of(4, 9, 9), new Conv2D(4, 3).dilation(2).padding(Padding.SAME).outputShape(Shape.of(1, 9, 9)));
        assertEquals(Shape.of(4, 5, 3), new Conv2D(4, 3).dilation(2, 3).outputShape(Shape.of(1, 9, 9)));
        // the parameters do not change with dilation
        assertEquals(3 * 3 * 4 + 4, new Conv2D(4, 3).dilation(2).parameterCount(Shape.of(1, 9, 9)));
    }

    @Test
    void channelsOrFiltersNotDivisibleByTheGroupsAreRefusedNamingTheLayer() {
        Conv2D conv = new Conv2D(6, 3).groups(3);
        conv.named("grouped");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.outputShape(Shape.of(4, 8, 8)));
        assertTrue(e.getMessage().contains("grouped") && e.getMessage().contains("4 channels")
                && e.getMessage().contains("3 groups"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(6, 3).groups(4));
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(6, 3).dilation(0));
    }
}
