package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Input;
import dev.jcnn.layers.Node;
import dev.jcnn.train.Adam;
import dev.jcnn.train.ClassMetrics;
import dev.jcnn.train.DiceLoss;
import dev.jcnn.train.Evaluation;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.Loss;
import dev.jcnn.train.PixelwiseCrossEntropy;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The multi-class segmentation losses train a per-pixel classifier through the trainer, with
 * one-channel class maps as targets, and its mean IoU is reported by the evaluation.
 */
class SegmentationLossesTest {

    private static final int N = 64;
    private static final int SIDE = 6;
    private static final int CLASSES = 3;

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @AfterEach
    void close() {
        cpu.close();
    }

    /** Per-pixel classes 0..2 and images whose pixel is its class plus noise of deviation 0.25. */
    private static float[][] data(long seed) {
        Random r = new Random(seed);
        float[] classes = new float[N * SIDE * SIDE];
        float[] images = new float[classes.length];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = r.nextInt(CLASSES);
            images[i] = classes[i] + (float) (r.nextGaussian() * 0.25);
        }
        return new float[][] {images, classes};
    }

    private Functional pixelClassifier(Loss loss) {
        Node x = Input.of(1, SIDE, SIDE);
        Node h = new Conv2D(8, 1).activation(Activation.RELU).apply(x);
        Node y = new Conv2D(CLASSES, 1).apply(h);
        Functional model = new Functional("pixels", x, y);
        model.build(cpu, 3).compile(loss, new Adam(0.05f));
        return model;
    }

    private void trainsToHighMeanIou(Loss loss) {
        float[][] train = data(1);
        float[][] test = data(2);
        try (Functional model = pixelClassifier(loss)) {
            History h = model.fit(train[0], train[1], FitOptions.of(30, 16).seed(1));
            assertTrue(h.last().loss() < h.epochs().get(0).loss(), loss.name() + " falls: " + h.epochs().get(0).loss()
                    + " -> " + h.last().loss());
            Evaluation e = model.trainer().evaluate(
                    dev.jcnn.data.SampleSource.of(model.inputShape(), test[0], loss.targetShape(model.outputShape()),
                            test[1]), 16, List.of(ClassMetrics.meanIou(CLASSES)));
            // classes one apart under noise 0.25: the Bayes error is about 2.3 %, so IoU near 0.93
            assertTrue(e.metric("mean_iou") > 0.85, loss.name() + ": mean IoU " + e.metric("mean_iou"));
            assertTrue(e.accuracy() > 0.9, loss.name() + ": pixel accuracy " + e.accuracy());
        }
    }

    @Test
    void pixelwiseCrossEntropyTrainsAPerPixelClassifier() {
        trainsToHighMeanIou(new PixelwiseCrossEntropy().withLabelSmoothing(0.05f).withClassWeights(1f, 1.5f, 1f));
    }

    @Test
    void diceLossTrainsAPerPixelClassifier() {
        trainsToHighMeanIou(DiceLoss.multiClass(1));
    }

    @Test
    void targetsOfTheOutputsShapeAreRefusedWithTheShapeWanted() {
        float[][] train = data(1);
        try (Functional model = pixelClassifier(new PixelwiseCrossEntropy())) {
            float[] oneHotSized = new float[N * CLASSES * SIDE * SIDE];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.fit(
                    dev.jcnn.data.SampleSource.of(model.inputShape(), train[0], model.outputShape(), oneHotSized),
                    FitOptions.of(1, 16)));
            assertTrue(e.getMessage().contains("(1, 6, 6)"), e.getMessage());
            assertEquals(CLASSES, model.outputShape().dim(0));
        }
    }
}
