package dev.jcnn.cuda.parity;

import static dev.jcnn.cuda.parity.ParityCase.FORWARD;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Geometry;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.Tolerance;
import java.util.ArrayList;
import java.util.List;

/**
 * THE table of op configurations the CUDA backend is checked on against the CPU reference:
 * every op, forward and backward, over kernels 1, 2, 3, 5, 7 and rectangular ones, strides 1
 * to 3, padding 0, 1, 2 and SAME (asymmetric for even kernels), batches 1 to 33, channels 1
 * to 64 and odd sizes. A tolerance looser than the default carries its reason in the row.
 */
public final class ParityTable {

    /** Sums of many float products: cuDNN and cuBLAS accumulate in float, the CPU in double. */
    static final Tolerance LONG_SUMS = Tolerance.of(1e-4, 5e-5);
    static final String LONG_SUMS_REASON = "dot products of up to C·kh·kw (or `in`) terms accumulated in float on the"
            + " GPU, in double on the CPU";

    /** Gradients reduce over the batch and every output position as well. */
    static final Tolerance GRADIENTS = Tolerance.of(1e-3, 1e-4);
    static final String GRADIENTS_REASON = "gradients sum N·OH·OW (or N) products in float on the GPU, in double on"
            + " the CPU, in a different order";

    private ParityTable() {
    }

    /** Every row, in a fixed order. */
    public static List<ParityCase> all() {
        List<ParityCase> t = new ArrayList<>();
        convolutions(t);
        pooling(t);
        dense(t);
        activations(t);
        softmax(t);
        losses(t);
        optimizers(t);
        elementwise(t);
        FunctionalRows.addTo(t);
        return t;
    }

    // ---- convolution ------------------------------------------------------------------------

    private static void convolutions(List<ParityCase> t) {
        conv(t, 1, 1, 7, 7, 1, 3, 3, 1, 1, Padding2D.NONE);
        conv(t, 4, 16, 9, 9, 8, 1, 1, 1, 1, Padding2D.NONE);
        conv(t, 3, 8, 6, 6, 16, 1, 1, 2, 2, Padding2D.NONE);
        conv(t, 2, 3, 8, 8, 4, 2, 2, 2, 2, Padding2D.NONE);
        conv(t, 3, 2, 7, 7, 3, 2, 2, 1, 1, same(7, 7, 2, 2, 1, 1));
        conv(t, 2, 4, 9, 9, 8, 3, 3, 1, 1, Padding2D.of(1));
        conv(t, 2, 2, 7, 7, 5, 3, 3, 2, 2, Padding2D.of(1));
        conv(t, 1, 1, 7, 7, 1, 3, 3, 3, 3, Padding2D.of(1));
        conv(t, 2, 3, 8, 8, 4, 3, 3, 2, 2, same(8, 8, 3, 3, 2, 2));
        conv(t, 2, 3, 9, 9, 2, 3, 3, 1, 1, Padding2D.of(2));
        conv(t, 2, 3, 32, 32, 6, 5, 5, 1, 1, Padding2D.NONE);
        conv(t, 2, 1, 28, 28, 6, 5, 5, 1, 1, same(28, 28, 5, 5, 1, 1));
        conv(t, 3, 4, 13, 13, 4, 5, 5, 2, 2, Padding2D.of(2));
        conv(t, 2, 3, 12, 12, 4, 5, 5, 3, 3, same(12, 12, 5, 5, 3, 3));
        conv(t, 2, 3, 23, 23, 8, 7, 7, 2, 2, Padding2D.of(3));
        conv(t, 1, 2, 15, 13, 3, 7, 7, 1, 1, Padding2D.NONE);
        conv(t, 2, 2, 8, 11, 4, 3, 5, 2, 1, Padding2D.of(1, 2));
        conv(t, 2, 3, 10, 9, 4, 5, 3, 1, 2, Padding2D.of(2, 1));
        conv(t, 1, 3, 6, 16, 2, 1, 7, 1, 1, Padding2D.of(0, 3));
        conv(t, 2, 2, 9, 10, 3, 4, 2, 1, 1, same(9, 10, 4, 2, 1, 1));
        conv(t, 2, 64, 12, 12, 64, 3, 3, 1, 1, Padding2D.of(1));
        conv(t, 2, 32, 7, 7, 1, 1, 1, 1, 1, Padding2D.NONE);
        conv(t, 33, 3, 11, 11, 8, 3, 3, 1, 1, Padding2D.of(1));
        conv(t, 5, 6, 13, 17, 7, 3, 3, 2, 3, Padding2D.NONE);
        conv(t, 1, 1, 1, 1, 1, 1, 1, 1, 1, Padding2D.NONE);
        conv(t, 3, 5, 5, 5, 2, 5, 5, 1, 1, Padding2D.NONE);
        conv(t, 16, 6, 14, 14, 16, 5, 5, 1, 1, Padding2D.NONE);
    }

    /** Keras/TensorFlow SAME padding of an (h, w) input. */
    private static Padding2D same(int h, int w, int kh, int kw, int sh, int sw) {
        int[] ph = Geometry.samePadding(h, kh, sh);
        int[] pw = Geometry.samePadding(w, kw, sw);
        return new Padding2D(ph[0], ph[1], pw[0], pw[1]);
    }

    private static void conv(List<ParityCase> t, int n, int c, int h, int w, int k, int kh, int kw, int sh, int sw,
            Padding2D p) {
        ConvSpec spec = new ConvSpec(kh, kw, sh, sw, p);
        String config = "n" + n + " c" + c + " " + h + "x" + w + " k" + k + " f" + kh + "x" + kw + " s" + sh + "x" + sw
                + " p" + p.top() + "/" + p.bottom() + "/" + p.left() + "/" + p.right();
        t.add(new ParityCase("conv2d", config, LONG_SUMS, GRADIENTS, LONG_SUMS_REASON + "; " + GRADIENTS_REASON, r -> {
            Backend b = r.backend();
            Shape xs = Shape.of(n, c, h, w);
            Tensor x = r.gaussian(xs, 1.0);
            Tensor wt = r.gaussian(spec.weightShape(c, k), 1.0 / Math.sqrt(c * kh * kw));
            Tensor bias = r.gaussian(Shape.of(k), 0.5);
            Shape ys = spec.outputShape(xs, k);
            Tensor y = r.output(ys);
            b.convolution().forward(x, wt, bias, spec, y);
            r.forward("y", y);
            Tensor dy = r.gaussian(ys, 1.0);
            Tensor dx = r.output(xs);
            b.convolution().backwardData(dy, wt, spec, dx);
            r.backward("dx", dx);
            Tensor dw = r.output(spec.weightShape(c, k));
            b.convolution().backwardFilter(x, dy, spec, dw);
            r.backward("dw", dw);
            Tensor db = r.output(Shape.of(k));
            b.convolution().biasBackward(dy, db);
            r.backward("db", db);
        }));
    }

    // ---- pooling ----------------------------------------------------------------------------

    private static void pooling(List<ParityCase> t) {
        for (PoolMode mode : PoolMode.values()) {
            pool(t, mode, 2, 3, 8, 8, 2, 2, 2, 2, Padding2D.NONE);
            pool(t, mode, 2, 3, 9, 9, 3, 3, 2, 2, Padding2D.NONE);
            pool(t, mode, 2, 2, 7, 7, 3, 3, 2, 2, Padding2D.of(1));
            pool(t, mode, 3, 4, 10, 10, 3, 3, 1, 1, Padding2D.of(1));
            pool(t, mode, 1, 2, 7, 9, 2, 2, 2, 2, new Padding2D(0, 1, 0, 1));
            pool(t, mode, 2, 3, 11, 10, 2, 3, 1, 2, new Padding2D(1, 0, 1, 1));
            pool(t, mode, 33, 6, 28, 28, 2, 2, 2, 2, Padding2D.NONE);
            pool(t, mode, 2, 16, 5, 5, 5, 5, 1, 1, Padding2D.of(2));
        }
        pool(t, PoolMode.AVERAGE_EXCLUDE_PAD, 1, 1, 4, 4, 2, 2, 1, 1, Padding2D.of(2));
        pool(t, PoolMode.SUM, 1, 2, 4, 5, 3, 3, 3, 3, Padding2D.of(3));
    }

    private static void pool(List<ParityCase> t, PoolMode mode, int n, int c, int h, int w, int wh, int ww, int sh,
            int sw, Padding2D p) {
        PoolSpec spec = new PoolSpec(mode, wh, ww, sh, sw, p);
        String config = mode.name().toLowerCase(java.util.Locale.ROOT) + " n" + n + " c" + c + " " + h + "x" + w + " f"
                + wh + "x" + ww + " s" + sh + "x" + sw + " p" + p.top() + "/" + p.bottom() + "/" + p.left() + "/"
                + p.right();
        t.add(new ParityCase("pool2d", config, FORWARD, FORWARD, "", r -> {
            Backend b = r.backend();
            Shape xs = Shape.of(n, c, h, w);
            Tensor x = r.gaussian(xs, 1.0);
            Shape ys = spec.outputShape(xs);
            Tensor y = r.output(ys);
            b.pooling().forward(x, spec, y);
            r.forward("y", y);
            Tensor dy = r.gaussian(ys, 1.0);
            Tensor dx = r.output(xs);
            b.pooling().backward(x, y, dy, spec, dx);
            r.backward("dx", dx);
        }));
    }

    // ---- dense ------------------------------------------------------------------------------

    private static void dense(List<ParityCase> t) {
        dense(t, Shape.of(1, 1), 1, true);
        dense(t, Shape.of(3, 7), 5, true);
        dense(t, Shape.of(4, 400), 120, true);
        dense(t, Shape.of(33, 120), 84, true);
        dense(t, Shape.of(2, 3, 4, 5), 10, true);
        dense(t, Shape.of(8, 84), 10, false);
        dense(t, Shape.of(17, 1000), 3, true);
    }

    private static void dense(List<ParityCase> t, Shape xs, int out, boolean bias) {
        int in = xs.sampleSize();
        String config = "x " + xs + " out " + out + (bias ? "" : " no bias");
        t.add(new ParityCase("dense", config, LONG_SUMS, GRADIENTS, LONG_SUMS_REASON + "; " + GRADIENTS_REASON, r -> {
            Backend b = r.backend();
            Tensor x = r.gaussian(xs, 1.0);
            Tensor w = r.gaussian(Shape.of(out, in), 1.0 / Math.sqrt(in));
            Tensor bt = bias ? r.gaussian(Shape.of(out), 0.5) : null;
            Shape ys = Shape.of(xs.batch(), out);
            Tensor y = r.output(ys);
            b.dense().forward(x, w, bt, y);
            r.forward("y", y);
            Tensor dy = r.gaussian(ys, 1.0);
            Tensor dx = r.output(xs);
            b.dense().backwardData(dy, w, dx);
            r.backward("dx", dx);
            Tensor dw = r.output(Shape.of(out, in));
            b.dense().backwardWeights(x, dy, dw);
            r.backward("dw", dw);
            Tensor db = r.output(Shape.of(out));
            b.convolution().biasBackward(dy, db);
            r.backward("db", db);
        }));
    }

    // ---- activations ------------------------------------------------------------------------

    private static void activations(List<ParityCase> t) {
        List<ActivationSpec> specs = List.of(ActivationSpec.LINEAR, ActivationSpec.RELU, ActivationSpec.leakyRelu(0.01f),
                ActivationSpec.leakyRelu(0.2f), ActivationSpec.elu(1f), ActivationSpec.elu(0.5f), ActivationSpec.TANH,
                ActivationSpec.SIGMOID);
        for (ActivationSpec f : specs) {
            for (Shape s : List.of(Shape.of(2, 3, 4, 5), Shape.of(33, 84))) {
                String config = f.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + (f.alpha() != 0 ? " alpha " + f.alpha() : "") + " " + s;
                t.add(new ParityCase("activation", config, FORWARD, FORWARD, "", r -> {
                    Backend b = r.backend();
                    Tensor x = r.gaussian(s, 2.0);
                    Tensor y = r.output(s);
                    b.activations().forward(f, x, y);
                    r.forward("y", y);
                    Tensor dy = r.gaussian(s, 1.0);
                    Tensor dx = r.output(s);
                    b.activations().backward(f, x, y, dy, dx);
                    r.backward("dx", dx);
                    Tensor inPlace = r.zeros(s);
                    b.elementwise().copy(x, inPlace);
                    b.activations().forward(f, inPlace, inPlace);
                    r.forward("y in place", inPlace);
                }));
            }
        }
        for (Shape s : List.of(Shape.of(2, 3, 4, 5), Shape.of(8, 10), Shape.of(33, 6, 7, 9))) {
            t.add(new ParityCase("prelu", s.toString(), FORWARD, GRADIENTS, GRADIENTS_REASON, r -> {
                Backend b = r.backend();
                int channels = s.dim(1);
                Tensor x = r.gaussian(s, 1.0);
                Tensor alpha = r.uniform(Shape.of(channels), 0.0, 0.5);
                Tensor y = r.output(s);
                b.activations().preluForward(x, alpha, y);
                r.forward("y", y);
                Tensor dy = r.gaussian(s, 1.0);
                Tensor dx = r.output(s);
                Tensor dalpha = r.output(Shape.of(channels));
                b.activations().preluBackward(x, alpha, dy, dx, dalpha);
                r.backward("dx", dx);
                r.backward("dalpha", dalpha);
            }));
        }
    }

    // ---- softmax ----------------------------------------------------------------------------

    private static void softmax(List<ParityCase> t) {
        for (boolean log : new boolean[] {false, true}) {
            for (Shape s : List.of(Shape.of(3, 10), Shape.of(33, 100), Shape.of(2, 5, 3, 4), Shape.of(1, 1))) {
                t.add(new ParityCase(log ? "log_softmax" : "softmax", s.toString(), FORWARD, FORWARD, "", r -> {
                    Backend b = r.backend();
                    Tensor x = r.gaussian(s, 3.0);
                    Tensor y = r.output(s);
                    b.softmax().forward(x, log, y);
                    r.forward("y", y);
                    Tensor dy = r.gaussian(s, 1.0);
                    Tensor dx = r.output(s);
                    b.softmax().backward(y, dy, log, dx);
                    r.backward("dx", dx);
                }));
            }
        }
    }

    // ---- losses -----------------------------------------------------------------------------

    private static void losses(List<ParityCase> t) {
        for (int[] nc : new int[][] {{8, 10}, {33, 10}, {1, 1000}, {300, 7}}) {
            Shape s = Shape.of(nc[0], nc[1]);
            t.add(new ParityCase("softmax_cross_entropy", s.toString(), FORWARD, FORWARD, "", r -> {
                Backend b = r.backend();
                Tensor logits = r.gaussian(s, 3.0);
                int[] labels = r.labels(nc[0], nc[1]);
                Tensor d = r.output(s);
                r.scalar("loss", b.losses().softmaxCrossEntropy(logits, labels, d));
                r.backward("dlogits", d);
                r.scalar("loss without gradient", b.losses().softmaxCrossEntropy(logits, labels, null));
            }));
        }
        for (Shape s : List.of(Shape.of(2, 1, 8, 8), Shape.of(16, 3), Shape.of(5, 2, 33, 33))) {
            t.add(new ParityCase("sigmoid_cross_entropy", s.toString(), FORWARD, FORWARD, "", r -> {
                Backend b = r.backend();
                Tensor logits = r.gaussian(s, 4.0);
                Tensor targets = r.uniform(s, 0.0, 1.0);
                Tensor d = r.output(s);
                r.scalar("loss", b.losses().sigmoidCrossEntropy(logits, targets, d));
                r.backward("dlogits", d);
            }));
            t.add(new ParityCase("mean_squared_error", s.toString(), FORWARD, FORWARD, "", r -> {
                Backend b = r.backend();
                Tensor p = r.gaussian(s, 1.0);
                Tensor target = r.gaussian(s, 1.0);
                Tensor d = r.output(s);
                r.scalar("loss", b.losses().meanSquaredError(p, target, d));
                r.backward("dpredictions", d);
            }));
        }
    }

    // ---- optimizers ---------------------------------------------------------------------------

    private static void optimizers(List<ParityCase> t) {
        List<SgdSpec> sgd = List.of(new SgdSpec(0.1f, 0f, false, 0f), new SgdSpec(0.05f, 0.9f, false, 0f),
                new SgdSpec(0.05f, 0.9f, true, 0f), new SgdSpec(0.01f, 0.5f, false, 1e-2f));
        for (SgdSpec spec : sgd) {
            String config = "lr " + spec.learningRate() + " momentum " + spec.momentum() + (spec.nesterov()
                    ? " nesterov" : "") + " weight decay " + spec.weightDecay() + ", 3 steps of (7, 11)";
            t.add(new ParityCase("sgd", config, FORWARD, FORWARD, "", r -> {
                Backend b = r.backend();
                Shape s = Shape.of(7, 11);
                Tensor w = r.gaussian(s, 1.0);
                Tensor v = spec.momentum() != 0 ? r.zeros(s) : null;
                for (int step = 0; step < 3; step++) {
                    b.optimizers().sgd(w, r.gaussian(s, 1.0), v, spec);
                }
                r.backward("param", w);
                if (v != null) {
                    r.backward("velocity", v);
                }
            }));
        }
        for (AdamSpec spec : List.of(AdamSpec.of(1e-3f), new AdamSpec(0.01f, 0.8f, 0.99f, 1e-6f, 1e-3f))) {
            String config = "lr " + spec.learningRate() + " betas " + spec.beta1() + "/" + spec.beta2() + " eps "
                    + spec.epsilon() + " weight decay " + spec.weightDecay() + ", 5 steps of (13, 5)";
            t.add(new ParityCase("adam", config, FORWARD, FORWARD, "", r -> {
                Backend b = r.backend();
                Shape s = Shape.of(13, 5);
                Tensor w = r.gaussian(s, 1.0);
                Tensor m = r.zeros(s);
                Tensor v = r.zeros(s);
                for (int step = 1; step <= 5; step++) {
                    b.optimizers().adam(w, r.gaussian(s, 1.0), m, v, spec, step);
                }
                r.backward("param", w);
                r.backward("m", m);
                r.backward("v", v);
            }));
        }
    }

    // ---- memory and elementwise ---------------------------------------------------------------

    private static void elementwise(List<ParityCase> t) {
        Shape s = Shape.of(3, 4, 5, 6);
        t.add(new ParityCase("add", "out distinct, out = a, out = b on " + s, FORWARD, FORWARD, "", r -> {
            Backend b = r.backend();
            Tensor a = r.gaussian(s, 1.0);
            Tensor c = r.gaussian(s, 1.0);
            Tensor out = r.output(s);
            b.elementwise().add(a, c, out);
            r.forward("a + b", out);
            b.elementwise().add(a, c, a);
            r.forward("a += b", a);
            b.elementwise().add(a, c, c);
            r.forward("b += a", c);
        }));
        t.add(new ParityCase("scale_fill_copy", s.toString(), FORWARD, FORWARD, "", r -> {
            Backend b = r.backend();
            Tensor a = r.gaussian(s, 1.0);
            Tensor out = r.output(s);
            b.elementwise().scale(a, -0.37f, out);
            r.forward("scaled", out);
            b.elementwise().scale(a, 3f, a);
            r.forward("scaled in place", a);
            Tensor f = r.output(s);
            b.elementwise().fill(f, 2.5f);
            r.forward("filled", f);
            Tensor reshaped = r.output(Shape.of(12, 30));
            b.elementwise().copy(a, reshaped);
            r.forward("copied", reshaped);
        }));
        for (Padding2D p : List.of(Padding2D.of(1), new Padding2D(0, 1, 2, 0), Padding2D.of(3, 0))) {
            t.add(new ParityCase("zero_pad", s + " padding " + p.top() + "/" + p.bottom() + "/" + p.left() + "/"
                    + p.right(), FORWARD, FORWARD, "", r -> {
                Backend b = r.backend();
                Tensor x = r.gaussian(s, 1.0);
                Shape ps = Shape.of(3, 4, 5 + p.top() + p.bottom(), 6 + p.left() + p.right());
                Tensor y = r.output(ps);
                b.elementwise().zeroPad(x, p, y);
                r.forward("y", y);
                Tensor dy = r.gaussian(ps, 1.0);
                Tensor dx = r.output(s);
                b.elementwise().zeroPadBackward(dy, p, dx);
                r.backward("dx", dx);
            }));
        }
    }
}
