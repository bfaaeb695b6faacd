package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stride-1 weight gradient by matrix products ({@link ShiftedConvolution#backwardFilterByProducts},
 * which the backend takes when the input channels fill whole tiles and there are 16 filters or more; here
 * from 1 filter up) against the plain-loop oracle over random
 * configurations (kernels 1 to 5 and rectangular, asymmetric padding, odd sizes, filters that
 * do not fill a block of rows, more samples than a group), on both kernel implementations:
 * each value within {@link FastPathTest#FLOAT_SUMS} of the exact sum scaled by Σ|term|, and 1
 * and 3 threads bit for bit.
 */
class WeightGradientProductTest {

    private static final int CONFIGURATIONS = 24;

    record Config(Shape x, int filters, ConvSpec spec) {

        @Override
        public String toString() {
            return "x " + x + " k" + filters + " " + spec.kernelH() + "x" + spec.kernelW() + " p" + spec.padding();
        }
    }

    static Stream<Arguments> arguments() {
        List<Arguments> args = new ArrayList<>();
        for (Named<Kernels> kr : KernelsUnderTest.all()) {
            Random r = new Random(20261202);
            int nr = kr.getPayload().nr();
            // ResNet-20's shape at a small batch, then random ones
            args.add(Arguments.of(kr, 0, new Config(Shape.of(5, nr, 16, 16), 2 * nr, ConvSpec.of(3, 1, 1))));
            for (int i = 1; i < CONFIGURATIONS; i++) {
                int kh = 1 + r.nextInt(5);
                int kw = 1 + r.nextInt(5);
                Padding2D p = new Padding2D(r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3));
                int h = kh + r.nextInt(12);
                int w = kw + r.nextInt(30);
                Shape xs = Shape.of(1 + r.nextInt(12), nr * (1 + r.nextInt(2)), h, w);
                args.add(Arguments.of(kr, i, new Config(xs, 1 + r.nextInt(20), new ConvSpec(kh, kw, 1, 1, p))));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}: #{1} {2}")
    @MethodSource("arguments")
    void matchesTheOracle(Kernels kr, int index, Config cfg) {
        Random r = new Random(index);
        Shape xs = cfg.x();
        ConvSpec s = cfg.spec();
        int k = cfg.filters();
        Shape ys = ConvOracle.outputShape(xs, k, s);
        Shape ws = s.weightShape(xs.dim(1), k);
        assertEquals(0, xs.dim(1) % kr.nr(), "the channels fill whole tiles");
        float[] x = Random32.gaussian(r, xs.size());
        float[] dy = Random32.gaussian(r, ys.size());
        double[] exact = ConvOracle.backwardFilter(x, xs, dy, k, s);
        double[] scale = ConvOracle.backwardFilter(Random32.abs(x), xs, Random32.abs(dy), k, s);
        Convolution.Dims d = Convolution.Dims.of(xs, k, s);
        float[] first = null;
        for (int threads : new int[] {1, 3}) {
            String where = cfg + " on " + kr.describe() + ", " + threads + " thread(s)";
            float[] dw = Random32.gaussian(r, ws.size());
            try (Parallel par = new Parallel(threads)) {
                ShiftedConvolution.backwardFilterByProducts(x, dy, dw, d, par, kr);
            }
            AllClose.compareScaled(where, ws, dw, exact, scale, FastPathTest.FLOAT_SUMS).assertPassed();
            if (first == null) {
                first = dw;
            } else {
                AllClose.compareBits(where + " against 1 thread", ws, dw, first).assertPassed();
            }
        }
    }
}
