package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Backend;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.data.SampleSource;
import dev.jcnn.data.Targets;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Add;
import dev.jcnn.layers.BatchNormalization;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Dropout;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.Input;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Node;
import dev.jcnn.layers.Padding;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.ForwardingBackend;
import dev.jcnn.testing.TestData;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prediction from many threads on one model: the model's own predict is never silently wrong
 * (two threads at once are refused with the rule), and its Predictor is safe under contention,
 * bit for bit the single-thread results.
 */
class ConcurrentPredictionTest {

    static final Shape INPUT = Shape.of(1, 12, 12);
    private Backend backend;
    private Sequential model;

    @BeforeEach
    void trainedModel() {
        backend = new CpuBackend();
        model = small("net");
        model.build(backend, 7).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f));
        TestData d = new TestData(3);
        model.fit(d.uniform(64 * INPUT.size(), 0, 1), d.labels(64, 10), FitOptions.of(1, 16));
    }

    @AfterEach
    void close() {
        model.close();
        backend.close();
    }

    static Sequential small(String name) {
        return new Sequential(name, INPUT,
                new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU),
                new BatchNormalization(),
                new MaxPool2D(2),
                new Flatten(),
                new Dropout(0.5),
                new Dense(10, Activation.SOFTMAX));
    }

    /** Thread t's inputs: n samples of its own. */
    static float[] inputs(int t, int n) {
        return new TestData(100 + t).uniform(n * INPUT.size(), 0, 1);
    }

    @Test
    void modelPredictFromSeveralThreadsIsNeverSilentlyWrong() throws Exception {
        int threads = 4;
        int rounds = 30;
        float[][] x = new float[threads][];
        float[][] expected = new float[threads][];
        for (int t = 0; t < threads; t++) {
            x[t] = inputs(t, 32);
            expected[t] = model.predict(x[t], 8);
        }
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Throwable> other = new ArrayList<>();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        try {
                            float[] got = model.predict(x[me], 8);
                            if (!Arrays.equals(got, expected[me])) {
                                wrong.incrementAndGet();
                            }
                        } catch (IllegalStateException e) {
                            assertTrue(e.getMessage().contains("predictor()"), e.getMessage());
                            refused.incrementAndGet();
                        } catch (RuntimeException e) {
                            synchronized (other) {
                                other.add(e);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(wrong.get() == 0 && other.isEmpty(), wrong + " of " + threads * rounds
                + " predictions were silently wrong, " + refused + " refused with the rule, " + other.size()
                + " failed otherwise: " + other.stream().map(Throwable::toString).distinct().toList());
    }

    @Test
    void modelPredictWhileAnotherThreadPredictsIsRefusedWithTheRule() throws Exception {
        BlockingSource blocked = new BlockingSource(inputs(0, 8));
        Thread other = new Thread(() -> model.predict(blocked, 4), "first-caller");
        other.start();
        blocked.awaitEntered();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.predict(inputs(1, 4), 4));
            assertTrue(e.getMessage().contains("thread 'first-caller' runs predict")
                    && e.getMessage().contains("model.predictor()"), e.getMessage());
        } finally {
            blocked.release();
            other.join();
        }
        assertArrayEquals(model.predict(inputs(1, 4), 4), model.predict(inputs(1, 4), 4), "after it, calls run again");
    }

    @Test
    void predictorUnderContentionIsBitForBitTheSingleThreadResult() throws Exception {
        assertContendedPredictionsExact(model, 8, 200);
    }

    @Test
    void predictorOfAFunctionalModelWithASkipIsExact() throws Exception {
        Node in = Input.of(1, 12, 12);
        Node h = new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU).apply(in);
        Node r = new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU).apply(h);
        Node sum = new Add().apply(h, r);
        Node out = new Dense(10).apply(new Flatten().apply(new MaxPool2D(2).apply(sum)));
        try (Functional residual = new Functional("residual", in, out)) {
            residual.build(backend, 11).compile(new SparseCategoricalCrossEntropy());
            assertContendedPredictionsExact(residual, 6, 60);
        }
    }

    /**
     * threads × rounds predictions through one predictor, each thread on inputs of its own in
     * four sizes and batch sizes, compared with the model's own single-thread predictions.
     */
    private static void assertContendedPredictionsExact(Model m, int threads, int rounds) throws Exception {
        int[] batchSizes = {1, 3, 8, 16};
        float[][][] x = new float[threads][batchSizes.length][];
        float[][][] expected = new float[threads][batchSizes.length][];
        for (int t = 0; t < threads; t++) {
            for (int v = 0; v < batchSizes.length; v++) {
                x[t][v] = inputs(t * 10 + v, 1 + (t * 5 + v * 3) % 17);
                expected[t][v] = m.predict(x[t][v], batchSizes[v]);
            }
        }
        // as many copies as threads on the CPU, so that every thread runs at once (the default is one per processor)
        Predictor predictor = m.backend().supportsConcurrentCalls() ? m.predictor(threads) : m.predictor();
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                all.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        int v = (r + me) % batchSizes.length;
                        if (!Arrays.equals(predictor.predict(x[me][v], batchSizes[v]), expected[me][v])) {
                            wrong.incrementAndGet();
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(threads * rounds, done.get());
        assertEquals(0, wrong.get(), wrong + " of " + done + " predictions differ from the single-thread ones");
        predictor.close();
    }

    @Test
    void trainingLoadingOrClosingWhilePredictorPredictsIsRefused(@TempDir Path dir) throws Exception {
        Path saved = dir.resolve("net.jcnn");
        model.save(saved);
        Predictor predictor = model.predictor();
        BlockingSource blocked = new BlockingSource(inputs(0, 8));
        Thread predicting = new Thread(() -> predictor.predict(blocked, 4), "predicting");
        predicting.start();
        blocked.awaitEntered();
        float[] x = inputs(2, 16);
        int[] labels = new TestData(5).labels(16, 10);
        try {
            IllegalStateException fit = assertThrows(IllegalStateException.class,
                    () -> model.fit(x, labels, FitOptions.of(1, 8)));
            assertTrue(fit.getMessage().contains("fit while 1 prediction(s) through its predictor() are running"),
                    fit.getMessage());
            IllegalStateException load = assertThrows(IllegalStateException.class, () -> model.load(saved));
            assertTrue(load.getMessage().contains("load while"), load.getMessage());
            IllegalStateException close = assertThrows(IllegalStateException.class, model::close);
            assertTrue(close.getMessage().contains("close while"), close.getMessage());
            assertThrows(IllegalStateException.class, predictor::close);
            // reading the weights meanwhile is fine: the model's own predict runs beside the predictor's
            assertEquals(16 * 10, model.predict(x, 8).length);
        } finally {
            blocked.release();
            predicting.join();
        }
        model.fit(x, labels, FitOptions.of(1, 8));
        assertArrayEquals(model.predict(x, 8), predictor.predict(x, 8), "after training the predictor sees the new weights");
    }

    @Test
    void predictorPredictionWhileTheModelTrainsIsRefused() throws Exception {
        BlockingSource blocked = new BlockingSource(inputs(0, 16), new TestData(6).labels(16, 10));
        Predictor predictor = model.predictor();
        Thread training = new Thread(() -> model.fit(blocked, FitOptions.of(1, 8)), "training");
        training.start();
        blocked.awaitEntered();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> predictor.predict(inputs(1, 2), 2));
            assertTrue(e.getMessage().contains("thread 'training' runs fit")
                    && e.getMessage().contains("changes the weights"), e.getMessage());
        } finally {
            blocked.release();
            training.join();
        }
        assertArrayEquals(model.predict(inputs(1, 2), 2), predictor.predict(inputs(1, 2), 2));
    }

    @Test
    void onABackendThatTakesOneCallAtATimeThePredictorRunsOneAtATime() throws Exception {
        try (Backend oneAtATime = new ForwardingBackend(new CpuBackend());
             Sequential m = small("serial")) {
            m.build(oneAtATime, 7);
            assertEquals(1, m.predictor().maxConcurrency());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predictor(2));
            assertTrue(e.getMessage().contains("takes one call at a time"), e.getMessage());
            assertContendedPredictionsExact(m, 4, 25);
        }
    }

    @Test
    void aClosedPredictorRefusesAndClosingTheModelClosesItsPredictors() {
        Predictor first = model.predictor();
        first.predict(inputs(0, 2), 2);
        first.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> first.predict(inputs(0, 2), 2));
        assertTrue(e.getMessage().contains("predictor is closed"), e.getMessage());
        Predictor second = model.predictor();
        second.predict(inputs(0, 2), 2);
        model.close();
        assertThrows(IllegalStateException.class, () -> second.predict(inputs(0, 2), 2));
    }

    /** Samples whose first read blocks until released: a call that stays inside the model. */
    static final class BlockingSource implements SampleSource {
        private final SampleSource inner;
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        BlockingSource(float[] x) {
            this.inner = SampleSource.of(INPUT, x);
        }

        BlockingSource(float[] x, int[] labels) {
            this.inner = SampleSource.of(INPUT, x, labels);
        }

        void awaitEntered() throws InterruptedException {
            assertTrue(entered.await(30, TimeUnit.SECONDS), "the other thread started its call");
        }

        void release() {
            released.countDown();
        }

        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public Shape sampleShape() {
            return inner.sampleShape();
        }

        @Override
        public void copySample(int index, float[] dst, int offset) {
            entered.countDown();
            try {
                assertTrue(released.await(30, TimeUnit.SECONDS), "released");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            inner.copySample(index, dst, offset);
        }

        @Override
        public Targets targets() {
            return inner.targets();
        }

        @Override
        public int label(int index) {
            return inner.label(index);
        }
    }
}
