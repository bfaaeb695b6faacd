package dev.jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Geometry;
import dev.jcnn.backend.Numerics;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;

/** How convolutions map onto cuDNN's symmetric padding, and the cache key of their plans. */
class ConvGeometryTest {

    @Test
    void symmetricPaddingGoesToCudnn() {
        ConvGeometry g = new ConvGeometry(Shape.of(2, 3, 32, 32), 6, ConvSpec.of(5, 1, 2), Numerics.EXACT);
        assertFalse(g.padsExplicitly());
        assertEquals(2, g.cudnnPadH());
        assertEquals(2, g.cudnnPadW());
        assertEquals(Shape.of(2, 3, 32, 32), g.cudnnInput());
        assertEquals(Shape.of(2, 6, 32, 32), g.y());
        assertEquals(Shape.of(6, 3, 5, 5), g.w());
    }

    @Test
    void kerasSameWithAnEvenKernelPadsTheExtraRowExplicitly() {
        int[] ph = Geometry.samePadding(7, 4, 1); // {1, 2}
        ConvSpec spec = new ConvSpec(4, 4, 1, 1, new Padding2D(ph[0], ph[1], ph[0], ph[1]));
        ConvGeometry g = new ConvGeometry(Shape.of(1, 2, 7, 7), 3, spec, Numerics.EXACT);
        assertTrue(g.padsExplicitly());
        assertEquals(1, g.cudnnPadH());
        assertEquals(new Padding2D(0, 1, 0, 1), g.explicitPadding());
        assertEquals(Shape.of(1, 2, 8, 8), g.cudnnInput());
        assertEquals(Shape.of(1, 3, 7, 7), g.y());
    }

    @Test
    void cudnnOutputMatchesCoresFormulaEverywhere() {
        int checked = 0;
        for (int h = 1; h <= 12; h++) {
            for (int k = 1; k <= 7; k += 2) {
                for (int s = 1; s <= 3; s++) {
                    for (int top = 0; top <= 2; top++) {
                        for (int bottom = 0; bottom <= 3; bottom++) {
                            ConvSpec spec = new ConvSpec(k, 2, s, 1, new Padding2D(top, bottom, bottom, top));
                            Shape x = Shape.of(1, 1, h, 5);
                            if (h + top + bottom < k) {
                                assertThrows(IllegalArgumentException.class,
                                        () -> new ConvGeometry(x, 1, spec, Numerics.EXACT));
                                continue;
                            }
                            ConvGeometry g = new ConvGeometry(x, 1, spec, Numerics.EXACT);
                            assertEquals(g.y(), g.cudnnOutput(), "h " + h + " k " + k + " s " + s + " pad " + top + "/"
                                    + bottom);
                            // the first window starts at −top in the original image
                            assertEquals(-top, -g.explicitPadding().top() - g.cudnnPadH());
                            checked++;
                        }
                    }
                }
            }
        }
        assertTrue(checked > 500, checked + " configurations");
    }

    @Test
    void dilatedAndGroupedGeometriesMatchCoresFormula() {
        int checked = 0;
        for (int h = 5; h <= 14; h++) {
            for (int d = 1; d <= 4; d++) {
                for (int top = 0; top <= 2; top++) {
                    ConvSpec spec = new ConvSpec(3, 3, 1 + h % 2, 1, new Padding2D(top, 1, 0, 2)).withDilation(d, 1)
                            .withGroups(2);
                    Shape x = Shape.of(2, 4, h, 6);
                    if (h + top + 1 < 2 * d + 1) {
                        assertThrows(IllegalArgumentException.class, () -> new ConvGeometry(x, 6, spec, Numerics.EXACT));
                        continue;
                    }
                    ConvGeometry g = new ConvGeometry(x, 6, spec, Numerics.EXACT);
                    assertEquals(g.y(), g.cudnnOutput(), "h " + h + " d " + d + " top " + top);
                    assertEquals(Shape.of(6, 2, 3, 3), g.w());
                    checked++;
                }
            }
        }
        assertTrue(checked > 90, checked + " configurations");
        ConvGeometry plain = new ConvGeometry(Shape.of(1, 4, 9, 9), 4, ConvSpec.of(3, 1, 1), Numerics.EXACT);
        assertNotEquals(plain, new ConvGeometry(Shape.of(1, 4, 9, 9), 4, ConvSpec.of(3, 1, 1).withGroups(4),
                Numerics.EXACT));
        assertNotEquals(plain, new ConvGeometry(Shape.of(1, 4, 9, 9), 4, ConvSpec.of(3, 1, 1).withDilation(1, 2),
                Numerics.EXACT));
    }

    /**
     * A dilated, grouped Conv2DTranspose runs cuDNN's convolution from its output back to its
     * input: that geometry's output is the layer's input, cuDNN's own size formula agrees, and
     * its filter descriptor is the layer's kernel (C_in, filters/groups, kh, kw).
     */
    @Test
    void dilatedAndGroupedTransposedConvolutionsMapOntoTheAdjointDescriptors() {
        int checked = 0;
        for (int d = 1; d <= 3; d++) {
            for (int groups : new int[] {1, 2, 4}) {
                for (int stride = 1; stride <= 2; stride++) {
                    for (int pad = 0; pad <= 2; pad++) {
                        dev.jcnn.layers.Conv2DTranspose layer = new dev.jcnn.layers.Conv2DTranspose(8, 3)
                                .strides(stride).padding(dev.jcnn.layers.Padding.of(pad)).dilation(d, 1).groups(groups);
                        Shape in = Shape.of(4, 5, 6);
                        Shape out;
                        try {
                            out = layer.outputShape(in);
                        } catch (IllegalArgumentException tooSmall) {
                            continue;
                        }
                        ConvSpec spec = layer.spec(in);
                        ConvGeometry g = new ConvGeometry(out.withBatch(2), in.dim(0), spec, Numerics.EXACT);
                        assertEquals(in.withBatch(2), g.y(), "d " + d + " g " + groups + " s " + stride + " p " + pad);
                        assertEquals(g.y(), g.cudnnOutput());
                        assertEquals(layer.parameterSpecs(in).get(0).shape(), g.w());
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 40, checked + " configurations");
    }

    @Test
    void planKeysSeparateWhatChangesTheDescriptorsOrAlgorithms() {
        ConvGeometry a = new ConvGeometry(Shape.of(8, 3, 28, 28), 6, ConvSpec.of(5, 1, 2), Numerics.EXACT);
        assertEquals(a, new ConvGeometry(Shape.of(8, 3, 28, 28), 6, ConvSpec.of(5, 1, 2), Numerics.EXACT));
        assertEquals(a.hashCode(),
                new ConvGeometry(Shape.of(8, 3, 28, 28), 6, ConvSpec.of(5, 1, 2), Numerics.EXACT).hashCode());
        assertNotEquals(a, new ConvGeometry(Shape.of(7, 3, 28, 28), 6, ConvSpec.of(5, 1, 2), Numerics.EXACT));
        assertNotEquals(a, new ConvGeometry(Shape.of(8, 3, 28, 28), 7, ConvSpec.of(5, 1, 2), Numerics.EXACT));
        assertNotEquals(a, new ConvGeometry(Shape.of(8, 3, 28, 28), 6, ConvSpec.of(5, 2, 2), Numerics.EXACT));
        assertNotEquals(a, new ConvGeometry(Shape.of(8, 3, 28, 28), 6,
                new ConvSpec(5, 5, 1, 1, new Padding2D(2, 2, 2, 3)), Numerics.EXACT));
        assertNotEquals(a, new ConvGeometry(Shape.of(8, 3, 28, 28), 6, ConvSpec.of(5, 1, 2), Numerics.FAST));
    }

    @Test
    void aKernelLargerThanThePaddedInputIsRejectedWithCoresMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(Shape.of(1, 1, 3, 3), 1, ConvSpec.of(5, 1, 0), Numerics.EXACT));
        assertTrue(e.getMessage().contains("smaller than the window 5"), e.getMessage());
    }
}
