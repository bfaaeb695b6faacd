package dev.jcnn.cpu;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.oracle.PoolOracle;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast path for non-overlapping max pooling against the naive oracle ({@link PoolOracle}), bit for
 * bit: ties (the first maximum wins, also between −0 and +0), NaN (beats any number),
 * infinities, inputs whose last rows and columns no window covers, and the gradient routed to
 * exactly the winning cell, on 1 and 3 threads.
 */
class DisjointMaxPoolingTest {

    static Stream<PoolSpec> specs() {
        return Stream.of(PoolSpec.of(PoolMode.MAX, 2, 2), PoolSpec.of(PoolMode.MAX, 3, 3),
                new PoolSpec(PoolMode.MAX, 2, 3, 2, 4, Padding2D.NONE), new PoolSpec(PoolMode.MAX, 3, 2, 3, 2, Padding2D.NONE),
                new PoolSpec(PoolMode.MAX, 1, 1, 2, 2, Padding2D.NONE));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void matchesTheOracleBitForBit(PoolSpec spec) {
        for (Shape xs : List.of(Shape.of(2, 3, 6, 6), Shape.of(3, 2, 7, 9), Shape.of(1, 1, 28, 28))) {
            float[] x = awkward(xs.size());
            Shape ys = spec.outputShape(xs);
            float[] dy = Random32.uniform(ys.size(), 71);
            float[] expectedY = floats(PoolOracle.forward(x, xs, spec));
            float[] expectedDx = floats(PoolOracle.backward(x, xs, dy, spec));
            for (int threads : new int[] {1, 3}) {
                String where = spec + " on " + xs + ", " + threads + " thread(s)";
                try (CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(threads));
                        Tensor tx = cpu.upload(xs, x); Tensor ty = cpu.allocate(ys); Tensor tdy = cpu.upload(ys, dy);
                        Tensor tdx = cpu.allocate(xs)) {
                    cpu.elementwise().fill(tdx, Float.NaN);
                    cpu.pooling().forward(tx, spec, ty);
                    cpu.pooling().backward(tx, ty, tdy, spec, tdx);
                    AllClose.compareBits(where + ": forward", ys, ty.toArray(), expectedY).assertPassed();
                    AllClose.compareBits(where + ": gradient", xs, tdx.toArray(), expectedDx).assertPassed();
                }
            }
        }
    }

    @Test
    void negativeZeroBeforePositiveZeroWins() {
        float[] x = {-0f, 0f, 0f, -0f};
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(1));
                Tensor tx = cpu.upload(Shape.of(1, 1, 2, 2), x); Tensor ty = cpu.allocate(Shape.of(1, 1, 1, 1))) {
            cpu.pooling().forward(tx, PoolSpec.of(PoolMode.MAX, 2, 2), ty);
            AllClose.compareBits("max of -0, 0, 0, -0", null, ty.toArray(), new float[] {-0f}).assertPassed();
        }
    }

    /** The oracle's values, exact in float: each is one input value (or its dy) or zero. */
    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Random values with many ties, signed zeros, infinities and a few NaNs. */
    private static float[] awkward(int size) {
        float[] r = Random32.uniform(size, 70);
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.5f, 0.5f};
        for (int i = 0; i < size; i++) {
            if (i % 5 == 0) {
                r[i] = special[(i / 5) % special.length];
            } else if (i % 5 == 1) {
                r[i] = Math.round(r[i] * 2) / 2f;
            }
        }
        return r;
    }
}
