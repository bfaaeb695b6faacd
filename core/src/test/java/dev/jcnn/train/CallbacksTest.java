package dev.jcnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Early stopping and reduce-on-plateau, epoch by epoch, on given figures (Keras' rules). */
class CallbacksTest {

    /** A control without a model: records the stop. */
    private static final class Recording implements TrainingControl {
        final Optimizer optimizer = new Sgd(0.1f);
        String reason;

        @Override
        public Trainable model() {
            throw new AssertionError("the callback under test needs no model");
        }

        @Override
        public Optimizer optimizer() {
            return optimizer;
        }

        @Override
        public void stop(String why) {
            reason = reason == null ? why : reason;
        }

        @Override
        public boolean stopRequested() {
            return reason != null;
        }
    }

    private static EpochStats epoch(int e, double valLoss) {
        return new EpochStats(e, 1.0, 0.5, valLoss, Double.NaN, 1, 1);
    }

    /** The epoch after which the listener stopped, or 0. */
    private static int run(EarlyStopping s, double... valLosses) {
        Recording c = new Recording();
        s.onFitStart(c);
        for (int e = 1; e <= valLosses.length; e++) {
            s.onEpochEnd(epoch(e, valLosses[e - 1]));
            if (c.stopRequested()) {
                return e;
            }
        }
        return 0;
    }

    @Test
    void earlyStoppingWaitsPatienceEpochsWithoutImprovement() {
        EarlyStopping s = EarlyStopping.onValidationLoss(2);
        assertEquals(4, run(s, 1.0, 0.8, 0.85, 0.9, 0.7));
        assertEquals(2, s.bestEpoch());
        assertEquals(0.8, s.best(), 0);
        // an improvement resets the count
        assertEquals(0, run(s, 1.0, 0.9, 0.95, 0.8, 0.85));
        // patience 0: the first epoch that does not improve stops
        assertEquals(2, run(EarlyStopping.onValidationLoss(0), 1.0, 1.0, 0.5));
    }

    @Test
    void minDeltaDemandsAClearImprovement() {
        EarlyStopping s = new EarlyStopping(Monitor.VAL_LOSS, 2, 0.05, false);
        assertEquals(3, run(s, 1.0, 0.97, 0.96));
        assertEquals(1, s.bestEpoch());
    }

    @Test
    void aMissingFigureIsNamed() {
        EarlyStopping s = new EarlyStopping(Monitor.VAL_ACCURACY, 1, 0, false);
        s.onFitStart(new Recording());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.onEpochEnd(epoch(1, 0.5)));
        assertEquals("early stopping monitors val_accuracy, but epoch 1 has none (fit was given no validation data)",
                e.getMessage());
        assertEquals(Monitor.VAL_LOSS, Monitor.parse("Val_Loss"));
        assertThrows(IllegalArgumentException.class, () -> Monitor.parse("val_acc"));
    }

    @Test
    void reduceOnPlateauCutsTheRateThenCoolsDown() {
        Recording c = new Recording();
        ReduceLearningRateOnPlateau r = new ReduceLearningRateOnPlateau(Monitor.VAL_LOSS, 0.5, 1, 0, 1, 0.02f);
        r.onFitStart(c);
        double[] losses = {1.0, 1.0, 1.0, 1.0, 0.5, 0.6, 0.6, 0.6, 0.6};
        float[] expected = {0.1f, 0.05f, 0.05f, 0.025f, 0.025f, 0.02f, 0.02f, 0.02f, 0.02f};
        for (int e = 1; e <= losses.length; e++) {
            r.onEpochEnd(epoch(e, losses[e - 1]));
            assertEquals(expected[e - 1], c.optimizer.learningRate(), 1e-9f, "after epoch " + e);
        }
        assertFalse(c.stopRequested());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ReduceLearningRateOnPlateau(Monitor.LOSS, 1.5, 1, 0, 0, 0f)).getMessage().contains("factor 1.5"));
    }
}
