package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PoolingTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(2));

    private static final float[] SLIDE = {
        1, 1, 2, 4,
        5, 6, 7, 8,
        3, 2, 1, 0,
        1, 2, 3, 4};

    @AfterEach
    void close() {
        cpu.close();
    }

    private float[] pool(float[] x, Shape shape, PoolSpec spec) {
        try (Tensor tx = cpu.upload(shape, x); Tensor ty = cpu.allocate(spec.outputShape(shape))) {
            cpu.pooling().forward(tx, spec, ty);
            return ty.toArray();
        }
    }

    private float[] poolBackward(float[] x, Shape shape, PoolSpec spec, float[] dy) {
        Shape out = spec.outputShape(shape);
        try (Tensor tx = cpu.upload(shape, x); Tensor ty = cpu.allocate(out); Tensor tdy = cpu.upload(out, dy);
                Tensor tdx = cpu.allocate(shape)) {
            cpu.pooling().forward(tx, spec, ty);
            cpu.pooling().backward(tx, ty, tdy, spec, tdx);
            return tdx.toArray();
        }
    }

    @Test
    void slidesMaxPoolExample() {
        assertArrayEquals(new float[] {6, 8, 3, 4}, pool(SLIDE, Shape.of(1, 1, 4, 4), PoolSpec.of(PoolMode.MAX, 2, 2)));
    }

    @Test
    void maxGradientGoesToTheFirstMaximumOfEachWindow() {
        // Bottom-left window holds 3 once; bottom-right holds 4 once; a tie of 2s tests "first".
        float[] x = {
            2, 2, 0, 1,
            2, 1, 1, 1,
            3, 2, 1, 0,
            1, 2, 3, 4};
        float[] dx = poolBackward(x, Shape.of(1, 1, 4, 4), PoolSpec.of(PoolMode.MAX, 2, 2), new float[] {10, 20, 30, 40});
        assertArrayEquals(new float[] {
            10, 0, 0, 20,
            0, 0, 0, 0,
            30, 0, 0, 0,
            0, 0, 0, 40}, dx);
    }

    @Test
    void overlappingMaxWindowsAddTheirGradients() {
        // 3x3 windows, stride 1, over a 4x4 input whose maximum (9) lies in all four windows.
        float[] x = {
            0, 0, 0, 0,
            0, 9, 0, 0,
            0, 0, 0, 0,
            0, 0, 0, 0};
        PoolSpec spec = PoolSpec.of(PoolMode.MAX, 3, 1);
        assertArrayEquals(new float[] {9, 9, 9, 9}, pool(x, Shape.of(1, 1, 4, 4), spec));
        float[] dx = poolBackward(x, Shape.of(1, 1, 4, 4), spec, new float[] {1, 2, 3, 4});
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, dx);
    }

    @Test
    void paddedCellsNeverWinAMax() {
        float[] x = {-1, -2, -3, -4};
        PoolSpec spec = new PoolSpec(PoolMode.MAX, 2, 2, 1, 1, Padding2D.of(1));
        // Output 3x3; every window mixes padding with negative values, which must still win.
        assertArrayEquals(new float[] {-1, -1, -2, -1, -1, -2, -3, -3, -4}, pool(x, Shape.of(1, 1, 2, 2), spec));
    }

    @Test
    void averageWithAndWithoutPaddingAndSum() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        Shape shape = Shape.of(1, 1, 3, 3);
        Padding2D pad = Padding2D.of(1);
        // 2x2 windows, stride 2, padding 1: windows {1}, {2,3}, {4,7}, {5,6,8,9}.
        assertArrayEquals(new float[] {1f / 4, 5f / 4, 11f / 4, 28f / 4},
                pool(x, shape, new PoolSpec(PoolMode.AVERAGE_INCLUDE_PAD, 2, 2, 2, 2, pad)));
        assertArrayEquals(new float[] {1, 2.5f, 5.5f, 7},
                pool(x, shape, new PoolSpec(PoolMode.AVERAGE_EXCLUDE_PAD, 2, 2, 2, 2, pad)));
        assertArrayEquals(new float[] {1, 5, 11, 28}, pool(x, shape, new PoolSpec(PoolMode.SUM, 2, 2, 2, 2, pad)));
        float[] dx = poolBackward(x, shape, new PoolSpec(PoolMode.AVERAGE_EXCLUDE_PAD, 2, 2, 2, 2, pad),
                new float[] {4, 8, 12, 16});
        assertArrayEquals(new float[] {4, 4, 4, 6, 4, 4, 6, 4, 4}, dx);
    }

    @Test
    void asymmetricPaddingShiftsTheWindows() {
        // One column of padding on the right only: windows {1,2}, {3,pad}.
        float[] x = {1, 2, 3};
        PoolSpec spec = new PoolSpec(PoolMode.AVERAGE_INCLUDE_PAD, 1, 2, 1, 2, new Padding2D(0, 0, 0, 1));
        assertArrayEquals(new float[] {1.5f, 1.5f}, pool(x, Shape.of(1, 1, 1, 3), spec));
    }
}
