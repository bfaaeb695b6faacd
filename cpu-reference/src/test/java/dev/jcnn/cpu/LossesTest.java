package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LossesTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(2));

    @AfterEach
    void close() {
        cpu.close();
    }

    @Test
    void softmaxCrossEntropyIsTheBatchMeanAndItsGradient() {
        // Sample 0: equal logits over 4 classes, loss ln 4. Sample 1: ln(1 + 3e^-2) for a confident right answer.
        float[] logits = {0, 0, 0, 0, 2, 0, 0, 0};
        try (Tensor t = cpu.upload(Shape.of(2, 4), logits); Tensor d = cpu.allocate(Shape.of(2, 4))) {
            float loss = cpu.losses().softmaxCrossEntropy(t, new int[] {3, 0}, d);
            double l1 = Math.log(1 + 3 * Math.exp(-2));
            assertEquals((Math.log(4) + l1) / 2, loss, 1e-6);
            double p0 = 1 / (1 + 3 * Math.exp(-2));
            double q = Math.exp(-2) * p0;
            assertArrayEquals(new float[] {0.125f, 0.125f, 0.125f, -0.375f, (float) ((p0 - 1) / 2), (float) (q / 2),
                (float) (q / 2), (float) (q / 2)}, d.toArray(), 1e-7f);
        }
    }

    @Test
    void hugeLogitsStayFinite() {
        try (Tensor t = cpu.upload(Shape.of(1, 2), new float[] {1e30f, -1e30f})) {
            assertEquals(2e30f, cpu.losses().softmaxCrossEntropy(t, new int[] {1}, null), 1e24f);
        }
        try (Tensor t = cpu.upload(Shape.of(2), new float[] {1000f, -1000f});
                Tensor y = cpu.upload(Shape.of(2), new float[] {0f, 1f})) {
            assertEquals(1000f, cpu.losses().sigmoidCrossEntropy(t, y, null), 1e-3f);
        }
    }

    @Test
    void labelOutOfRangeNamesTheSampleAndTheRange() {
        try (Tensor t = cpu.allocate(Shape.of(3, 10))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cpu.losses().softmaxCrossEntropy(t, new int[] {1, 10, 2}, null));
            assertEquals("softmaxCrossEntropy: label 10 of sample 1 is out of range, expected 0 to 9", e.getMessage());
        }
    }

    @Test
    void sigmoidCrossEntropyIsTheMeanOverElements() {
        float[] x = {0f, 2f, -1f, 3f};
        float[] t = {1f, 0f, 0.5f, 1f};
        try (Tensor tx = cpu.upload(Shape.of(1, 1, 2, 2), x); Tensor tt = cpu.upload(Shape.of(1, 1, 2, 2), t);
                Tensor d = cpu.allocate(Shape.of(1, 1, 2, 2))) {
            double expected = 0;
            float[] grad = new float[4];
            for (int i = 0; i < 4; i++) {
                double p = 1 / (1 + Math.exp(-x[i]));
                expected -= t[i] * Math.log(p) + (1 - t[i]) * Math.log(1 - p);
                grad[i] = (float) ((p - t[i]) / 4);
            }
            assertEquals(expected / 4, cpu.losses().sigmoidCrossEntropy(tx, tt, d), 1e-6);
            assertArrayEquals(grad, d.toArray(), 1e-7f);
        }
    }

    @Test
    void targetsOutsideZeroOneAreNamed() {
        try (Tensor tx = cpu.allocate(Shape.of(3)); Tensor tt = cpu.upload(Shape.of(3), new float[] {0, 1.5f, 1})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cpu.losses().sigmoidCrossEntropy(tx, tt, null));
            assertEquals("sigmoidCrossEntropy: target 1.5 at index 1 of targets (3) is outside [0, 1]", e.getMessage());
        }
    }

    @Test
    void meanSquaredErrorIsTheMeanOverElements() {
        try (Tensor p = cpu.upload(Shape.of(2, 2), new float[] {1, 2, 3, 4});
                Tensor t = cpu.upload(Shape.of(2, 2), new float[] {1, 0, 3, 7}); Tensor d = cpu.allocate(Shape.of(2, 2))) {
            assertEquals((4 + 9) / 4f, cpu.losses().meanSquaredError(p, t, d));
            assertArrayEquals(new float[] {0, 1, 0, -1.5f}, d.toArray());
        }
    }
}
