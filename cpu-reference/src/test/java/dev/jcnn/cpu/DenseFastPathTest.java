package dev.jcnn.cpu;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dense layer's three products (forward with and without bias, input gradient, weight
 * gradient) and its bias gradient against the naive {@link Oracle}, on both kernel
 * implementations, for sizes below, at and above a tile in every direction, and on 1 and 3
 * threads, which must agree bit for bit.
 */
class DenseFastPathTest {

    /** Batch, inputs per sample, outputs. */
    record Case(int n, int in, int out) {
        @Override
        public String toString() {
            return "n=" + n + " in=" + in + " out=" + out;
        }
    }

    static Stream<Arguments> arguments() {
        List<Case> cases = List.of(new Case(1, 1, 1), new Case(3, 7, 5), new Case(64, 400, 120), new Case(64, 120, 84),
                new Case(64, 84, 10), new Case(17, 33, 65), new Case(8, 16, 32), new Case(9, 1, 20), new Case(2, 50, 3),
                new Case(5, 64, 16), new Case(33, 3, 47));
        List<Arguments> args = new ArrayList<>();
        for (Named<Kernels> kr : KernelsUnderTest.all()) {
            for (Case c : cases) {
                args.add(Arguments.of(kr, c));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("arguments")
    void everyProductMatchesTheOracle(Kernels kr, Case c) {
        float[] x = Random32.uniform(c.n() * c.in(), 31);
        float[] w = Random32.uniform(c.out() * c.in(), 32);
        float[] b = Random32.uniform(c.out(), 33);
        float[] dy = Random32.uniform(c.n() * c.out(), 34);
        List<float[]> oneThread = null;
        for (int threads : new int[] {1, 3}) {
            String where = c + " on " + kr.describe() + ", " + threads + " thread(s): ";
            List<float[]> got = new ArrayList<>();
            try (CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(threads), kr);
                    Tensor tx = cpu.upload(Shape.of(c.n(), c.in()), x); Tensor tw = cpu.upload(Shape.of(c.out(), c.in()), w);
                    Tensor tb = cpu.upload(Shape.of(c.out()), b); Tensor tdy = cpu.upload(Shape.of(c.n(), c.out()), dy);
                    Tensor y = cpu.allocate(Shape.of(c.n(), c.out())); Tensor y0 = cpu.allocate(Shape.of(c.n(), c.out()));
                    Tensor dx = cpu.allocate(Shape.of(c.n(), c.in())); Tensor dw = cpu.allocate(Shape.of(c.out(), c.in()));
                    Tensor db = cpu.allocate(Shape.of(c.out()))) {
                cpu.elementwise().fill(dx, Float.NaN);
                cpu.elementwise().fill(dw, Float.NaN);
                cpu.dense().forward(tx, tw, tb, y);
                cpu.dense().forward(tx, tw, null, y0);
                cpu.dense().backwardData(tdy, tw, dx);
                cpu.dense().backwardWeights(tx, tdy, dw);
                cpu.convolution().biasBackward(tdy, db);
                got.addAll(List.of(y.toArray(), y0.toArray(), dx.toArray(), dw.toArray(), db.toArray()));
            }
            Close.assertClose(where + "forward with bias", Oracle.denseForward(x, w, b, c.n(), c.in(), c.out()), got.get(0));
            Close.assertClose(where + "forward without bias", Oracle.denseForward(x, w, null, c.n(), c.in(), c.out()),
                    got.get(1));
            Close.assertClose(where + "input gradient", Oracle.denseBackwardData(dy, w, c.n(), c.in(), c.out()), got.get(2));
            Close.assertClose(where + "weight gradient", Oracle.denseBackwardWeights(x, dy, c.n(), c.in(), c.out()),
                    got.get(3));
            Close.assertClose(where + "bias gradient", Oracle.biasBackward(dy, c.n(), c.out(), 1), got.get(4));
            if (oneThread == null) {
                oneThread = got;
            } else {
                for (int i = 0; i < got.size(); i++) {
                    Close.assertSameBits(where + "result " + i + " against 1 thread", oneThread.get(i), got.get(i));
                }
            }
        }
    }
}
