package dev.jcnn.samples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcnn.data.Dataset;
import dev.jcnn.data.FloatImageDataset;
import dev.jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;

class FitToShapeTest {

    @Test
    void greyImageIsCentredAndRepeatedIntoEveryChannel() {
        float[] px = new float[2 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = i + 1;
        }
        Dataset d = FitToShape.of(new FloatImageDataset(Shape.of(1, 2, 2), px, new int[] {4}, 5), Shape.of(3, 4, 4));
        assertEquals(Shape.of(3, 4, 4), d.imageShape());
        assertEquals(4, d.label(0));
        float[] out = d.image(0);
        for (int c = 0; c < 3; c++) {
            int o = c * 16;
            assertEquals(0f, out[o]);
            assertEquals(1f, out[o + 5]); // (1, 1)
            assertEquals(2f, out[o + 6]);
            assertEquals(3f, out[o + 9]);
            assertEquals(4f, out[o + 10]);
            assertEquals(0f, out[o + 15]);
        }
    }

    @Test
    void sameShapeIsTheDatasetItselfAndColourCannotBecomeGrey() {
        Dataset d = new FloatImageDataset(Shape.of(3, 2, 2), new float[12], new int[] {0}, 1);
        assertSame(d, FitToShape.of(d, Shape.of(3, 2, 2)));
        assertEquals("cannot fit images of shape (3, 2, 2) to (1, 2, 2): only a single channel can be repeated to fill 1",
                assertThrows(IllegalArgumentException.class, () -> FitToShape.of(d, Shape.of(1, 2, 2))).getMessage());
    }
}
