package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Shape;
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
 * The depthwise fast path against the plain-loop oracle over random configurations (kernels
 * 1 to 5 and rectangular, strides 1 to 3, dilation 1 to 3, asymmetric padding, multipliers 1
 * to 3, odd sizes and rows narrower than a vector), forward with and without bias and both
 * gradients, on both kernel implementations. Each value must lie within
 * {@link FastPathTest#FLOAT_SUMS} of the exact sum, scaled by Σ|term| (the oracle on absolute
 * values); 1 and 3 threads must agree bit for bit.
 */
class DepthwiseConvolutionTest {

    private static final int CONFIGURATIONS = 60;

    /** A random depthwise convolution: input shape, multiplier and spec. */
    record Config(Shape x, int multiplier, ConvSpec spec) {

        int filters() {
            return x.dim(1) * multiplier;
        }

        @Override
        public String toString() {
            return "x " + x + " m" + multiplier + " k" + spec.kernelH() + "x" + spec.kernelW() + " s" + spec.strideH()
                    + "x" + spec.strideW() + " d" + spec.dilationH() + "x" + spec.dilationW() + " p" + spec.padding();
        }
    }

    static List<Config> configurations() {
        Random r = new Random(20261202);
        List<Config> list = new ArrayList<>();
        // MobileNet's shapes first: 3x3, SAME padding, stride 1 and 2, multiplier 1 and 2
        list.add(new Config(Shape.of(2, 3, 9, 21), 1, new ConvSpec(3, 3, 1, 1, new Padding2D(1, 1, 1, 1)).withGroups(3)));
        list.add(new Config(Shape.of(2, 4, 10, 19), 2, new ConvSpec(3, 3, 2, 2, new Padding2D(0, 1, 0, 1)).withGroups(4)));
        list.add(new Config(Shape.of(1, 2, 11, 11), 1, new ConvSpec(3, 3, 1, 1, new Padding2D(2, 2, 2, 2))
                .withDilation(2, 2).withGroups(2)));
        while (list.size() < CONFIGURATIONS) {
            int kh = 1 + r.nextInt(5);
            int kw = 1 + r.nextInt(5);
            int sh = 1 + r.nextInt(3);
            int sw = 1 + r.nextInt(3);
            int dh = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 1;
            int dw = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 1;
            Padding2D p = new Padding2D(r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3));
            int c = 1 + r.nextInt(4);
            int h = 1 + r.nextInt(13);
            int w = 1 + r.nextInt(40);
            int spanH = dh * (kh - 1) + 1;
            int spanW = dw * (kw - 1) + 1;
            if (h + p.top() + p.bottom() < spanH || w + p.left() + p.right() < spanW) {
                continue;
            }
            ConvSpec spec = new ConvSpec(kh, kw, sh, sw, p).withDilation(dh, dw).withGroups(c);
            list.add(new Config(Shape.of(1 + r.nextInt(3), c, h, w), 1 + r.nextInt(3), spec));
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
        assertEquals(ys, s.outputShape(xs, k), "core and the oracle agree on the output shape");
        assertTrue(DepthwiseConvolution.applies(xs, k, s));
        float[] x = Random32.gaussian(r, xs.size());
        float[] w = Random32.gaussian(r, k * s.kernelH() * s.kernelW());
        float[] b = Random32.gaussian(r, k);
        float[] dy = Random32.gaussian(r, ys.size());

        double[] yExact = ConvOracle.forward(x, xs, w, k, b, s);
        double[] yNoBiasExact = ConvOracle.forward(x, xs, w, k, null, s);
        double[] yScale = ConvOracle.forward(Random32.abs(x), xs, Random32.abs(w), k, Random32.abs(b), s);
        double[] dxExact = ConvOracle.backwardData(dy, w, xs, k, s);
        double[] dxScale = ConvOracle.backwardData(Random32.abs(dy), Random32.abs(w), xs, k, s);
        double[] dwExact = ConvOracle.backwardFilter(x, xs, dy, k, s);
        double[] dwScale = ConvOracle.backwardFilter(Random32.abs(x), xs, Random32.abs(dy), k, s);
        Shape ws = s.weightShape(xs.dim(1), k);

        float[][] first = null;
        for (int threads : new int[] {1, 3}) {
            String where = cfg + " on " + kr.describe() + ", " + threads + " thread(s)";
            float[] y = new float[ys.size()];
            float[] yNoBias = new float[ys.size()];
            // filled with garbage: every pass must overwrite its whole output
            float[] dx = Random32.gaussian(r, xs.size());
            float[] dw = Random32.gaussian(r, ws.size());
            try (Parallel par = new Parallel(threads)) {
                DepthwiseConvolution.forward(x, xs, w, k, b, s, y, par, kr);
                DepthwiseConvolution.forward(x, xs, w, k, null, s, yNoBias, par, kr);
                DepthwiseConvolution.backwardData(dy, w, xs, k, s, dx, par, kr);
                DepthwiseConvolution.backwardFilter(x, xs, dy, k, s, dw, par, kr);
            }
            AllClose.compareScaled(where + ": y", ys, y, yExact, yScale, FastPathTest.FLOAT_SUMS).assertPassed();
            AllClose.compareScaled(where + ": y without bias", ys, yNoBias, yNoBiasExact, yScale,
                    FastPathTest.FLOAT_SUMS).assertPassed();
            AllClose.compareScaled(where + ": dx", xs, dx, dxExact, dxScale, FastPathTest.FLOAT_SUMS).assertPassed();
            AllClose.compareScaled(where + ": dw", ws, dw, dwExact, dwScale, FastPathTest.FLOAT_SUMS).assertPassed();
            float[][] got = {y, yNoBias, dx, dw};
            if (first == null) {
                first = got;
            } else {
                Shape[] shapes = {ys, ys, xs, ws};
                for (int i = 0; i < got.length; i++) {
                    AllClose.compareBits(where + ": output " + i + " against 1 thread", shapes[i], got[i], first[i])
                            .assertPassed();
                }
            }
        }
    }

    /** Grouped convolutions with several channels per group, and plain ones, stay on their own paths. */
    @Test
    void onlyDepthwiseConvolutionsTakeThisPath() {
        ConvSpec plain = ConvSpec.of(3, 1, 1);
        assertFalse(DepthwiseConvolution.applies(Shape.of(1, 4, 8, 8), 4, plain));
        assertFalse(DepthwiseConvolution.applies(Shape.of(1, 4, 8, 8), 4, plain.withGroups(2)));
        assertTrue(DepthwiseConvolution.applies(Shape.of(1, 4, 8, 8), 8, plain.withGroups(4)));
        // a single channel with dilation is depthwise too: one group of one channel
        assertTrue(DepthwiseConvolution.applies(Shape.of(1, 1, 8, 8), 3, plain.withDilation(2, 2)));
    }
}
