package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ActivationsTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(1));
    private final Shape s = Shape.of(1, 4);
    private final float[] x = {-100f, -2f, 0f, 3f};

    @AfterEach
    void close() {
        cpu.close();
    }

    private float[] forward(ActivationSpec f) {
        try (Tensor tx = cpu.upload(s, x); Tensor ty = cpu.allocate(s)) {
            cpu.activations().forward(f, tx, ty);
            return ty.toArray();
        }
    }

    private float[] backward(ActivationSpec f, float[] in) {
        try (Tensor tx = cpu.upload(s, in); Tensor ty = cpu.allocate(s); Tensor dy = cpu.upload(s, new float[] {1, 1, 1, 1});
                Tensor dx = cpu.allocate(s)) {
            cpu.activations().forward(f, tx, ty);
            cpu.activations().backward(f, tx, ty, dy, dx);
            return dx.toArray();
        }
    }

    @Test
    void forwardValues() {
        assertArrayEquals(new float[] {0, 0, 0, 3}, forward(ActivationSpec.RELU));
        assertArrayEquals(new float[] {-10, -0.2f, 0, 3}, forward(ActivationSpec.leakyRelu(0.1f)));
        assertArrayEquals(new float[] {-0.5f, (float) (0.5 * Math.expm1(-2)), 0, 3}, forward(ActivationSpec.elu(0.5f)));
        assertArrayEquals(new float[] {-1, (float) Math.tanh(-2), 0, (float) Math.tanh(3)}, forward(ActivationSpec.TANH));
        assertArrayEquals(new float[] {(float) (1 / (1 + Math.exp(100))), (float) (1 / (1 + Math.exp(2))), 0.5f,
            (float) (1 / (1 + Math.exp(-3)))}, forward(ActivationSpec.SIGMOID));
        assertArrayEquals(x, forward(ActivationSpec.LINEAR));
    }

    @Test
    void derivativesTakeTheNegativeSideAtZero() {
        assertArrayEquals(new float[] {0, 0, 0, 1}, backward(ActivationSpec.RELU, x));
        assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f, 1}, backward(ActivationSpec.leakyRelu(0.1f), x));
        assertArrayEquals(new float[] {(float) (0.5 * Math.exp(-100)), (float) (0.5 * Math.exp(-2)), 0.5f, 1}, backward(ActivationSpec.elu(0.5f), x));
    }

    @Test
    void eluGradientStaysAccurateFarOnTheNegativeSide() {
        // alpha·e^x from x, not y + alpha, which would lose every digit to cancellation.
        float[] dx = backward(ActivationSpec.elu(1f), new float[] {-12f, -15f, -20f, -1f});
        assertEquals(Math.exp(-12), dx[0], Math.exp(-12) * 1e-6);
        assertEquals(Math.exp(-15), dx[1], Math.exp(-15) * 1e-6);
        assertEquals(Math.exp(-20), dx[2], Math.exp(-20) * 1e-6);
    }

    @Test
    void preluOnFeaturesHasOneAlphaPerFeature() {
        Shape xs = Shape.of(2, 2);
        try (Tensor tx = cpu.upload(xs, new float[] {-1, -1, 2, -4}); Tensor a = cpu.upload(Shape.of(2), new float[] {0.1f, 0.5f});
                Tensor y = cpu.allocate(xs); Tensor dy = cpu.upload(xs, new float[] {1, 1, 1, 1}); Tensor dx = cpu.allocate(xs);
                Tensor da = cpu.allocate(Shape.of(2))) {
            cpu.activations().preluForward(tx, a, y);
            assertArrayEquals(new float[] {-0.1f, -0.5f, 2, -2}, y.toArray());
            cpu.activations().preluBackward(tx, a, dy, dx, da);
            assertArrayEquals(new float[] {0.1f, 0.5f, 1, 0.5f}, dx.toArray());
            assertArrayEquals(new float[] {-1, -5}, da.toArray());
        }
    }
}
