package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.Normalization;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.TestData;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Layers with nothing learnable at or above them (a Normalization on the data) compute no gradient. */
class UpstreamGradientTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @AfterEach
    void close() {
        cpu.close();
    }

    /** Passes values through and counts its backward calls. */
    static final class Counting extends Layer {
        int backwards;

        Counting() {
            super(null);
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            return x;
        }

        @Override
        public Tensor backward(Tensor dy) {
            backwards++;
            return dy;
        }
    }

    private int backwardsWhenTraining(Layer... layers) {
        try (Sequential m = new Sequential(Shape.of(4), layers)) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.1f));
            TestData d = new TestData(2);
            m.fit(d.gaussian(32 * 4, 1), d.labels(32, 3), FitOptions.of(1, 8));
            for (Layer l : layers) {
                if (l instanceof Counting c) {
                    return c.backwards;
                }
            }
            throw new AssertionError("no counting layer");
        }
    }

    @Test
    void aParameterFreeLayerOnTheDataRunsNoBackwardButOneAboveALearningLayerDoes() {
        assertEquals(0, backwardsWhenTraining(new Normalization(new float[4], new float[] {1, 2, 3, 4}), new Counting(),
                new Dense(3, Activation.SOFTMAX)), "nothing to learn below it");
        assertEquals(4, backwardsWhenTraining(new Dense(4, Activation.RELU), new Counting(),
                new Dense(3, Activation.SOFTMAX)), "once per step, 4 steps");
    }

    @Test
    void trainingThroughANormalizationStillLearns() {
        try (Sequential m = new Sequential(Shape.of(4), new Normalization(new float[] {100, 0, 0, 0},
                new float[] {50, 1, 1, 1}), new Dense(2, Activation.SOFTMAX))) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.5f));
            int n = 64;
            float[] x = new TestData(3).gaussian(n * 4, 1);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = i % 2;
                x[i * 4] = 100 + (y[i] == 0 ? -40 : 40) + x[i * 4];   // a large offset and scale the layer removes
            }
            m.fit(x, y, FitOptions.of(20, 16));
            assertTrue(m.evaluate(x, y, 64).accuracy() > 0.95, "learns from the standardised feature");
        }
    }
}
