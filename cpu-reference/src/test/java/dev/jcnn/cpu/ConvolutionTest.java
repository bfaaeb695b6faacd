package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConvolutionTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(2));

    @AfterEach
    void close() {
        cpu.close();
    }

    @Test
    void handComputedConvolution() {
        // 3x3 input, one 2x2 filter, bias 1: each output is the window's weighted sum plus 1.
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] w = {1, 0, 0, -1};
        try (Tensor tx = cpu.upload(Shape.of(1, 1, 3, 3), x); Tensor tw = cpu.upload(Shape.of(1, 1, 2, 2), w);
                Tensor tb = cpu.upload(Shape.of(1), new float[] {1}); Tensor ty = cpu.allocate(Shape.of(1, 1, 2, 2))) {
            cpu.convolution().forward(tx, tw, tb, ConvSpec.of(2, 1, 0), ty);
            assertArrayEquals(new float[] {1 - 5 + 1, 2 - 6 + 1, 4 - 8 + 1, 5 - 9 + 1}, ty.toArray());
        }
    }

    @Test
    void handComputedPaddedStridedConvolution() {
        // 3x3 all-ones input, 3x3 all-ones filter, padding 1, stride 2: corner windows see 4 cells.
        float[] ones9 = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        try (Tensor tx = cpu.upload(Shape.of(1, 1, 3, 3), ones9); Tensor tw = cpu.upload(Shape.of(1, 1, 3, 3), ones9);
                Tensor ty = cpu.allocate(Shape.of(1, 1, 2, 2))) {
            cpu.convolution().forward(tx, tw, null, ConvSpec.of(3, 2, 1), ty);
            assertArrayEquals(new float[] {4, 4, 4, 4}, ty.toArray());
        }
    }

    /**
     * Configurations: input (n, c, h, w), filters, kernel, strides, padding (top, bottom, left,
     * right). Their values are compared with the oracle as cases of core's op table (FastPathTest).
     */
    static Stream<Object[]> configurations() {
        return Stream.of(
                new Object[] {Shape.of(2, 3, 7, 7), 4, new ConvSpec(3, 3, 1, 1, Padding2D.of(1))},
                new Object[] {Shape.of(3, 2, 8, 9), 3, new ConvSpec(2, 3, 2, 1, new Padding2D(0, 1, 2, 0))},
                new Object[] {Shape.of(1, 1, 7, 7), 2, new ConvSpec(3, 3, 3, 3, Padding2D.of(1))},
                new Object[] {Shape.of(2, 2, 6, 5), 3, new ConvSpec(4, 2, 2, 3, new Padding2D(1, 2, 0, 1))},
                new Object[] {Shape.of(4, 1, 5, 5), 1, new ConvSpec(5, 5, 1, 1, Padding2D.NONE)});
    }

    /**
     * The backward passes are the adjoints of the forward pass: for any dy,
     * ⟨conv(x, w), dy⟩ = ⟨x, backwardData(dy, w)⟩ = ⟨w, backwardFilter(x, dy)⟩.
     */
    @ParameterizedTest
    @MethodSource("configurations")
    void backwardPassesAreTheAdjointsOfTheForwardPass(Shape xs, int filters, ConvSpec spec) {
        Shape ws = spec.weightShape(xs.dim(1), filters);
        Shape ys = spec.outputShape(xs, filters);
        float[] x = Random32.uniform(xs.size(), 4);
        float[] w = Random32.uniform(ws.size(), 5);
        float[] dy = Random32.uniform(ys.size(), 6);
        try (Tensor tx = cpu.upload(xs, x); Tensor tw = cpu.upload(ws, w); Tensor tdy = cpu.upload(ys, dy);
                Tensor ty = cpu.allocate(ys); Tensor tdx = cpu.allocate(xs); Tensor tdw = cpu.allocate(ws)) {
            cpu.convolution().forward(tx, tw, null, spec, ty);
            cpu.convolution().backwardData(tdy, tw, spec, tdx);
            cpu.convolution().backwardFilter(tx, tdy, spec, tdw);
            double forward = Random32.dot(ty.toArray(), dy);
            assertEquals(forward, Random32.dot(x, tdx.toArray()), 1e-4);
            assertEquals(forward, Random32.dot(w, tdw.toArray()), 1e-4);
        }
    }

    @Test
    void biasGradientSumsEveryAxisButTheChannels() {
        float[] dy = new float[2 * 3 * 2 * 2];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = i;
        }
        try (Tensor tdy = cpu.upload(Shape.of(2, 3, 2, 2), dy); Tensor db = cpu.allocate(Shape.of(3))) {
            cpu.convolution().biasBackward(tdy, db);
            // channel c: (4c + 4c+1 + 4c+2 + 4c+3) + the same 12 further on
            assertArrayEquals(new float[] {0 + 1 + 2 + 3 + 12 + 13 + 14 + 15, 4 + 5 + 6 + 7 + 16 + 17 + 18 + 19,
                8 + 9 + 10 + 11 + 20 + 21 + 22 + 23}, db.toArray());
        }
    }

    @Test
    void wrongChannelCountIsNamed() {
        try (Tensor tx = cpu.allocate(Shape.of(1, 3, 8, 8)); Tensor tw = cpu.allocate(Shape.of(6, 1, 5, 5));
                Tensor ty = cpu.allocate(Shape.of(1, 6, 4, 4))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cpu.convolution().forward(tx, tw, null, ConvSpec.of(5, 1, 0), ty));
            assertTrue(e.getMessage().contains("convForward") && e.getMessage().contains("3 channels")
                    && e.getMessage().contains("expect 1"), e.getMessage());
        }
    }

    @Test
    void inputSmallerThanTheKernelIsRejected() {
        try (Tensor tx = cpu.allocate(Shape.of(1, 1, 3, 3)); Tensor tw = cpu.allocate(Shape.of(1, 1, 5, 5));
                Tensor ty = cpu.allocate(Shape.of(1, 1, 1, 1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cpu.convolution().forward(tx, tw, null, ConvSpec.of(5, 1, 0), ty));
            assertTrue(e.getMessage().contains("convForward") && e.getMessage().contains("smaller than the window 5"),
                    e.getMessage());
        }
    }
}
