package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TensorLifecycleTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(1));

    @AfterEach
    void close() {
        cpu.close();
    }

    @Test
    void uploadReadWriteRoundTrip() {
        try (Tensor t = cpu.upload(Shape.of(2, 2), new float[] {1, 2, 3, 4})) {
            assertArrayEquals(new float[] {1, 2, 3, 4}, t.toArray());
            cpu.write(t, new float[] {5, 6, 7, 8});
            float[] dst = new float[5];
            cpu.read(t, dst);
            assertArrayEquals(new float[] {5, 6, 7, 8, 0}, dst);
        }
    }

    @Test
    void shortArraysAreRejectedWithTheirLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cpu.upload(Shape.of(2, 3), new float[5]));
        assertEquals("upload: array holds 5 values, shape (2, 3) needs exactly 6", e.getMessage());
    }

    @Test
    void aClosedTensorCannotBeUsed() {
        Tensor t = cpu.allocate(Shape.of(3));
        t.close();
        t.close(); // closing twice is harmless
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cpu.elementwise().fill(t, 1f));
        assertEquals("fill: tensor t (3) is closed", e.getMessage());
        try (Tensor y = cpu.allocate(Shape.of(3))) {
            e = assertThrows(IllegalStateException.class, () -> cpu.activations().forward(ActivationSpec.RELU, t, y));
            assertTrue(e.getMessage().contains("activationForward: tensor x (3) is closed"), e.getMessage());
        }
    }

    @Test
    void aTensorOfAnotherBackendIsRejected() {
        try (CpuBackend other = new CpuBackend(BackendOptions.exact().withThreads(1));
                Tensor foreign = other.allocate(Shape.of(4)); Tensor mine = cpu.allocate(Shape.of(4))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cpu.elementwise().add(mine, foreign, mine));
            assertEquals("add: tensor b (4) belongs to another cpu backend, not to this cpu backend", e.getMessage());
        }
    }

    @Test
    void aClosedBackendRunsNothing() {
        CpuBackend b = new CpuBackend(BackendOptions.exact().withThreads(2));
        Tensor t = b.allocate(Shape.of(2));
        b.close();
        assertThrows(IllegalStateException.class, () -> b.elementwise().fill(t, 0f));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.allocate(Shape.of(1)));
        assertEquals("allocate: the cpu backend is closed", e.getMessage());
    }

    @Test
    void outputsMayNotAliasInputsUnlessTheOpAllowsIt() {
        try (Tensor a = cpu.upload(Shape.of(2, 3), new float[] {-1, 2, -3, 4, -5, 6})) {
            cpu.elementwise().add(a, a, a); // allowed: accumulation
            cpu.elementwise().scale(a, 0.5f, a); // allowed
            cpu.activations().forward(ActivationSpec.RELU, a, a); // allowed
            assertArrayEquals(new float[] {0, 2, 0, 4, 0, 6}, a.toArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cpu.softmax().forward(a, false, a));
            assertEquals("softmaxForward: output y must not be the same tensor as input x", e.getMessage());
        }
    }

    @Test
    void shapeMismatchNamesOpTensorAndShapes() {
        try (Tensor a = cpu.allocate(Shape.of(2, 3)); Tensor b = cpu.allocate(Shape.of(3, 2))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cpu.elementwise().add(a, b, a));
            assertEquals("add: b has shape (3, 2), expected (2, 3)", e.getMessage());
            cpu.elementwise().copy(a, b); // a reshape is allowed
        }
    }

    @Test
    void denseNamesTheValuesPerSample() {
        try (Tensor x = cpu.allocate(Shape.of(2, 3, 2, 2)); Tensor w = cpu.allocate(Shape.of(5, 10));
                Tensor y = cpu.allocate(Shape.of(2, 5))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cpu.dense().forward(x, w, null, y));
            assertEquals("denseForward: x has shape (2, 3, 2, 2) with 12 values per sample, expected 10 to match"
                    + " the weights (5, 10)", e.getMessage());
        }
    }
}
