package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Numerics;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tolerance;
import dev.jcnn.testing.oracle.ConvOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Winograd's F(2×2, 3×3) against the plain-loop oracle over random 3 × 3 stride-1
 * convolutions (padding 0 to 2 on each side, asymmetric; odd and even sizes down to one tile,
 * rows narrower than a vector and wider than two, images split into bands; 8 to 40 channels, below the backend's
 * threshold too; more samples than a
 * group), forward with and without bias and the input gradient, on both kernel
 * implementations. Each value must lie within {@link #WINOGRAD} of the exact sum, scaled by
 * Σ|term| (the oracle on absolute values); 1 and 3 threads must agree bit for bit.
 */
class WinogradConvolutionTest {

    /**
     * The transforms add up to four inputs (and nine filter taps, halved twice) before they
     * multiply, and the output transform adds nine of the products' sums, so each rounding is
     * relative to values of a few times Σ|term|. Measured over these shapes on both kernels: at
     * most 4.4e-7·Σ|term| (the direct sum's bound, {@link FastPathTest#FLOAT_SUMS}, allows
     * 2e-5); allowed here: 2e-6·Σ|term| + 1e-6. A wrong transform errs by whole values.
     */
    static final Tolerance WINOGRAD = Tolerance.of(2e-6, 1e-6);

    private static final int CONFIGURATIONS = 40;

    /** A random convolution: input shape, filters and padding. */
    record Config(Shape x, int filters, Padding2D padding) {

        ConvSpec spec() {
            return new ConvSpec(3, 3, 1, 1, padding);
        }

        @Override
        public String toString() {
            return "x " + x + " k" + filters + " p" + padding;
        }
    }

    static List<Config> configurations() {
        Random r = new Random(20261202);
        List<Config> list = new ArrayList<>();
        // ResNet's and the CIFAR CNN's shapes, smaller batches
        list.add(new Config(Shape.of(3, 16, 32, 32), 16, new Padding2D(1, 1, 1, 1)));
        list.add(new Config(Shape.of(5, 32, 16, 16), 32, new Padding2D(1, 1, 1, 1)));
        list.add(new Config(Shape.of(9, 64, 8, 8), 64, new Padding2D(1, 1, 1, 1)));
        list.add(new Config(Shape.of(2, 8, 15, 13), 9, new Padding2D(0, 0, 0, 0)));
        // images large enough to be split into bands of tile rows
        list.add(new Config(Shape.of(2, 32, 64, 61), 33, new Padding2D(2, 0, 1, 1)));
        list.add(new Config(Shape.of(1, 40, 57, 40), 32, new Padding2D(1, 2, 0, 2)));
        while (list.size() < CONFIGURATIONS) {
            Padding2D p = new Padding2D(r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3));
            int h = 1 + r.nextInt(19);
            int w = 1 + r.nextInt(40);
            if (h + p.top() + p.bottom() < 3 || w + p.left() + p.right() < 3) {
                continue;
            }
            list.add(new Config(Shape.of(1 + r.nextInt(5), 8 + r.nextInt(33), h, w), 8 + r.nextInt(33), p));
        }
        return list;
    }

    static Stream<Arguments> arguments() {
        List<Arguments> args = new ArrayList<>();
        List<Config> configs = configurations();
        for (Named<Kernels> kr : KernelsUnderTest.all()) {
            for (int i = 0; i < configs.size(); i++) {
                args.add(Arguments.of(kr, i, configs.get(i)));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}: #{1} {2}")
    @MethodSource("arguments")
    void everyPassMatchesTheOracle(Kernels kr, int index, Config cfg) {
        Random r = new Random(index);
        Shape xs = cfg.x();
        ConvSpec s = cfg.spec();
        int k = cfg.filters();
        Shape ys = ConvOracle.outputShape(xs, k, s);
        Convolution.Dims d = Convolution.Dims.of(xs, k, s);
        assertTrue(WinogradConvolution.supports(d), cfg + " is a shape the Winograd path computes");
        float[] x = Random32.gaussian(r, xs.size());
        float[] w = Random32.gaussian(r, k * xs.dim(1) * 9);
        float[] b = Random32.gaussian(r, k);
        float[] dy = Random32.gaussian(r, ys.size());

        double[] yExact = ConvOracle.forward(x, xs, w, k, b, s);
        double[] yNoBiasExact = ConvOracle.forward(x, xs, w, k, null, s);
        double[] yScale = ConvOracle.forward(Random32.abs(x), xs, Random32.abs(w), k, Random32.abs(b), s);
        double[] dxExact = ConvOracle.backwardData(dy, w, xs, k, s);
        double[] dxScale = ConvOracle.backwardData(Random32.abs(dy), Random32.abs(w), xs, k, s);

        float[][] first = null;
        for (int threads : new int[] {1, 3}) {
            String where = cfg + " on " + kr.describe() + ", " + threads + " thread(s)";
            // filled with garbage: every pass must overwrite its whole output
            float[] y = Random32.gaussian(r, ys.size());
            float[] yNoBias = Random32.gaussian(r, ys.size());
            float[] dx = Random32.gaussian(r, xs.size());
            try (Parallel par = new Parallel(threads)) {
                WinogradConvolution.forward(x, w, b, y, d, par, kr);
                WinogradConvolution.forward(x, w, null, yNoBias, d, par, kr);
                WinogradConvolution.backwardData(dy, w, dx, d, par, kr);
            }
            AllClose.compareScaled(where + ": y", ys, y, yExact, yScale, WINOGRAD).assertPassed();
            AllClose.compareScaled(where + ": y without bias", ys, yNoBias, yNoBiasExact, yScale, WINOGRAD)
                    .assertPassed();
            AllClose.compareScaled(where + ": dx", xs, dx, dxExact, dxScale, WINOGRAD).assertPassed();
            float[][] got = {y, yNoBias, dx};
            if (first == null) {
                first = got;
            } else {
                Shape[] shapes = {ys, ys, xs};
                for (int i = 0; i < got.length; i++) {
                    AllClose.compareBits(where + ": output " + i + " against 1 thread", shapes[i], got[i], first[i])
                            .assertPassed();
                }
            }
        }
    }

    /** Only 3 × 3 stride-1 convolutions with small padding take this path, and only with enough channels. */
    @Test
    void appliesOnlyWhereItPays() {
        ConvSpec same = ConvSpec.of(3, 1, 1);
        int many = WinogradConvolution.MIN_CHANNELS;
        assertTrue(WinogradConvolution.applies(Convolution.Dims.of(Shape.of(1, many, 8, 8), many, same)));
        assertTrue(WinogradConvolution.supports(Convolution.Dims.of(Shape.of(1, 3, 8, 8), 16, same)));
        assertFalse(WinogradConvolution.applies(Convolution.Dims.of(Shape.of(1, 3, 8, 8), many, same)),
                "3 input channels");
        assertFalse(WinogradConvolution.applies(Convolution.Dims.of(Shape.of(1, many, 8, 8), 4, same)), "4 filters");
        assertFalse(WinogradConvolution.supports(Convolution.Dims.of(Shape.of(1, many, 8, 8), many,
                ConvSpec.of(3, 2, 1))), "stride 2");
        assertFalse(WinogradConvolution.supports(Convolution.Dims.of(Shape.of(1, many, 8, 8), many,
                ConvSpec.of(5, 1, 2))), "5 x 5");
        assertFalse(WinogradConvolution.supports(Convolution.Dims.of(Shape.of(1, many, 8, 8), many,
                new ConvSpec(3, 3, 1, 1, new Padding2D(3, 0, 0, 0)))), "padding 3");
    }

    /** FAST numerics take the path (close to, not equal to, the direct sum); EXACT keeps the direct sum. */
    @Test
    void onlyFastNumericsTakeThePath() {
        Random r = new Random(7);
        int c = WinogradConvolution.MIN_CHANNELS;
        Shape xs = Shape.of(4, c, 12, 12);
        Shape ws = Shape.of(c, c, 3, 3);
        ConvSpec s = ConvSpec.of(3, 1, 1);
        float[] x = Random32.gaussian(r, xs.size());
        float[] w = Random32.gaussian(r, ws.size());
        float[] dy = Random32.gaussian(r, xs.size());
        Convolution.Dims d = Convolution.Dims.of(xs, c, s);
        Kernels kr = Vectorization.kernels();
        float[][] direct = {new float[xs.size()], new float[xs.size()]};
        float[][] winograd = {new float[xs.size()], new float[xs.size()]};
        try (Parallel par = new Parallel(1)) {
            ShiftedConvolution.forward(x, w, null, direct[0], d, par, kr);
            ShiftedConvolution.backwardData(dy, w, direct[1], d, par, kr);
            WinogradConvolution.forward(x, w, null, winograd[0], d, par, kr);
            WinogradConvolution.backwardData(dy, w, winograd[1], d, par, kr);
        }
        for (Numerics numerics : Numerics.values()) {
            float[][] got = new float[2][];
            try (CpuBackend cpu = new CpuBackend(BackendOptions.exact().withNumerics(numerics).withThreads(1));
                    Tensor xt = cpu.upload(xs, x);
                    Tensor wt = cpu.upload(ws, w);
                    Tensor dyt = cpu.upload(xs, dy);
                    Tensor y = cpu.allocate(xs);
                    Tensor dx = cpu.allocate(xs)) {
                cpu.convolution().forward(xt, wt, null, s, y);
                cpu.convolution().backwardData(dyt, wt, s, dx);
                got[0] = y.toArray();
                got[1] = dx.toArray();
            }
            float[][] expected = numerics == Numerics.FAST ? winograd : direct;
            AllClose.compareBits(numerics + " numerics: forward", xs, got[0], expected[0]).assertPassed();
            AllClose.compareBits(numerics + " numerics: input gradient", xs, got[1], expected[1]).assertPassed();
        }
        for (int pass = 0; pass < 2; pass++) {
            int differ = 0;
            for (int i = 0; i < direct[pass].length; i++) {
                differ += Float.floatToIntBits(direct[pass][i]) != Float.floatToIntBits(winograd[pass][i]) ? 1 : 0;
            }
            assertTrue(differ > 0, "pass " + pass + ": Winograd rounds differently from the direct sum somewhere");
        }
    }
}
