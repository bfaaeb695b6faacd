package dev.jcnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-layer wall times: every layer of every pass is counted, and the convolutions' work is the layer's. */
class LayerTimesTest {

    @Test
    void everyLayerOfEveryStepIsTimedWithItsMultiplyAdds() {
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(1));
                Sequential m = new Sequential("timed", Shape.of(2, 8, 9), new Conv2D(4, 3).activation(Activation.RELU),
                        new Conv2D(3, 3, 2), new MaxPool2D(2), new Flatten(), new Dense(5, Activation.SOFTMAX))) {
            m.build(cpu, 1).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.01f, 0.9f));
            LayerTimes times = new LayerTimes();
            m.timeLayers(times);
            float[] x = new float[6 * 2 * 8 * 9];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i % 7) / 7f;
            }
            m.fit(x, new int[] {0, 1, 2, 3, 4, 0}, FitOptions.of(1, 3).shuffle(false)); // two steps of 3
            m.timeLayers(null);
            m.predict(x, 3); // not counted any more

            List<LayerTimes.Entry> entries = times.entries();
            assertEquals(List.of("conv2d_1", "conv2d_2", "max_pool2d_1", "flatten_1", "dense_1"),
                    entries.stream().map(e -> e.layer().name()).toList());
            for (LayerTimes.Entry e : entries) {
                assertEquals(2, e.forwardCalls(), e.layer().name());
                assertEquals(2, e.backwardCalls(), e.layer().name());
                assertTrue(e.forwardNanos() > 0 && e.backwardNanos() > 0, e.layer().name());
            }
            LayerTimes.Entry conv1 = entries.get(0);
            LayerTimes.Entry conv2 = entries.get(1);
            // (4, 6, 7) outputs × 2 channels × 3 × 3; (3, 4, 6) × 4 × 3 × 2; pooled (3, 2, 3) = 18 inputs × 5
            assertEquals(4 * 42 * 2 * 9, conv1.multiplyAddsPerSample());
            assertEquals(3 * 24 * 4 * 6, conv2.multiplyAddsPerSample());
            assertEquals(18 * 5, entries.get(4).multiplyAddsPerSample());
            assertEquals(0, entries.get(2).multiplyAddsPerSample());
            // the first layer is fed by the model's input: no input gradient, its backward is the weight gradient alone
            assertFalse(conv1.inputGradient());
            assertEquals(conv1.forwardFlops(3), conv1.backwardFlops(3));
            assertTrue(conv2.inputGradient());
            assertEquals(2 * conv2.forwardFlops(3), conv2.backwardFlops(3));

            String report = times.report(3, 100);
            assertTrue(report.contains("conv2d_2") && report.contains("%"), report);
            times.reset();
            assertTrue(times.entries().isEmpty());
            try (Functional residual = FunctionalTest.residual()) { // an Add's row names its merged shape
                residual.build(cpu, 1);
                residual.timeLayers(times);
                residual.predict(new float[64], 1);
                assertTrue(times.report(1, 0).contains("add_1"), times.report(1, 0));
            }
            times.reset();
            assertTrue(times.entries().isEmpty());
        }
    }
}
