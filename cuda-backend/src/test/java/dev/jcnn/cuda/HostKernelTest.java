package dev.jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcnn.backend.ActivationKind;
import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.CrossEntropySpec;
import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.RmsPropSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tolerance;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.cases.LossCases;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernels of multiply, the per-channel ops, upsampling, the activations and the losses, run
 * on the host through {@link HostKernels} with the real {@link Channels}, {@link Resampling} and
 * {@link Activations} computing their launch arguments, against the CPU reference. The
 * first three do the CPU's arithmetic step by step (float products and sums, the bilinear
 * taps and double sums in the same order), so the results must be bit for bit the same; the
 * activation kernels compute in float what the CPU computes in double, so they are held to
 * {@link #FLOAT_MATH}. The loss kernels, driven by the real {@link Losses} with the harness as
 * their device (scratch buffers, one block), compute in double as the CPU does: their
 * gradients are held to {@link #FLOAT_MATH} too, their sums (added in another order) to 1e-6
 * relative. Outputs start as NaN, so every element must be written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostKernelTest {

    private HostKernels host;
    private Backend cpu;

    @BeforeAll
    void start() {
        host = HostKernels.start();
        cpu = new CpuBackend(BackendOptions.exact().withThreads(1));
    }

    @AfterAll
    void stop() {
        if (cpu != null) {
            cpu.close();
        }
    }

    /**
     * The activation kernels against the CPU's double math rounded once. The float functions
     * (expf, erfcf, ...) are within a few ulp, relative: 2e-6. A derivative that adds terms of
     * opposite sign (ELU's y + alpha) keeps only the absolute precision of its terms, a few
     * ulp of O(1) values times dy: 3e-7 absolute (measured: at most 1.2e-7). PyTorch's
     * float32 default is 1.3e-6 and 1e-5.
     */
    static final Tolerance FLOAT_MATH = Tolerance.of(2e-6, 3e-7);

    static List<Shape> shapes() {
        return List.of(Shape.of(2, 3, 4, 5), Shape.of(3, 7), Shape.of(1, 1, 1, 1), Shape.of(4, 2, 1, 3),
                Shape.of(2, 64, 7, 7));
    }

    static List<List<Shape>> stacks() {
        return List.of(
                List.of(Shape.of(2, 3, 4, 5), Shape.of(2, 1, 4, 5), Shape.of(2, 2, 4, 5)),
                List.of(Shape.of(3, 4), Shape.of(3, 2)),
                List.of(Shape.of(1, 1, 1, 1), Shape.of(1, 2, 1, 1)),
                List.of(Shape.of(5, 1, 7, 9), Shape.of(5, 1, 7, 9)),
                List.of(Shape.of(3, 2, 3, 3)));
    }

    /** Every interpolation over the conformance suite's and the parity table's geometries. */
    static List<Arguments> upsampling() {
        int[][] geometries = {
            {2, 3, 4, 5, 2, 2}, {1, 2, 3, 3, 3, 2}, {1, 1, 1, 3, 2, 4}, {2, 1, 5, 4, 1, 3}, {1, 2, 1, 1, 3, 3},
            {3, 4, 7, 9, 2, 2}, {1, 3, 6, 5, 4, 4}, {2, 2, 9, 2, 1, 1}, {1, 1, 2, 2, 5, 3}, {1, 1, 3, 1, 7, 1}};
        List<Arguments> all = new ArrayList<>();
        for (Interpolation mode : Interpolation.values()) {
            for (int[] g : geometries) {
                all.add(Arguments.of(Shape.of(g[0], g[1], g[2], g[3]), new UpsampleSpec(mode, g[4], g[5])));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void multiply(Shape s) {
        float[] a = data(s, 1);
        float[] b = data(s, 2);
        CudaTensor ta = tensor(s, a);
        CudaTensor tb = tensor(s, b);
        CudaTensor out = output(s);
        host.launch(Kernel.MULTIPLY, s.size(), ta, tb, out, s.size());
        float[] expected = onCpu(s, c -> c.backend().elementwise().multiply(c.upload(s, a), c.upload(s, b), c.output()));
        assertBitwise("multiply " + s, expected, host.values(out));
        host.launch(Kernel.MULTIPLY, s.size(), ta, tb, ta, s.size());
        assertBitwise("multiply in place " + s, expected, host.values(ta));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void addBias(Shape s) {
        Shape cs = Shape.of(s.dim(1));
        float[] x = data(s, 3);
        float[] b = data(cs, 4);
        CudaTensor tx = tensor(s, x);
        CudaTensor tb = tensor(cs, b);
        CudaTensor y = output(s);
        channels().computeAddBias(tx, tb, y);
        float[] expected = onCpu(s, c -> c.backend().channels().addBias(c.upload(s, x), c.upload(cs, b), c.output()));
        assertBitwise("addBias " + s, expected, host.values(y));
        channels().computeAddBias(tx, tb, tx);
        assertBitwise("addBias in place " + s, expected, host.values(tx));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void concatAndSplit(List<Shape> parts) {
        int channels = parts.stream().mapToInt(p -> p.dim(1)).sum();
        int[] dims = parts.get(0).dims();
        dims[1] = channels;
        Shape ys = Shape.of(dims);
        List<CudaTensor> xs = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            values.add(data(parts.get(i), 10 + i));
            xs.add(tensor(parts.get(i), values.get(i)));
        }
        CudaTensor y = output(ys);
        channels().computeConcat(xs, y);
        float[] expected = onCpu(ys, c -> {
            List<Tensor> in = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                in.add(c.upload(parts.get(i), values.get(i)));
            }
            c.backend().channels().concat(in, c.output());
        });
        assertBitwise("concatChannels " + parts, expected, host.values(y));

        float[] dy = data(ys, 20);
        List<CudaTensor> dxs = new ArrayList<>();
        for (Shape p : parts) {
            dxs.add(output(p));
        }
        channels().computeSplit(tensor(ys, dy), dxs);
        try (Tensor cdy = cpu.upload(ys, dy)) {
            List<Tensor> cdxs = new ArrayList<>();
            for (Shape p : parts) {
                cdxs.add(cpu.allocate(p));
            }
            cpu.channels().split(cdy, cdxs);
            for (int i = 0; i < parts.size(); i++) {
                float[] e = new float[parts.get(i).size()];
                cpu.read(cdxs.get(i), e);
                cdxs.get(i).close();
                assertBitwise("splitChannels dxs[" + i + "] of " + parts, e, host.values(dxs.get(i)));
            }
        }
    }

    @ParameterizedTest(name = "{1} of {0}")
    @MethodSource("upsampling")
    void upsampleForward(Shape xs, UpsampleSpec spec) {
        Shape ys = spec.outputShape(xs);
        float[] x = data(xs, 5);
        CudaTensor y = output(ys);
        resampling().computeForward(tensor(xs, x), spec, y);
        float[] expected = onCpu(ys, c -> c.backend().resampling().forward(c.upload(xs, x), spec, c.output()));
        assertBitwise("upsampleForward " + spec + " of " + xs, expected, host.values(y));
    }

    @ParameterizedTest(name = "{1} of {0}")
    @MethodSource("upsampling")
    void upsampleBackward(Shape xs, UpsampleSpec spec) {
        Shape ys = spec.outputShape(xs);
        float[] dy = data(ys, 6);
        CudaTensor dx = output(xs);
        resampling().computeBackward(tensor(ys, dy), spec, dx);
        float[] expected = onCpu(xs, c -> c.backend().resampling().backward(c.upload(ys, dy), spec, c.output()));
        assertBitwise("upsampleBackward " + spec + " of " + xs, expected, host.values(dx));
    }

    /**
     * Every kind {@link Activations#route} gives to the backend's own kernels, with two
     * parameters (Leaky ReLU's slope, ELU's alpha; the other kinds ignore it), so a new kind
     * is tested here without being named.
     */
    static List<ActivationSpec> ownKernelActivations() {
        List<ActivationSpec> all = new ArrayList<>();
        for (ActivationKind k : ActivationKind.values()) {
            if (Activations.route(k) == Activations.Route.OWN_KERNELS) {
                all.add(new ActivationSpec(k, 0.2f));
                all.add(new ActivationSpec(k, 1f));
            }
        }
        return all;
    }

    /** Gaussian values of scale 3, every quarter from −12 to 12, and the saturating extremes. */
    private static float[] activationInputs() {
        float[] gaussian = new TestData(77).gaussian(241, 3);
        float[] extremes = {0f, -0f, 1e-3f, -1e-3f, 1e-20f, -1e-20f, 30f, -30f, 100f, -100f, 1e30f, -1e30f};
        float[] x = new float[gaussian.length + 97 + extremes.length];
        System.arraycopy(gaussian, 0, x, 0, gaussian.length);
        for (int i = 0; i < 97; i++) {
            x[gaussian.length + i] = -12f + 0.25f * i;
        }
        System.arraycopy(extremes, 0, x, gaussian.length + 97, extremes.length);
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ownKernelActivations")
    void activationKernels(ActivationSpec f) {
        float[] x = activationInputs();
        Shape s = Shape.of(7, x.length / 7);
        float[] dy = data(s, 8);
        float[] expectedY = onCpu(s, c -> c.backend().activations().forward(f, c.upload(s, x), c.output()));
        float[] expectedDx = onCpu(s, c -> {
            Tensor cx = c.upload(s, x);
            c.backend().activations().backward(f, cx, c.upload(s, expectedY), c.upload(s, dy), c.output());
        });
        CudaTensor tx = tensor(s, x);
        CudaTensor y = output(s);
        activations().computeForward(f, tx, y);
        assertClose(f + " forward", s, expectedY, host.values(y));
        CudaTensor dx = output(s);
        activations().computeBackward(f, tx, tensor(s, expectedY), tensor(s, dy), dx);
        assertClose(f + " backward", s, expectedDx, host.values(dx));

        CudaTensor inPlace = tensor(s, x);
        activations().computeForward(f, inPlace, inPlace);
        assertClose(f + " forward in place", s, expectedY, host.values(inPlace));
    }

    static List<AdamSpec> adamWSpecs() {
        return List.of(new AdamSpec(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f), new AdamSpec(0.05f, 0.8f, 0.99f, 1e-6f, 0.1f));
    }

    static List<RmsPropSpec> rmsPropSpecs() {
        return List.of(RmsPropSpec.of(0.01f), new RmsPropSpec(0.01f, 0.9f, 1e-6f, 0f, 0.9f, false),
                new RmsPropSpec(0.005f, 0.95f, 1e-8f, 0f, 0f, true), new RmsPropSpec(0.02f, 0.8f, 1e-5f, 0.01f, 0.5f, true));
    }

    /** Three AdamW steps through the kernel and on the CPU: both compute in double in the same order, so bit for bit. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("adamWSpecs")
    void adamW(AdamSpec spec) {
        Shape s = Shape.of(2, 3, 4, 5);
        float[] w0 = data(s, 30);
        CudaTensor w = tensor(s, w0);
        CudaTensor m = tensor(s, new float[s.size()]);
        CudaTensor v = tensor(s, new float[s.size()]);
        try (Tensor cw = cpu.upload(s, w0); Tensor cm = cpu.allocate(s); Tensor cv = cpu.allocate(s)) {
            for (int step = 1; step <= 3; step++) {
                float[] g = data(s, 30 + step);
                optimizers().computeAdamW(w, tensor(s, g), m, v, spec, step);
                try (Tensor cg = cpu.upload(s, g)) {
                    cpu.optimizers().adamW(cw, cg, cm, cv, spec, step);
                }
                assertBitwise("adamW step " + step + " param", cw.toArray(), host.values(w));
                assertBitwise("adamW step " + step + " m", cm.toArray(), host.values(m));
                assertBitwise("adamW step " + step + " v", cv.toArray(), host.values(v));
            }
        }
    }

    /** Three RMSprop steps through the kernel and on the CPU, every buffer the spec uses compared bit for bit. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rmsPropSpecs")
    void rmsProp(RmsPropSpec spec) {
        Shape s = Shape.of(3, 7, 5);
        float[] w0 = data(s, 40);
        CudaTensor w = tensor(s, w0);
        CudaTensor sq = tensor(s, new float[s.size()]);
        CudaTensor avg = spec.centered() ? tensor(s, new float[s.size()]) : null;
        CudaTensor buf = spec.momentum() > 0 ? tensor(s, new float[s.size()]) : null;
        try (Tensor cw = cpu.upload(s, w0); Tensor csq = cpu.allocate(s); Tensor cavg = cpu.allocate(s);
                Tensor cbuf = cpu.allocate(s)) {
            for (int step = 1; step <= 3; step++) {
                float[] g = data(s, 40 + step);
                optimizers().computeRmsProp(w, tensor(s, g), sq, avg, buf, spec);
                try (Tensor cg = cpu.upload(s, g)) {
                    cpu.optimizers().rmsProp(cw, cg, csq, cavg, cbuf, spec);
                }
                assertBitwise("rmsProp step " + step + " param", cw.toArray(), host.values(w));
                assertBitwise("rmsProp step " + step + " square_avg", csq.toArray(), host.values(sq));
                if (avg != null) {
                    assertBitwise("rmsProp step " + step + " grad_avg", cavg.toArray(), host.values(avg));
                }
                if (buf != null) {
                    assertBitwise("rmsProp step " + step + " momentum_buffer", cbuf.toArray(), host.values(buf));
                }
            }
        }
    }

    /** The op table's cross-entropy options on its map shapes, on (N, C) and on many classes. */
    static List<Arguments> crossEntropies() {
        List<Arguments> all = new ArrayList<>();
        for (Shape s : LossCases.MAP_SHAPES) {
            LossCases.OPTIONS.forEach(o -> all.add(Arguments.of(s, o)));
        }
        all.add(Arguments.of(Shape.of(8, 10), new LossCases.Options(0f, false, null)));
        all.add(Arguments.of(Shape.of(8, 4), new LossCases.Options(0.1f, true, 2)));
        all.add(Arguments.of(Shape.of(3, 21, 5, 7), new LossCases.Options(0.1f, true, 255)));
        return all;
    }

    /**
     * The cross-entropy kernel against the CPU: both compute each position's term and gradient
     * in double in the same order, so the gradients differ by no more than exp's last bit can
     * move a float ({@link #FLOAT_MATH}); the loss adds the terms in another order (one block's
     * tree here, index order there): 1e-6 relative.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("crossEntropies")
    void softmaxCrossEntropy(Shape s, LossCases.Options o) {
        TestData data = new TestData((s + " " + o).hashCode());
        int classes = s.dim(1);
        float[] logits = data.gaussian(s.size(), 3);
        int[] labels = data.labels(s.size() / classes, o.ignore() == null ? classes : classes + 1);
        CrossEntropySpec spec = CrossEntropySpec.PLAIN.withLabelSmoothing(o.smoothing());
        if (o.weighted()) {
            spec = spec.withClassWeights(data.uniform(classes, 0.2, 3));
        }
        double weightSum = 0;
        for (int i = 0; i < labels.length; i++) {
            if (o.ignore() != null && labels[i] == classes) {
                labels[i] = o.ignore();
            }
            weightSum += o.ignore() != null && labels[i] == o.ignore() ? 0 : spec.classWeight(labels[i]);
        }
        CrossEntropySpec options = o.ignore() == null ? spec : spec.withIgnoreIndex(o.ignore());
        float[] expectedGrad = new float[s.size()];
        float expected;
        try (Tensor cx = cpu.upload(s, logits); Tensor cd = cpu.allocate(s)) {
            expected = cpu.losses().softmaxCrossEntropy(cx, labels, options, cd);
            cpu.read(cd, expectedGrad);
        }
        CudaTensor d = output(s);
        float loss = losses().computeSoftmaxCrossEntropy(tensor(s, logits), labels, options, weightSum, d);
        assertEquals(expected, loss, 1e-6f * Math.abs(expected), "loss " + s + " " + o);
        assertClose("dlogits " + s + " " + o, s, expectedGrad, host.values(d));
        assertEquals(loss, losses().computeSoftmaxCrossEntropy(tensor(s, logits), labels, options, weightSum, null),
                "loss without a gradient " + s + " " + o);
    }

    static List<Arguments> dice() {
        List<Arguments> all = new ArrayList<>();
        for (Shape s : List.of(Shape.of(2, 3, 4, 5), Shape.of(1, 4, 3, 3), Shape.of(6, 4), Shape.of(3, 21, 5, 7))) {
            LossCases.DICE_EPSILONS.forEach(e -> all.add(Arguments.of(s, e)));
        }
        return all;
    }

    /** The Dice kernels (log-sum-exp, sums, gradient) against the CPU, held as the cross-entropy is. */
    @ParameterizedTest(name = "{0} eps {1}")
    @MethodSource("dice")
    void softmaxDice(Shape s, double epsilon) {
        TestData data = new TestData(s.toString().hashCode() + 3);
        float[] logits = data.gaussian(s.size(), 3);
        int[] labels = data.labels(s.size() / s.dim(1), s.dim(1));
        float[] expectedGrad = new float[s.size()];
        float expected;
        try (Tensor cx = cpu.upload(s, logits); Tensor cd = cpu.allocate(s)) {
            expected = cpu.losses().softmaxDice(cx, labels, epsilon, cd);
            cpu.read(cd, expectedGrad);
        }
        CudaTensor d = output(s);
        float loss = losses().computeSoftmaxDice(tensor(s, logits), labels, epsilon, d);
        assertEquals(expected, loss, 1e-6f * Math.max(Math.abs(expected), 1e-3f), "loss " + s);
        assertClose("dlogits " + s, s, expectedGrad, host.values(d));
        assertEquals(loss, losses().computeSoftmaxDice(tensor(s, logits), labels, epsilon, null), "without a gradient");
    }

    @ParameterizedTest(name = "{0} eps {1}")
    @MethodSource("dice")
    void sigmoidDice(Shape s, double epsilon) {
        TestData data = new TestData(s.toString().hashCode() + 4);
        float[] logits = data.gaussian(s.size(), 3);
        float[] targets = data.uniform(s.size(), 0, 1);
        targets[0] = 0;
        targets[1] = 1;
        float[] expectedGrad = new float[s.size()];
        float expected;
        try (Tensor cx = cpu.upload(s, logits); Tensor ct = cpu.upload(s, targets); Tensor cd = cpu.allocate(s)) {
            expected = cpu.losses().sigmoidDice(cx, ct, epsilon, cd);
            cpu.read(cd, expectedGrad);
        }
        CudaTensor d = output(s);
        float loss = losses().computeSigmoidDice(tensor(s, logits), tensor(s, targets), epsilon, d);
        assertEquals(expected, loss, 1e-6f * Math.max(Math.abs(expected), 1e-3f), "loss " + s);
        assertClose("dlogits " + s, s, expectedGrad, host.values(d));
    }

    /** The harness does run the kernels: a fill writes the value, a wrong kernel name is refused. */
    @Test
    void theHarnessRunsTheNamedKernel() {
        CudaTensor t = output(Shape.of(3, 5));
        host.launch(Kernel.FILL, 15, t, 2.5f, 15);
        float[] expected = new float[15];
        Arrays.fill(expected, 2.5f);
        assertBitwise("fill", expected, host.values(t));
        assertEquals(true, HostKernels.dispatcher().contains("upsample_bilinear_bwd(P(0), P(1), I(2), I(3), I(4), I(5), I(6))"));
    }

    // ---- helpers ---------------------------------------------------------------------------

    /**
     * The real per-channel family on the host launcher. Its kernels are called directly, past
     * the checked ops, so the backend it is given (which only those ops consult) is the CPU's.
     */
    private Optimizers optimizers() {
        return new Optimizers(cpu, host, null);
    }

    /** The real losses on the host launcher, which also stands in for their scratch buffers; see {@link #channels()}. */
    private Losses losses() {
        return new Losses(cpu, host);
    }

    private Channels channels() {
        return new Channels(cpu, host);
    }

    /** The real activation family on the host launcher, for the kinds it runs on its own kernels; see {@link #channels()}. */
    private Activations activations() {
        return new Activations(cpu, null, host, null);
    }

    /** The real upsampling family on the host launcher; see {@link #channels()}. */
    private Resampling resampling() {
        return new Resampling(cpu, host);
    }

    private static float[] data(Shape s, int salt) {
        return new TestData(s.toString().hashCode() + salt).gaussian(s.size(), 1);
    }

    /** A tensor of this backend's class, with a host buffer instead of device memory. */
    private CudaTensor tensor(Shape s, float[] values) {
        CudaTensor t = new CudaTensor(null, s, null);
        host.buffer(t, values.clone());
        return t;
    }

    private CudaTensor output(Shape s) {
        float[] nan = new float[s.size()];
        Arrays.fill(nan, Float.NaN);
        return tensor(s, nan);
    }

    /** What the CPU reference writes into an output of shape {@code out}. */
    private float[] onCpu(Shape out, Consumer<CpuRun> body) {
        CpuRun run = new CpuRun(out);
        try {
            body.accept(run);
            float[] v = new float[out.size()];
            cpu.read(run.output, v);
            return v;
        } finally {
            run.tensors.forEach(Tensor::close);
        }
    }

    private final class CpuRun {
        final List<Tensor> tensors = new ArrayList<>();
        final Tensor output;

        CpuRun(Shape out) {
            output = cpu.allocate(out);
            tensors.add(output);
        }

        Backend backend() {
            return cpu;
        }

        Tensor output() {
            return output;
        }

        Tensor upload(Shape s, float[] v) {
            Tensor t = cpu.upload(s, v);
            tensors.add(t);
            return t;
        }
    }

    private static void assertClose(String what, Shape s, float[] expected, float[] actual) {
        AllClose.assertClose(what, s, actual, expected, FLOAT_MATH);
    }

    private static void assertBitwise(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                int differ = 0;
                for (int j = 0; j < expected.length; j++) {
                    differ += Float.floatToIntBits(expected[j]) != Float.floatToIntBits(actual[j]) ? 1 : 0;
                }
                throw new AssertionError(what + ": " + differ + " of " + expected.length + " elements differ; first at "
                        + i + ": kernel " + actual[i] + ", cpu " + expected[i] + " (abs error "
                        + Math.abs(actual[i] - expected[i]) + ")");
            }
        }
    }
}
