package dev.jcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {

    /** 10 images of 1×2×2 whose four pixels all equal the image's index (as bytes 0..9 → /255). */
    private static ByteImageDataset tenImages() {
        byte[] px = new byte[10 * 4];
        int[] labels = new int[10];
        for (int i = 0; i < 10; i++) {
            Arrays.fill(px, i * 4, i * 4 + 4, (byte) (i * 25));
            labels[i] = i % 3;
        }
        return new ByteImageDataset(Shape.of(1, 2, 2), px, labels, 3);
    }

    private static int indexOf(Dataset d, int i) {
        return Math.round(d.image(i)[0] * 255f / 25f);
    }

    @Test
    void bytesAreScaledToUnitInterval() {
        ByteImageDataset d = new ByteImageDataset(Shape.of(1, 1, 2), new byte[] {0, (byte) 255}, new int[] {0}, 1);
        assertArrayEquals(new float[] {0f, 1f}, d.image(0));
    }

    @Test
    void batchesStackNchwAndKeepTheRemainder() {
        Batches b = tenImages().batches(4);
        assertEquals(3, b.count());
        List<Integer> sizes = new ArrayList<>();
        for (Batch batch : b) {
            sizes.add(batch.size());
        }
        assertEquals(List.of(4, 4, 2), sizes);
        Batch last = b.get(2);
        assertEquals(Shape.of(2, 1, 2, 2), last.shape());
        assertArrayEquals(new int[] {8 % 3, 9 % 3}, last.labels());
        assertEquals(9 * 25 / 255f, last.images()[7], 1e-7f);
    }

    @Test
    void imagesAndLabelsOfAViewFollowItsOrder() {
        Dataset d = tenImages().select(7, 2);
        float[] x = d.images();
        assertEquals(8, x.length);
        assertEquals(7 * 25 / 255f, x[0], 1e-7f);
        assertEquals(2 * 25 / 255f, x[4], 1e-7f);
        assertArrayEquals(new int[] {1, 2}, d.labels());
    }

    @Test
    void sliceAndFirstAreViews() {
        Dataset d = tenImages();
        Dataset s = d.slice(3, 7);
        assertEquals(4, s.size());
        assertEquals(3, indexOf(s, 0));
        assertEquals(6 % 3, s.label(3));
        assertEquals(10, d.first(2000).size());
        assertEquals(2, d.first(2).size());
        // a slice of a shuffle keeps the shuffled order
        Dataset sh = d.shuffled(1);
        assertEquals(indexOf(sh, 5), indexOf(sh.slice(5, 6), 0));
    }

    @Test
    void shuffleIsAPermutationFixedByTheSeed() {
        Dataset d = tenImages();
        int[] a = order(d.shuffled(42));
        int[] b = order(d.shuffled(42));
        int[] c = order(d.shuffled(43));
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        Dataset sh = d.shuffled(42);
        for (int i = 0; i < 10; i++) {
            assertEquals(a[i] % 3, sh.label(i), "label follows its image");
        }
    }

    private static int[] order(Dataset d) {
        int[] o = new int[d.size()];
        for (int i = 0; i < o.length; i++) {
            o[i] = indexOf(d, i);
        }
        return o;
    }

    @Test
    void badArgumentsSayWhatWasExpected() {
        Dataset d = tenImages();
        assertEquals("slice [4, 11) of a dataset of 10 images; expected 0 <= from <= to <= 10",
                assertThrows(IndexOutOfBoundsException.class, () -> d.slice(4, 11)).getMessage());
        assertEquals("batch size 0: expected a positive size",
                assertThrows(IllegalArgumentException.class, () -> d.batches(0)).getMessage());
        assertEquals("index 10 (position 1) is outside a dataset of 10 images",
                assertThrows(IndexOutOfBoundsException.class, () -> d.select(0, 10)).getMessage());
        assertEquals("label 3 of image 1 is outside [0, 3)", assertThrows(IllegalArgumentException.class,
                () -> new FloatImageDataset(Shape.of(1, 1, 1), new float[2], new int[] {0, 3}, 3)).getMessage());
        assertEquals("2 images of shape (1, 2, 2) need 8 values, got 7", assertThrows(IllegalArgumentException.class,
                () -> new FloatImageDataset(Shape.of(1, 2, 2), new float[7], new int[] {0, 1}, 3)).getMessage());
    }
}
