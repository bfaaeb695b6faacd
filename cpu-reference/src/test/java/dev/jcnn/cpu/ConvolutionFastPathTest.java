package dev.jcnn.cpu;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
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
 * Every convolution pass of the CPU backend (forward with and without bias, input gradient,
 * weight gradient, bias gradient) against the naive {@link Oracle}, on both kernel
 * implementations, over one table of shapes that reaches both code paths (the stride-1
 * implicit product and im2col) and their edges: odd sizes, rectangular kernels, strides,
 * asymmetric padding, padding as large as the kernel, more samples than a group holds. Each
 * case also runs on 1 and 3 threads, which must agree bit for bit.
 */
class ConvolutionFastPathTest {

    /** One convolution: input shape (N, C, H, W), number of filters, kernel, strides and padding. */
    record Case(String name, Shape x, int filters, ConvSpec spec) {
    }

    static List<Case> cases() {
        return List.of(
                new Case("LeNet conv1: 5x5 SAME on 28x28", Shape.of(5, 1, 28, 28), 6,
                        new ConvSpec(5, 5, 1, 1, Padding2D.of(2))),
                new Case("LeNet conv2: 5x5 valid on 6x14x14, 37 samples", Shape.of(37, 6, 14, 14), 16,
                        new ConvSpec(5, 5, 1, 1, Padding2D.NONE)),
                new Case("3x3 pad 1", Shape.of(2, 3, 7, 7), 4, ConvSpec.of(3, 1, 1)),
                new Case("2x3 strides 2,1 asymmetric pad", Shape.of(3, 2, 8, 9), 3,
                        new ConvSpec(2, 3, 2, 1, new Padding2D(0, 1, 2, 0))),
                new Case("3x3 stride 3 pad 1", Shape.of(1, 1, 7, 7), 2, ConvSpec.of(3, 3, 1)),
                new Case("4x2 strides 2,3 asymmetric pad", Shape.of(2, 2, 6, 5), 3,
                        new ConvSpec(4, 2, 2, 3, new Padding2D(1, 2, 0, 1))),
                new Case("1x1", Shape.of(3, 5, 4, 6), 7, ConvSpec.of(1, 1, 0)),
                new Case("kernel as large as the input", Shape.of(4, 1, 5, 5), 1, ConvSpec.of(5, 1, 0)),
                new Case("padding larger than the kernel", Shape.of(2, 2, 5, 5), 3,
                        new ConvSpec(2, 2, 1, 1, new Padding2D(3, 1, 2, 3))),
                new Case("even 4x4 kernel, SAME-style padding", Shape.of(3, 3, 9, 8), 5,
                        new ConvSpec(4, 4, 1, 1, new Padding2D(1, 2, 1, 2))),
                new Case("1x7 row kernel", Shape.of(2, 2, 3, 11), 2, new ConvSpec(1, 7, 1, 1, new Padding2D(0, 0, 3, 3))),
                new Case("9 channels, 10 filters", Shape.of(2, 9, 6, 6), 10, ConvSpec.of(3, 1, 1)),
                new Case("3x3 stride 2 pad 1, 6 filters", Shape.of(3, 4, 11, 11), 6, ConvSpec.of(3, 2, 1)),
                new Case("one sample, one pixel out", Shape.of(1, 2, 3, 3), 5, ConvSpec.of(3, 1, 0)),
                new Case("stride 2 only across", Shape.of(2, 3, 5, 9), 4, new ConvSpec(3, 3, 1, 2, Padding2D.of(1))),
                new Case("wide rows, 17 samples", Shape.of(17, 2, 3, 40), 9, new ConvSpec(3, 3, 1, 1, Padding2D.of(1))),
                new Case("padding only bottom and right", Shape.of(3, 2, 6, 7), 3,
                        new ConvSpec(3, 3, 1, 1, new Padding2D(0, 2, 0, 2))),
                new Case("padding only top and left", Shape.of(2, 3, 5, 6), 4,
                        new ConvSpec(3, 2, 1, 1, new Padding2D(2, 0, 1, 0))),
                new Case("bottom and right padding past the kernel", Shape.of(2, 1, 4, 4), 2,
                        new ConvSpec(2, 2, 1, 1, new Padding2D(0, 2, 0, 3))));
    }

    static Stream<Arguments> arguments() {
        List<Arguments> args = new ArrayList<>();
        for (Named<Kernels> kr : KernelsUnderTest.all()) {
            for (Case c : cases()) {
                args.add(Arguments.of(kr, Named.of(c.name(), c)));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("arguments")
    void everyPassMatchesTheOracle(Kernels kr, Case c) {
        Shape xs = c.x();
        Shape ws = c.spec().weightShape(xs.dim(1), c.filters());
        Shape ys = c.spec().outputShape(xs, c.filters());
        float[] x = Random32.uniform(xs.size(), 21);
        float[] w = Random32.uniform(ws.size(), 22);
        float[] b = Random32.uniform(c.filters(), 23);
        float[] dy = Random32.uniform(ys.size(), 24);
        List<Oracle.Result> expected = List.of(Oracle.convForward(x, xs, w, b, c.filters(), c.spec()),
                Oracle.convForward(x, xs, w, null, c.filters(), c.spec()),
                Oracle.convBackwardData(dy, xs, w, c.filters(), c.spec()),
                Oracle.convBackwardFilter(x, xs, dy, c.filters(), c.spec()),
                Oracle.biasBackward(dy, ys.dim(0), ys.dim(1), ys.dim(2) * ys.dim(3)));
        List<String> names = List.of("forward with bias", "forward without bias", "input gradient", "weight gradient",
                "bias gradient");
        List<float[]> oneThread = null;
        for (int threads : new int[] {1, 3}) {
            List<float[]> got = run(kr, threads, c, x, w, b, dy);
            String where = c.name() + " on " + kr.describe() + ", " + threads + " thread(s): ";
            for (int i = 0; i < names.size(); i++) {
                Close.assertClose(where + names.get(i), expected.get(i), got.get(i));
            }
            if (oneThread == null) {
                oneThread = got;
            } else {
                for (int i = 0; i < got.size(); i++) {
                    Close.assertSameBits(where + "result " + i + " against 1 thread", oneThread.get(i), got.get(i));
                }
            }
        }
    }

    /** forward with bias, forward without, input gradient, weight gradient, bias gradient. */
    private static List<float[]> run(Kernels kr, int threads, Case c, float[] x, float[] w, float[] b, float[] dy) {
        Shape xs = c.x();
        Shape ws = c.spec().weightShape(xs.dim(1), c.filters());
        Shape ys = c.spec().outputShape(xs, c.filters());
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(threads), kr);
                Tensor tx = cpu.upload(xs, x); Tensor tw = cpu.upload(ws, w);
                Tensor tb = cpu.upload(Shape.of(c.filters()), b); Tensor tdy = cpu.upload(ys, dy);
                Tensor y = cpu.allocate(ys); Tensor y0 = cpu.allocate(ys); Tensor dx = cpu.allocate(xs);
                Tensor dw = cpu.allocate(ws); Tensor db = cpu.allocate(Shape.of(c.filters()))) {
            // Stale values in the outputs must not leak into the results.
            cpu.elementwise().fill(dx, Float.NaN);
            cpu.elementwise().fill(dw, Float.NaN);
            cpu.convolution().forward(tx, tw, tb, c.spec(), y);
            cpu.convolution().forward(tx, tw, null, c.spec(), y0);
            cpu.convolution().backwardData(tdy, tw, c.spec(), dx);
            cpu.convolution().backwardFilter(tx, tdy, c.spec(), dw);
            cpu.convolution().biasBackward(tdy, db);
            return List.of(y.toArray(), y0.toArray(), dx.toArray(), dw.toArray(), db.toArray());
        }
    }
}
