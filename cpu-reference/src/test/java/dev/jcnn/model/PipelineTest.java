package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.data.Augmentation;
import dev.jcnn.data.BatchLoader;
import dev.jcnn.data.Dataset;
import dev.jcnn.data.FloatImageDataset;
import dev.jcnn.layers.Parameter;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.EpochStats;
import dev.jcnn.train.Evaluation;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** fit with augmentation and background batches: the same weights for any thread count, validation untouched, threads ended. */
class PipelineTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @AfterEach
    void close() {
        cpu.close();
    }

    private static final Augmentation SHIFTS = Augmentation.parse("shift:1,flip");

    private static long loaderThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(BatchLoader.THREAD_PREFIX) && t.isAlive()).count();
    }

    private static float[] flat(List<Parameter> ps) {
        List<Float> all = new ArrayList<>();
        for (Parameter p : ps) {
            for (float v : p.value().toArray()) {
                all.add(v);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    private History fit(Sequential m, Dataset train, FitOptions o) {
        m.build(cpu, 7).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f, 0.9f));
        return m.fit(train, o);
    }

    @Test
    void theWeightsAreTheSameBitForBitForZeroOneTwoAndFourLoaderThreads() {
        FloatImageDataset train = StreamingTest.bars(200, 1);
        float[] reference = null;
        double referenceLoss = 0;
        for (int threads : new int[] {0, 1, 2, 4}) {
            try (Sequential m = TrainingTest.small()) {
                History h = fit(m, train, FitOptions.of(2, 32).seed(4).augmentation(SHIFTS)
                        .prefetch(threads, Math.max(1, 3 * threads)));
                float[] w = flat(m.parameters());
                if (reference == null) {
                    reference = w;
                    referenceLoss = h.last().loss();
                } else {
                    assertArrayEquals(reference, w, threads + " threads");
                    assertEquals(referenceLoss, h.last().loss(), 0.0);
                }
            }
        }
        try (Sequential m = TrainingTest.small()) {
            fit(m, train, FitOptions.of(2, 32).seed(4).prefetch(2, 4));
            assertFalse(java.util.Arrays.equals(reference, flat(m.parameters())), "augmentation changes the run");
        }
        assertEquals(0, loaderThreadsAlive());
    }

    @Test
    void validationAndEvaluateSeeTheImagesAsTheyAre() {
        FloatImageDataset train = StreamingTest.bars(200, 1);
        FloatImageDataset val = StreamingTest.bars(60, 2);
        try (Sequential m = TrainingTest.small()) {
            History h = fit(m, train, FitOptions.of(1, 32).seed(4).augmentation(Augmentation.parse("crop:3,flip"))
                    .prefetch(2, 4).validation(val));
            Evaluation ev = m.evaluate(val, 32);
            EpochStats last = h.last();
            assertEquals(ev.loss(), last.valLoss(), 1e-12, "validation within fit is evaluate's, unaugmented");
            assertEquals(ev.accuracy(), last.valAccuracy(), 1e-12);
            // evaluate on the training data is unaugmented too: the same as on a plain copy of the arrays
            Evaluation a = m.evaluate(train, 50);
            Evaluation b = m.evaluate(new FloatImageDataset(Shape.of(1, 8, 8), train.images(), train.labels(), 3), 50);
            assertEquals(a.loss(), b.loss(), 0.0);
        }
    }

    @Test
    void anEarlyStopOrAFailingSourceEndsTheLoaderThreadsAndNamesTheCause() {
        FloatImageDataset train = StreamingTest.bars(300, 1);
        TrainingListener stopper = new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int step, double loss, double metric) {
                if (step == 3) {
                    throw new IllegalStateException("stop at step 3");
                }
            }
        };
        try (Sequential m = TrainingTest.small()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> fit(m, train, FitOptions.of(3, 16).augmentation(SHIFTS).prefetch(4, 8).listener(stopper)));
            assertEquals("stop at step 3", e.getMessage());
        }
        assertEquals(0, loaderThreadsAlive(), "no loader thread outlives fit");
        Dataset broken = new Dataset() {
            @Override
            public int size() {
                return train.size();
            }

            @Override
            public Shape imageShape() {
                return train.imageShape();
            }

            @Override
            public int classes() {
                return train.classes();
            }

            @Override
            public int label(int index) {
                return train.label(index);
            }

            @Override
            public void copyImage(int index, float[] dst, int offset) {
                if (index == 250) {
                    throw new IllegalArgumentException("image 250 of the test set is corrupt");
                }
                train.copyImage(index, dst, offset);
            }
        };
        try (Sequential m = TrainingTest.small()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fit(m, broken, FitOptions.of(1, 16).shuffle(false).prefetch(2, 4)));
            assertEquals("image 250 of the test set is corrupt", e.getMessage());
            assertTrue(e.getSuppressed()[0].getMessage().contains("batch 15 of epoch 1"),
                    e.getSuppressed()[0].getMessage());
        }
        assertEquals(0, loaderThreadsAlive());
    }

    /** The Trainer's INFO lines while open. */
    private static final class TrainerLog extends AbstractAppender implements AutoCloseable {
        private static final String LOGGER = "dev.jcnn.train.Trainer";
        private final List<String> lines = new ArrayList<>();

        TrainerLog() {
            super("trainer-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
            start();
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            Configuration config = ctx.getConfiguration();
            LoggerConfig logger = new LoggerConfig(LOGGER, Level.INFO, false);
            logger.addAppender(this, Level.INFO, null);
            config.addLogger(LOGGER, logger);
            ctx.updateLoggers();
        }

        @Override
        public synchronized void append(LogEvent event) {
            lines.add(event.getMessage().getFormattedMessage());
        }

        /** The share the line "input pipeline: X% of step time" gives, in percent. */
        synchronized double pipelineShare() {
            Pattern p = Pattern.compile("input pipeline: ([0-9.]+)% of step time");
            for (String l : lines) {
                Matcher m = p.matcher(l);
                if (m.find()) {
                    return Double.parseDouble(m.group(1));
                }
            }
            throw new AssertionError("no input pipeline line in " + lines);
        }

        @Override
        public void close() {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            ctx.getConfiguration().removeLogger(LOGGER);
            ctx.updateLoggers();
            stop();
        }
    }

    /** The bars, each read taking {@code sleepMillis}. */
    private static Dataset slow(FloatImageDataset base, int sleepMillis) {
        return new Dataset() {
            @Override
            public int size() {
                return base.size();
            }

            @Override
            public Shape imageShape() {
                return base.imageShape();
            }

            @Override
            public int classes() {
                return base.classes();
            }

            @Override
            public int label(int index) {
                return base.label(index);
            }

            @Override
            public void copyImage(int index, float[] dst, int offset) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                base.copyImage(index, dst, offset);
            }
        };
    }

    @Test
    void fitLogsTheShareOfStepTimeSpentWaitingForBatches() {
        FloatImageDataset train = StreamingTest.bars(64, 1);
        try (TrainerLog log = new TrainerLog(); Sequential m = TrainingTest.small()) {
            // reading a batch of 16 takes 32 ms, the small model's step far less: the wait is most of the step time
            fit(m, slow(train, 2), FitOptions.of(1, 16).prefetch(1, 2));
            double share = log.pipelineShare();
            assertTrue(share > 50 && share <= 100, share + "%");
        }
    }
}
