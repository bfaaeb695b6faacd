package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.data.FloatImageDataset;
import dev.jcnn.data.SampleSource;
import dev.jcnn.layers.Parameter;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.WatchedDataset;
import dev.jcnn.train.BinaryCrossEntropy;
import dev.jcnn.train.Evaluation;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** fit, evaluate and predict read sources batch by batch, check them before the first batch, and match the array path. */
class StreamingTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @AfterEach
    void close() {
        cpu.close();
    }

    static FloatImageDataset bars(int n, long seed) {
        int[] y = new int[n];
        float[] x = TrainingTest.bars(n, seed, y);
        return new FloatImageDataset(Shape.of(1, 8, 8), x, y, 3);
    }

    @Test
    void aDatasetTrainsExactlyAsItsArraysDoAndIsReadBatchByBatch() {
        FloatImageDataset train = bars(300, 1);
        FloatImageDataset val = bars(100, 2);
        WatchedDataset streamed = new WatchedDataset(train);
        WatchedDataset streamedVal = new WatchedDataset(val);
        float[] wa;
        float[] ws;
        History ha;
        History hs;
        try (Sequential a = TrainingTest.small(); Sequential s = TrainingTest.small()) {
            a.build(cpu, 7).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f, 0.9f));
            s.build(cpu, 7).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f, 0.9f));
            ha = a.fit(train.images(), train.labels(), FitOptions.of(2, 32).seed(5).validation(val.images(), val.labels()));
            hs = s.fit(streamed, FitOptions.of(2, 32).seed(5).validation(streamedVal));
            wa = flat(a.parameters());
            ws = flat(s.parameters());
            Evaluation ev = s.evaluate(streamedVal, 40);
            assertEquals(hs.last().valAccuracy(), ev.accuracy(), 1e-12);
            assertEquals(100, ev.samples());
            assertArrayEquals(a.predictClasses(val.images(), 64), s.predictClasses(streamedVal, 64));
        }
        assertArrayEquals(wa, ws, "the same weights, bit for bit");
        for (int e = 0; e < 2; e++) {
            assertEquals(ha.epochs().get(e).loss(), hs.epochs().get(e).loss(), 0.0);
            assertEquals(ha.epochs().get(e).valAccuracy(), hs.epochs().get(e).valAccuracy(), 0.0);
        }
        assertEquals(2 * 300, streamed.reads(), "each image read once per epoch");
        assertEquals(32 * 64, streamed.largestDestination(), "never more than one batch at a time");
        assertEquals(64 * 64, streamedVal.largestDestination());
    }

    @Test
    void predictionsComeBatchByBatchInOrder() {
        FloatImageDataset data = bars(70, 3);
        try (Sequential m = TrainingTest.small()) {
            m.build(cpu, 2);
            List<Integer> firsts = new ArrayList<>();
            float[] collected = new float[70 * 3];
            m.trainer().predict(data, 32, (first, shape, p) -> {
                firsts.add(first);
                assertEquals(Shape.of(Math.min(32, 70 - first), 3), shape);
                System.arraycopy(p, 0, collected, first * 3, p.length);
            });
            assertEquals(List.of(0, 32, 64), firsts);
            assertArrayEquals(m.predict(data.images(), 70), collected);
        }
    }

    /**
     * Images with three times the model's channels made predict return three times as many
     * predictions and fit blame the labels; a source says its shape, so each call now names it
     * before reading a batch.
     */
    @Test
    void theSamplesShapeIsCheckedBeforeTheFirstBatch() {
        WatchedDataset rgb = new WatchedDataset(new FloatImageDataset(Shape.of(3, 8, 8), new float[10 * 192], new int[10], 3));
        try (Sequential m = TrainingTest.small()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f));
            String expected = ": the data's samples have shape (3, 8, 8), but model 'small' takes (1, 8, 8): 3 channels where"
                    + " it takes 1";
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(rgb, 4));
            assertEquals("predict" + expected, e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.fit(rgb, FitOptions.of(1, 4)));
            assertEquals("fit" + expected, e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> m.evaluate(rgb, 4));
            assertEquals("evaluate" + expected, e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> m.fit(bars(10, 1), FitOptions.of(1, 4).validation(rgb)));
            assertEquals("fit: the validation data" + expected, e.getMessage());
            assertEquals(0, rgb.reads(), "nothing was read");
        }
    }

    @Test
    void targetsAreCheckedAgainstTheLossAndTheOutput() {
        try (Sequential m = TrainingTest.small()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f));
            SampleSource masks = SampleSource.of(Shape.of(1, 8, 8), new float[128], Shape.of(3), new float[6]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.fit(masks, FitOptions.of(1, 2)));
            assertEquals("fit: sparse_categorical_crossentropy trains against class labels, but the data's targets are"
                    + " tensors of shape (3)", e.getMessage());
            FloatImageDataset five = new FloatImageDataset(Shape.of(1, 8, 8), new float[128], new int[] {0, 4}, 5);
            e = assertThrows(IllegalArgumentException.class, () -> m.fit(five, FitOptions.of(1, 2)));
            assertEquals("fit: the data has 5 classes, but model 'small' scores 3", e.getMessage());
        }
        try (Sequential m = LossAndOutputTest.binary(dev.jcnn.layers.Activation.LINEAR)) {
            m.build(cpu, 1).compile(new BinaryCrossEntropy(), new Sgd(0.1f));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.fit(bars(4, 1), FitOptions.of(1, 2)));
            assertEquals("fit: binary_crossentropy trains against tensors of shape (1), but the data's targets are class"
                    + " labels", e.getMessage());
            SampleSource wrong = SampleSource.of(Shape.of(1, 8, 8), new float[128], Shape.of(2), new float[4]);
            e = assertThrows(IllegalArgumentException.class, () -> m.evaluate(wrong, 2));
            assertEquals("evaluate: binary_crossentropy needs targets of the output's shape (1) per sample, but the data's"
                    + " targets are (2)", e.getMessage());
        }
    }

    private static float[] flat(List<Parameter> ps) {
        int n = 0;
        for (Parameter p : ps) {
            n += p.value().shape().size();
        }
        float[] out = new float[n];
        int at = 0;
        for (Parameter p : ps) {
            float[] v = p.value().toArray();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }
}
