package dev.jcnn.cuda.parity;

import static dev.jcnn.cuda.parity.ParityCase.FORWARD;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.Tensor;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.Tolerance;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parity table's rows for the ops of functional models and segmentation: multiply, a
 * bias per channel, concatenation along the channels and its split, nearest and bilinear
 * upsampling, batch normalization. Part of {@link ParityTable#all()}, kept in its own file.
 */
final class FunctionalRows {

    /** cuDNN's batch normalization reduces per channel in float, the CPU reference in double. */
    static final Tolerance NORM_FORWARD = Tolerance.of(1e-4, 5e-5);
    static final Tolerance NORM_BACKWARD = Tolerance.of(1e-3, 1e-4);
    static final String NORM_REASON = "per-channel sums over N·H·W values (mean, variance; Σdy, Σdy·x̂) accumulated in"
            + " float by cuDNN, in double by the CPU, in a different order";

    private FunctionalRows() {
    }

    static void addTo(List<ParityCase> t) {
        multiply(t);
        addBias(t);
        concat(t);
        upsampling(t);
        batchNorm(t);
    }

    private static void multiply(List<ParityCase> t) {
        for (Shape s : List.of(Shape.of(3, 4, 5, 6), Shape.of(33, 84), Shape.of(1, 1))) {
            t.add(new ParityCase("multiply", "out distinct, out = a, out = b on " + s, FORWARD, FORWARD, "", r -> {
                Backend b = r.backend();
                Tensor a = r.gaussian(s, 1.0);
                Tensor c = r.uniform(s, 0.0, 2.0);
                Tensor out = r.output(s);
                b.elementwise().multiply(a, c, out);
                r.forward("a * b", out);
                b.elementwise().multiply(a, c, a);
                r.forward("a *= b", a);
                b.elementwise().multiply(a, c, c);
                r.forward("b *= a", c);
            }));
        }
    }

    private static void addBias(List<ParityCase> t) {
        for (Shape s : List.of(Shape.of(2, 3, 4, 5), Shape.of(33, 84), Shape.of(2, 64, 7, 7), Shape.of(1, 1, 1, 1))) {
            t.add(new ParityCase("add_bias", s.toString(), FORWARD, FORWARD, "", r -> {
                Backend b = r.backend();
                Tensor x = r.gaussian(s, 1.0);
                Tensor bias = r.gaussian(Shape.of(s.dim(1)), 1.0);
                Tensor y = r.output(s);
                b.channels().addBias(x, bias, y);
                r.forward("y", y);
                b.channels().addBias(x, bias, x);
                r.forward("y = x", x);
            }));
        }
    }

    private static void concat(List<ParityCase> t) {
        List<List<Shape>> stacks = List.of(
                List.of(Shape.of(2, 3, 4, 5), Shape.of(2, 1, 4, 5), Shape.of(2, 2, 4, 5)),
                List.of(Shape.of(33, 10), Shape.of(33, 6)),
                List.of(Shape.of(1, 16, 8, 8), Shape.of(1, 16, 8, 8), Shape.of(1, 32, 8, 8)),
                List.of(Shape.of(5, 1, 7, 9), Shape.of(5, 1, 7, 9)),
                List.of(Shape.of(3, 2, 3, 3)));
        for (List<Shape> parts : stacks) {
            int channels = parts.stream().mapToInt(p -> p.dim(1)).sum();
            int[] dims = parts.get(0).dims();
            dims[1] = channels;
            Shape ys = Shape.of(dims);
            t.add(new ParityCase("concat_channels", parts.toString(), FORWARD, FORWARD, "", r -> {
                Backend b = r.backend();
                List<Tensor> xs = new ArrayList<>();
                for (Shape p : parts) {
                    xs.add(r.gaussian(p, 1.0));
                }
                Tensor y = r.output(ys);
                b.channels().concat(xs, y);
                r.forward("y", y);
                Tensor dy = r.gaussian(ys, 1.0);
                List<Tensor> dxs = new ArrayList<>();
                for (Shape p : parts) {
                    dxs.add(r.output(p));
                }
                b.channels().split(dy, dxs);
                for (int i = 0; i < dxs.size(); i++) {
                    r.backward("dxs[" + i + "]", dxs.get(i));
                }
            }));
        }
    }

    private static void upsampling(List<ParityCase> t) {
        int[][] geometries = {
            // n, c, h, w, factorH, factorW
            {2, 3, 4, 5, 2, 2}, {1, 2, 3, 3, 3, 2}, {1, 1, 1, 3, 2, 4}, {2, 1, 5, 4, 1, 3}, {1, 2, 1, 1, 3, 3},
            {33, 4, 7, 9, 2, 2}, {2, 8, 16, 16, 2, 2}, {1, 3, 6, 5, 4, 4}, {2, 2, 9, 2, 1, 1}};
        for (Interpolation mode : Interpolation.values()) {
            for (int[] g : geometries) {
                Shape xs = Shape.of(g[0], g[1], g[2], g[3]);
                UpsampleSpec spec = new UpsampleSpec(mode, g[4], g[5]);
                String config = "n" + g[0] + " c" + g[1] + " " + g[2] + "x" + g[3] + " by " + g[4] + "x" + g[5];
                t.add(new ParityCase("upsample_" + mode.name().toLowerCase(Locale.ROOT), config, FORWARD, FORWARD, "",
                        r -> {
                            Backend b = r.backend();
                            Tensor x = r.gaussian(xs, 1.0);
                            Shape ys = spec.outputShape(xs);
                            Tensor y = r.output(ys);
                            b.resampling().forward(x, spec, y);
                            r.forward("y", y);
                            Tensor dy = r.gaussian(ys, 1.0);
                            Tensor dx = r.output(xs);
                            b.resampling().backward(dy, spec, dx);
                            r.backward("dx", dx);
                        }));
            }
        }
    }

    private static void batchNorm(List<ParityCase> t) {
        List<Shape> shapes = List.of(Shape.of(4, 3, 5, 5), Shape.of(6, 4), Shape.of(2, 2, 1, 1), Shape.of(1, 3, 2, 2),
                Shape.of(33, 16, 8, 8), Shape.of(8, 64, 3, 3), Shape.of(33, 84), Shape.of(3, 5, 7, 11));
        List<BatchNormSpec> specs = List.of(new BatchNormSpec(1e-3f, 0.01f), new BatchNormSpec(1e-5f, 0.1f));
        for (Shape xs : shapes) {
            for (BatchNormSpec spec : specs) {
                String config = xs + " epsilon " + spec.epsilon() + " factor " + spec.averageFactor();
                t.add(new ParityCase("batch_norm", config, NORM_FORWARD, NORM_BACKWARD, NORM_REASON,
                        r -> batchNormRow(r, xs, spec)));
            }
        }
    }

    /** Training forward (outputs, saved and running statistics), backward, and inference, also in place. */
    private static void batchNormRow(ParityCase.Run r, Shape xs, BatchNormSpec spec) {
        Backend b = r.backend();
        Shape cs = Shape.of(xs.dim(1));
        Tensor x = r.perChannelGaussian(xs);
        Tensor gamma = r.uniform(cs, 0.5, 1.5);
        Tensor beta = r.gaussian(cs, 0.5);
        Tensor runningMean = r.gaussian(cs, 0.5);
        Tensor runningVar = r.uniform(cs, 0.5, 2.0);
        Tensor y = r.output(xs);
        Tensor mean = r.output(cs);
        Tensor invStd = r.output(cs);
        b.normalization().forwardTraining(x, gamma, beta, spec, runningMean, runningVar, y, mean, invStd);
        r.forward("y", y);
        r.forward("savedMean", mean);
        r.forward("savedInvStd", invStd);
        r.backward("runningMean", runningMean);
        r.backward("runningVar", runningVar);
        Tensor dy = r.gaussian(xs, 1.0);
        Tensor dx = r.output(xs);
        Tensor dgamma = r.output(cs);
        Tensor dbeta = r.output(cs);
        b.normalization().backward(x, dy, gamma, mean, invStd, dx, dgamma, dbeta);
        r.backward("dx", dx);
        r.backward("dgamma", dgamma);
        r.backward("dbeta", dbeta);
        Tensor inferred = r.output(xs);
        b.normalization().forwardInference(x, gamma, beta, runningMean, runningVar, spec, inferred);
        r.forward("inference y", inferred);
        Tensor inPlace = r.zeros(xs);
        b.elementwise().copy(x, inPlace);
        b.normalization().forwardInference(inPlace, gamma, beta, runningMean, runningVar, spec, inPlace);
        r.forward("inference y = x", inPlace);
    }
}
