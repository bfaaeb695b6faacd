package dev.jcnn.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;

class ConvSpecTest {

    @Test
    void dilatedKernelSpansDTimesFMinusOnePlusOne() {
        assertEquals(5, Geometry.dilatedWindow(3, 2));
        assertEquals(3, Geometry.dilatedWindow(3, 1));
        // PyTorch: 9x9, 3x3, dilation 2, padding 2 keeps 9x9; dilation 3 along the width gives 5
        ConvSpec s = ConvSpec.of(3, 1, 2).withDilation(2, 3);
        assertEquals(Shape.of(1, 4, 9, 7), s.outputShape(Shape.of(1, 2, 9, 9), 4));
    }

    @Test
    void groupsSplitTheWeightChannels() {
        ConvSpec depthwise = ConvSpec.of(3, 1, 1).withGroups(32);
        assertEquals(Shape.of(64, 1, 3, 3), depthwise.weightShape(32, 64));
        assertEquals(Shape.of(96, 24, 5, 5), ConvSpec.of(5, 1, 2).withGroups(2).weightShape(48, 96));
    }

    @Test
    void groupsMustDivideChannelsAndFilters() {
        ConvSpec s = ConvSpec.of(3, 1, 1).withGroups(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.weightShape(4, 6));
        assertTrue(e.getMessage().contains("input channels 4") && e.getMessage().contains("divisible by 3"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.outputShape(Shape.of(1, 6, 5, 5), 4));
        assertThrows(IllegalArgumentException.class, () -> ConvSpec.of(3, 1, 1).withDilation(0, 1));
        assertThrows(IllegalArgumentException.class, () -> ConvSpec.of(3, 1, 1).withGroups(0));
    }

    @Test
    void plainConvolutionIsTheFiveArgumentOne() {
        assertTrue(ConvSpec.of(3, 1, 1).isPlain());
        assertEquals(ConvSpec.of(3, 1, 1), ConvSpec.of(3, 1, 1).withDilation(1, 1).withGroups(1));
    }

    /**
     * PyTorch's conv_transpose2d size, (I − 1)·S − 2P + d·(F − 1) + 1 + OP, and the convolution
     * of that size with the same settings gives I back whenever OP is below the stride.
     */
    @Test
    void transposedOutputSizeIsTheConvolutionsInverse() {
        // PyTorch: ConvTranspose2d(kernel 3, stride 2, padding 1, output_padding 1, dilation 2) on 5 gives 12
        assertEquals(12, Geometry.transposedOutputSize(5, Geometry.dilatedWindow(3, 2), 2, 1, 1, 1, "t"));
        assertEquals(11, Geometry.transposedOutputSize(5, 3, 2, 0, 0, 0, "t"));
        int checked = 0;
        for (int in = 1; in <= 9; in++) {
            for (int k = 1; k <= 4; k++) {
                for (int d = 1; d <= 3; d++) {
                    for (int s = 1; s <= 3; s++) {
                        for (int p = 0; p <= 2; p++) {
                            for (int op = 0; op < s; op++) {
                                int window = Geometry.dilatedWindow(k, d);
                                int out = (in - 1) * s - 2 * p + d * (k - 1) + 1 + op;
                                if (out <= 0 || out + 2 * p < window) {
                                    continue;
                                }
                                assertEquals(out, Geometry.transposedOutputSize(in, window, s, p, p, op, "t"));
                                assertEquals(in, Geometry.outputSize(out, window, s, p, p, "t"));
                                checked++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(checked > 1000, checked + " configurations");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Geometry.transposedOutputSize(1, 1, 1, 1, 1, 0, "deconv height"));
        assertTrue(e.getMessage().contains("deconv height") && e.getMessage().contains("-1"), e.getMessage());
    }
}
