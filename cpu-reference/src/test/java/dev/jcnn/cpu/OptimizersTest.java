package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OptimizersTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(1));

    @AfterEach
    void close() {
        cpu.close();
    }

    @Test
    void plainSgdWithWeightDecay() {
        try (Tensor w = cpu.upload(Shape.of(2), new float[] {1, -2}); Tensor g = cpu.upload(Shape.of(2), new float[] {0.5f, 1})) {
            cpu.optimizers().sgd(w, g, null, new SgdSpec(0.1f, 0f, false, 0.5f));
            // g' = g + 0.5 w = (1, 0); w -= 0.1 g'
            assertArrayEquals(new float[] {0.9f, -2f}, w.toArray(), 1e-7f);
        }
    }

    @Test
    void sgdMomentumAndNesterovOverTwoSteps() {
        for (boolean nesterov : new boolean[] {false, true}) {
            try (Tensor w = cpu.upload(Shape.of(1), new float[] {1}); Tensor g = cpu.upload(Shape.of(1), new float[] {1});
                    Tensor v = cpu.allocate(Shape.of(1))) {
                SgdSpec spec = new SgdSpec(0.1f, 0.9f, nesterov, 0f);
                cpu.optimizers().sgd(w, g, v, spec); // v = 1; step = 1 (+ 0.9 with Nesterov)
                cpu.optimizers().sgd(w, g, v, spec); // v = 1.9; step = 1.9 (1 + 1.71 with Nesterov)
                float expected = nesterov ? 1 - 0.1f * 1.9f - 0.1f * 2.71f : 1 - 0.1f * 1 - 0.1f * 1.9f;
                assertArrayEquals(new float[] {expected}, w.toArray(), 1e-6f);
                assertArrayEquals(new float[] {1.9f}, v.toArray(), 1e-6f);
            }
        }
    }

    @Test
    void momentumWithoutAVelocityIsRejected() {
        try (Tensor w = cpu.allocate(Shape.of(1)); Tensor g = cpu.allocate(Shape.of(1))) {
            assertThrows(IllegalArgumentException.class, () -> cpu.optimizers().sgd(w, g, null, new SgdSpec(0.1f, 0.9f, false, 0f)));
        }
    }

    @Test
    void adamStepsAreBiasCorrected() {
        // With bias correction the first step moves each weight by lr·g/(|g| + eps') ≈ lr·sign(g).
        try (Tensor w = cpu.upload(Shape.of(2), new float[] {1, 1}); Tensor g = cpu.upload(Shape.of(2), new float[] {3, -0.02f});
                Tensor m = cpu.allocate(Shape.of(2)); Tensor v = cpu.allocate(Shape.of(2))) {
            AdamSpec spec = AdamSpec.of(0.01f);
            cpu.optimizers().adam(w, g, m, v, spec, 1);
            assertArrayEquals(new float[] {0.99f, 1.01f}, w.toArray(), 1e-6f);
            assertArrayEquals(new float[] {0.3f, -0.002f}, m.toArray(), 1e-7f);
            // Second step with the same gradient: m̂ = g and v̂ = g², so again a step of lr·sign(g).
            cpu.optimizers().adam(w, g, m, v, spec, 2);
            assertArrayEquals(new float[] {0.98f, 1.02f}, w.toArray(), 1e-6f);
            assertThrows(IllegalArgumentException.class, () -> cpu.optimizers().adam(w, g, m, v, spec, 0));
        }
    }
}
