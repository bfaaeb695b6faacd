package dev.jcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches read their source epoch by epoch, shuffled from (seed, epoch) alone; arrays become sources with clear checks. */
class BatchesTest {

    /** 10 samples of shape (2): sample i is (i, -i); target tensor (1): 10·i; label i mod 3. */
    private static float[] x() {
        float[] x = new float[20];
        for (int i = 0; i < 10; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
        }
        return x;
    }

    private static List<Integer> samples(Iterable<Batch> epoch) {
        List<Integer> order = new ArrayList<>();
        for (Batch b : epoch) {
            for (int i = 0; i < b.size(); i++) {
                order.add((int) b.images()[2 * i]);
            }
        }
        return order;
    }

    @Test
    void aBatchSizeNearIntegerMaxValueIsOneBatchOfEverySample() {
        // (size + batchSize - 1) in int wrapped to a negative count: no batch, a run of 0 steps
        Batches b = new Batches(SampleSource.of(Shape.of(2), x()), Integer.MAX_VALUE);
        assertEquals(1, b.count());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), samples(b));
        assertEquals(10, b.get(0).size());
    }

    @Test
    void aShuffledEpochDependsOnlyOnTheSeedAndTheEpoch() {
        SampleSource s = SampleSource.of(Shape.of(2), x());
        Batches shuffled = new Batches(s, 4).shuffled(7);
        List<Integer> e1 = samples(shuffled.epoch(1));
        List<Integer> e2 = samples(shuffled.epoch(2));
        assertEquals(e1, samples(new Batches(s, 3).shuffled(7).epoch(1)), "the same order, whatever the batch size");
        assertEquals(e2, samples(new Batches(s, 4).shuffled(7).epoch(2)), "epoch 2 again, as after a resume");
        assertNotEquals(e1, e2);
        assertNotEquals(e1, samples(new Batches(s, 4).shuffled(8).epoch(1)));
        List<Integer> sorted = new ArrayList<>(e1);
        sorted.sort(null);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), sorted, "a permutation");
        assertEquals(e1, Arrays.stream(shuffled.order(1)).boxed().toList());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), samples(new Batches(s, 4).epoch(5)), "unshuffled: in order");
    }

    @Test
    void batchesCarryLabelsOrTargetTensorsOfTheirSamples() {
        float[] t = new float[10];
        int[] labels = new int[10];
        for (int i = 0; i < 10; i++) {
            t[i] = 10 * i;
            labels[i] = i % 3;
        }
        Batches withTargets = new Batches(SampleSource.of(Shape.of(2), x(), Shape.of(1), t), 4).shuffled(1);
        for (Batch b : withTargets.epoch(3)) {
            assertNull(b.labels());
            assertEquals(Shape.of(b.size(), 1), b.targetShape());
            for (int i = 0; i < b.size(); i++) {
                assertEquals(10 * b.images()[2 * i], b.targets()[i], "target of the same sample");
                assertEquals(b.images()[2 * i], -b.images()[2 * i + 1], 0f);
            }
        }
        Batch last = new Batches(SampleSource.of(Shape.of(2), x(), labels), 4).get(2);
        assertEquals(Shape.of(2, 2), last.shape());
        assertArrayEquals(new int[] {8 % 3, 9 % 3}, last.labels());
        assertNull(new Batches(SampleSource.of(Shape.of(2), x()), 4).get(0).labels());
    }

    @Test
    void arraysThatDoNotHoldWholeSamplesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleSource.of(Shape.of(1, 2, 2), new float[10], new int[2]));
        assertEquals("x holds 10 values, not a whole number of samples of shape (1, 2, 2) (4 values each)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SampleSource.of(Shape.of(2), new float[8], new int[3]));
        assertEquals("x holds 4 samples of shape (2) but 3 labels are given; expected one label per sample", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SampleSource.of(Shape.of(2), new float[8], Shape.of(3), new float[11]));
        assertEquals("x holds 4 samples of shape (2), which need 12 target values of shape (3), got 11", e.getMessage());
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                () -> SampleSource.of(Shape.of(2), new float[8]).label(0));
        assertEquals("this source's targets are NONE, not class labels", u.getMessage());
    }
}
