package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.RmsPropSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.data.SampleSource;
import dev.jcnn.io.TensorFile;
import dev.jcnn.layers.Parameter;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.AdamW;
import dev.jcnn.train.BestModelCheckpoint;
import dev.jcnn.train.Checkpoint;
import dev.jcnn.train.ClassMetrics;
import dev.jcnn.train.EarlyStopping;
import dev.jcnn.train.EpochStats;
import dev.jcnn.train.Evaluation;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.GradientClipping;
import dev.jcnn.train.History;
import dev.jcnn.train.LearningRateSchedule;
import dev.jcnn.train.Metric;
import dev.jcnn.train.Monitor;
import dev.jcnn.train.Optimizer;
import dev.jcnn.train.RmsProp;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.train.TopKAccuracy;
import dev.jcnn.train.TrainingControl;
import dev.jcnn.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's training controls end to end on the CPU backend: AdamW and RMSprop resumed
 * from checkpoints, gradient clipping, schedules inside fit, stopping listeners, early
 * stopping, the best-model checkpoint, and the metrics in evaluate.
 */
class TrainingControlsTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        cpu.close();
    }

    private static final int[] Y = new int[80];
    private static final float[] X = TrainingTest.bars(80, 6, Y);

    /** Two epochs straight, and one epoch, a checkpoint, a fresh model loading it and the second epoch: the same weights. */
    private void resumesExactly(Supplier<Optimizer> optimizer, FitOptions options, String... stateSlots) throws Exception {
        Path ckpt = dir.resolve("ckpt.jcnn");
        List<float[]> straight = new ArrayList<>();
        try (Sequential m = TrainingTest.small()) {
            m.build(cpu, 11).compile(new SparseCategoricalCrossEntropy(), optimizer.get());
            m.fit(X, Y, options);
            m.parameters().forEach(p -> straight.add(p.value().toArray()));
        }
        FitOptions first = FitOptions.of(1, 16).seed(3).schedule(options.schedule()).gradientClipping(options.clipNorm());
        try (Sequential m = TrainingTest.small()) {
            m.build(cpu, 11).compile(new SparseCategoricalCrossEntropy(), optimizer.get());
            m.fit(X, Y, first);
            m.saveCheckpoint(ckpt, Map.of("epoch", "1"));
        }
        Map<String, TensorFile.Entry> saved = TensorFile.read(ckpt).tensors();
        for (String slot : stateSlots) {
            assertTrue(saved.containsKey(Checkpoint.OPTIMIZER + "conv2d_1/kernel/" + slot), slot + " in " + saved.keySet());
        }
        try (Sequential m = TrainingTest.small()) {
            m.build(cpu, 12).compile(new SparseCategoricalCrossEntropy(), optimizer.get());
            m.loadCheckpoint(ckpt);
            assertEquals(5, m.optimizer().iterations());
            m.fit(X, Y, options.initialEpoch(1));
            for (int i = 0; i < straight.size(); i++) {
                assertArrayEquals(straight.get(i), m.parameters().get(i).value().toArray(), 1e-6f,
                        m.parameters().get(i).name());
            }
        }
    }

    @Test
    void adamWResumesExactly() throws Exception {
        resumesExactly(() -> new AdamW(new AdamSpec(0.01f, 0.9f, 0.999f, 1e-8f, 0.05f)), FitOptions.of(2, 16).seed(3),
                "m", "v");
    }

    @Test
    void centeredRmsPropWithMomentumResumesExactly() throws Exception {
        resumesExactly(() -> new RmsProp(new RmsPropSpec(0.005f, 0.9f, 1e-8f, 1e-4f, 0.5f, true)),
                FitOptions.of(2, 16).seed(3), "square_avg", "grad_avg", "momentum_buffer");
    }

    @Test
    void aPerStepCosineScheduleWithClippingResumesExactly() throws Exception {
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.05f, 10, 3, 0f, LearningRateSchedule.Unit.STEP);
        resumesExactly(() -> new Sgd(0.05f, 0.9f), FitOptions.of(2, 16).seed(3).schedule(cosine).gradientClipping(0.5f),
                "velocity");
    }

    @Test
    void clippingScalesEveryGradientByOneFactor() {
        try (Tensor w1 = cpu.allocate(Shape.of(2)); Tensor g1 = cpu.upload(Shape.of(2), new float[] {3, 0});
                Tensor w2 = cpu.allocate(Shape.of(1)); Tensor g2 = cpu.upload(Shape.of(1), new float[] {-4})) {
            List<Parameter> ps = List.of(new Parameter("a/w", w1, g1), new Parameter("b/w", w2, g2));
            assertEquals(5.0, GradientClipping.clipByGlobalNorm(ps, 10f), 1e-12);
            assertArrayEquals(new float[] {3, 0}, g1.toArray(), "below the maximum: unchanged");
            assertEquals(5.0, GradientClipping.clipByGlobalNorm(ps, 1f), 1e-12);
            float scale = (float) (1 / (5 + 1e-6));
            assertArrayEquals(new float[] {3 * scale, 0}, g1.toArray(), 1e-7f);
            assertArrayEquals(new float[] {-4 * scale}, g2.toArray(), 1e-7f);
            assertEquals(1.0, GradientClipping.clipByGlobalNorm(ps, 1f), 1e-5, "now at the maximum");
        }
    }

    /** Records the rate each step trained with and each epoch started with. */
    private static final class Rates implements TrainingListener {
        final List<Float> steps = new ArrayList<>();
        final List<Float> epochs = new ArrayList<>();
        Optimizer optimizer;

        @Override
        public void onFitStart(TrainingControl control) {
            optimizer = control.optimizer();
        }

        @Override
        public void onEpochStart(int epoch, int batches) {
            epochs.add(optimizer.learningRate());
        }

        @Override
        public void onBatchEnd(int epoch, int batch, double runningLoss, double runningAccuracy) {
            steps.add(optimizer.learningRate());
        }
    }

    @Test
    void schedulesFollowTheStepCountOrTheEpoch() {
        LearningRateSchedule perStep = LearningRateSchedule.step(0.1f, 3, 0.5, LearningRateSchedule.Unit.STEP);
        LearningRateSchedule perEpoch = LearningRateSchedule.exponential(0.1f, 0.5, LearningRateSchedule.Unit.EPOCH);
        try (Sequential m = TrainingTest.small()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f));
            Rates r = new Rates();
            m.fit(X, Y, FitOptions.of(2, 16).schedule(perStep).listener(r));
            assertEquals(10, r.steps.size());
            for (int k = 0; k < 10; k++) {
                assertEquals(perStep.learningRate(k), r.steps.get(k), 0f, "step " + k);
            }
            Rates e = new Rates();
            m.fit(X, Y, FitOptions.of(3, 16).initialEpoch(1).schedule(perEpoch).listener(e));
            assertEquals(List.of(0.05f, 0.025f), e.epochs, "epochs 2 and 3 of a resumed run");
        }
    }

    @Test
    void aListenerStopsTrainingAtTheEndOfAStep() {
        try (Sequential m = TrainingTest.small()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f));
            List<EpochStats> ended = new ArrayList<>();
            boolean[] fitEnded = {false};
            History h = m.fit(X, Y, FitOptions.of(5, 16).listener(new TrainingListener() {
                TrainingControl control;

                @Override
                public void onFitStart(TrainingControl c) {
                    control = c;
                }

                @Override
                public void onBatchEnd(int epoch, int batch, double runningLoss, double runningAccuracy) {
                    if (epoch == 2 && batch == 2) {
                        control.stop("enough");
                    }
                }

                @Override
                public void onEpochEnd(EpochStats stats) {
                    ended.add(stats);
                }

                @Override
                public void onFitEnd(History history) {
                    fitEnded[0] = true;
                }
            }));
            assertEquals(7, m.optimizer().iterations(), "5 steps of epoch 1, 2 of epoch 2");
            assertEquals(2, h.epochs().size());
            assertEquals(ended, h.epochs(), "the cut epoch still ends");
            assertTrue(h.stoppedEarly());
            assertEquals("enough", h.stopReason().orElseThrow());
            assertTrue(fitEnded[0]);
            assertTrue(Double.isFinite(h.last().loss()), "the cut epoch's loss is over the batches it trained");
        }
    }

    /** Host copies of the weights after each epoch. */
    private static final class Snapshots implements TrainingListener {
        final List<Map<String, float[]>> after = new ArrayList<>();
        TrainingControl control;

        @Override
        public void onFitStart(TrainingControl c) {
            control = c;
        }

        @Override
        public void onEpochEnd(EpochStats stats) {
            Map<String, float[]> w = new LinkedHashMap<>();
            control.model().weights().forEach((k, t) -> w.put(k, t.toArray()));
            after.add(w);
        }
    }

    private static void assertWeights(Map<String, float[]> expected, Sequential m) {
        m.weights().forEach((k, t) -> assertArrayEquals(expected.get(k), t.toArray(), k));
    }

    @Test
    void earlyStoppingStopsReturnsItsHistoryAndRestoresTheBestWeights() {
        try (Sequential m = TrainingTest.small()) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f));
            Snapshots s = new Snapshots();
            // no later epoch improves the loss by 10: the run stops after patience 2 more epochs
            EarlyStopping stop = new EarlyStopping(Monitor.LOSS, 2, 10, true);
            History h = m.fit(X, Y, FitOptions.of(20, 16).listeners(s, stop));
            assertEquals(3, h.epochs().size());
            assertTrue(h.stoppedEarly());
            assertTrue(h.stopReason().orElseThrow().startsWith("early stopping: loss has not improved"),
                    h.stopReason().get());
            assertEquals(1, stop.bestEpoch());
            assertEquals(3, stop.stoppedEpoch());
            assertWeights(s.after.get(0), m);
        }
    }

    @Test
    void theBestModelCheckpointHoldsTheBestEpoch() throws Exception {
        int[] vy = new int[40];
        float[] vx = TrainingTest.bars(40, 9, vy);
        Path best = dir.resolve("best.jcnn");
        try (Sequential m = TrainingTest.small()) {
            m.build(cpu, 2).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.3f, 0.9f));
            Snapshots s = new Snapshots();
            BestModelCheckpoint keep = new BestModelCheckpoint(best, Monitor.VAL_LOSS, 0);
            History h = m.fit(X, Y, FitOptions.of(4, 16).validation(vx, vy).listeners(s, keep));
            int bestEpoch = 1;
            for (EpochStats e : h.epochs()) {
                bestEpoch = e.valLoss() < h.epochs().get(bestEpoch - 1).valLoss() ? e.epoch() : bestEpoch;
            }
            assertEquals(bestEpoch, keep.bestEpoch());
            try (Sequential fresh = TrainingTest.small()) {
                fresh.build(cpu, 3).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.3f, 0.9f));
                Map<String, String> meta = fresh.loadCheckpoint(best);
                assertEquals(Integer.toString(bestEpoch), meta.get("epoch"));
                assertEquals("val_loss", meta.get("monitor"));
                assertEquals(5L * bestEpoch, fresh.optimizer().iterations());
                assertWeights(s.after.get(bestEpoch - 1), fresh);
            }
        }
    }

    @Test
    void evaluateReportsFurtherMetrics() {
        int[] vy = new int[60];
        float[] vx = TrainingTest.bars(60, 10, vy);
        try (Sequential m = TrainingTest.small()) {
            m.build(cpu, 4).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f));
            m.fit(X, Y, FitOptions.of(1, 16));
            List<Metric> metrics = new ArrayList<>(List.of(new TopKAccuracy(1), new TopKAccuracy(3),
                    ClassMetrics.meanIou(3)));
            metrics.addAll(ClassMetrics.precisionAndRecall(3));
            Evaluation e = m.evaluate(SampleSource.of(m.inputShape(), vx, vy), 7, metrics);
            assertEquals(e.accuracy(), e.metric("top_1_accuracy"), 1e-12);
            assertEquals(1.0, e.metric("top_3_accuracy"), 0);
            int[] predicted = m.predictClasses(vx, 16);
            long[][] counts = new long[3][3];
            for (int i = 0; i < vy.length; i++) {
                counts[vy[i]][predicted[i]]++;
            }
            double iouSum = 0;
            int present = 0;
            for (int c = 0; c < 3; c++) {
                long tp = counts[c][c];
                long actual = counts[c][0] + counts[c][1] + counts[c][2];
                long pred = counts[0][c] + counts[1][c] + counts[2][c];
                assertEquals(pred == 0 ? Double.NaN : (double) tp / pred, e.metric("precision_" + c), 1e-12);
                assertEquals((double) tp / actual, e.metric("recall_" + c), 1e-12);
                if (actual + pred - tp > 0) {
                    iouSum += (double) tp / (actual + pred - tp);
                    present++;
                }
            }
            assertEquals(iouSum / present, e.metric("mean_iou"), 1e-12);
            assertEquals(List.of("top_1_accuracy", "top_3_accuracy", "mean_iou", "precision_0", "recall_0", "precision_1",
                    "recall_1", "precision_2", "recall_2"), List.copyOf(e.metrics().keySet()));
            assertFalse(Double.isNaN(e.metric("mean_iou")));
        }
    }
}
