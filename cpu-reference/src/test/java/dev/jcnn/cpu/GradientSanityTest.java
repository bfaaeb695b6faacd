package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.ActivationKind;
import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Central differences of L = Σ r·f(x) against each op's backward pass: a quick sanity check
 * of this backend's own derivatives (core's suite runs the thorough ones).
 */
class GradientSanityTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(2));

    @AfterEach
    void close() {
        cpu.close();
    }

    /** Inputs kept away from 0 so no finite difference straddles a kink. */
    private static float[] awayFromZero(int n, long seed) {
        float[] v = Random32.uniform(n, seed);
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] < 0 ? v[i] * 2 - 0.1f : v[i] * 2 + 0.1f;
        }
        return v;
    }

    /** Asserts that analytic ≈ the central difference of x ↦ Σ r·f(x), element by element. */
    private static void assertGradient(String what, float[] x, UnaryOperator<float[]> f, float[] r, float[] analytic) {
        double h = 1e-3;
        for (int i = 0; i < x.length; i++) {
            float keep = x[i];
            x[i] = (float) (keep + h);
            double up = Random32.dot(f.apply(x), r);
            x[i] = (float) (keep - h);
            double down = Random32.dot(f.apply(x), r);
            x[i] = keep;
            double numeric = (up - down) / (2 * h);
            double err = Math.abs(numeric - analytic[i]) / Math.max(1, Math.max(Math.abs(numeric), Math.abs(analytic[i])));
            assertTrue(err < 2e-3, what + ": element " + i + " analytic " + analytic[i] + " numeric " + numeric);
        }
    }

    @ParameterizedTest
    @EnumSource(ActivationKind.class)
    void activations(ActivationKind kind) {
        ActivationSpec f = new ActivationSpec(kind, 0.3f);
        Shape s = Shape.of(2, 3, 2, 2);
        float[] x = awayFromZero(s.size(), 21);
        float[] r = Random32.uniform(s.size(), 22);
        try (Tensor tx = cpu.upload(s, x); Tensor ty = cpu.allocate(s); Tensor tr = cpu.upload(s, r);
                Tensor tdx = cpu.allocate(s)) {
            cpu.activations().forward(f, tx, ty);
            cpu.activations().backward(f, tx, ty, tr, tdx);
            assertGradient(kind.name(), x, v -> run(s, v, (a, b) -> cpu.activations().forward(f, a, b)), r, tdx.toArray());
        }
    }

    @Test
    void preluInputAndAlpha() {
        Shape s = Shape.of(2, 3, 2, 2);
        Shape as = Shape.of(3);
        float[] x = awayFromZero(s.size(), 31);
        float[] alpha = {0.1f, -0.2f, 0.5f};
        float[] r = Random32.uniform(s.size(), 32);
        try (Tensor tx = cpu.upload(s, x); Tensor ta = cpu.upload(as, alpha); Tensor tr = cpu.upload(s, r);
                Tensor tdx = cpu.allocate(s); Tensor tda = cpu.allocate(as)) {
            cpu.activations().preluBackward(tx, ta, tr, tdx, tda);
            assertGradient("PReLU dx", x, v -> run(s, v, (a, b) -> cpu.activations().preluForward(a, ta, b)), r, tdx.toArray());
            assertGradient("PReLU dalpha", alpha, al -> {
                try (Tensor t = cpu.upload(as, al)) {
                    return run(s, x, (a, b) -> cpu.activations().preluForward(a, t, b));
                }
            }, r, tda.toArray());
        }
    }

    @Test
    void softmaxAndLogSoftmaxPerPixel() {
        Shape s = Shape.of(2, 4, 1, 3);
        float[] x = Random32.uniform(s.size(), 41);
        float[] r = Random32.uniform(s.size(), 42);
        for (boolean log : new boolean[] {false, true}) {
            try (Tensor tx = cpu.upload(s, x); Tensor ty = cpu.allocate(s); Tensor tr = cpu.upload(s, r);
                    Tensor tdx = cpu.allocate(s)) {
                cpu.softmax().forward(tx, log, ty);
                cpu.softmax().backward(ty, tr, log, tdx);
                assertGradient(log ? "log-softmax" : "softmax", x, v -> run(s, v, (a, b) -> cpu.softmax().forward(a, log, b)),
                        r, tdx.toArray());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PoolMode.class)
    void poolingWithOverlapAndPadding(PoolMode mode) {
        Shape s = Shape.of(2, 2, 5, 4);
        PoolSpec spec = new PoolSpec(mode, 3, 2, 2, 1, new Padding2D(1, 0, 1, 1));
        Shape ys = spec.outputShape(s);
        // Distinct values spaced well apart, so a small step never changes which element is the maximum.
        float[] x = new float[s.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = ((i * 37) % x.length) * 0.1f - 2f;
        }
        float[] r = Random32.uniform(ys.size(), 52);
        try (Tensor tx = cpu.upload(s, x); Tensor ty = cpu.allocate(ys); Tensor tr = cpu.upload(ys, r);
                Tensor tdx = cpu.allocate(s)) {
            cpu.pooling().forward(tx, spec, ty);
            cpu.pooling().backward(tx, ty, tr, spec, tdx);
            assertGradient(mode.name(), x, v -> {
                try (Tensor a = cpu.upload(s, v); Tensor b = cpu.allocate(ys)) {
                    cpu.pooling().forward(a, spec, b);
                    return b.toArray();
                }
            }, r, tdx.toArray());
        }
    }

    @Test
    void denseInputAndWeights() {
        Shape xs = Shape.of(3, 2, 2, 2);
        Shape ws = Shape.of(4, 8);
        Shape ys = Shape.of(3, 4);
        float[] x = Random32.uniform(xs.size(), 61);
        float[] w = Random32.uniform(ws.size(), 62);
        float[] r = Random32.uniform(ys.size(), 63);
        try (Tensor tx = cpu.upload(xs, x); Tensor tw = cpu.upload(ws, w); Tensor tr = cpu.upload(ys, r);
                Tensor tdx = cpu.allocate(xs); Tensor tdw = cpu.allocate(ws)) {
            cpu.dense().backwardData(tr, tw, tdx);
            cpu.dense().backwardWeights(tx, tr, tdw);
            assertGradient("dense dx", x, v -> {
                try (Tensor a = cpu.upload(xs, v); Tensor y = cpu.allocate(ys)) {
                    cpu.dense().forward(a, tw, null, y);
                    return y.toArray();
                }
            }, r, tdx.toArray());
            assertGradient("dense dw", w, v -> {
                try (Tensor a = cpu.upload(ws, v); Tensor y = cpu.allocate(ys)) {
                    cpu.dense().forward(tx, a, null, y);
                    return y.toArray();
                }
            }, r, tdw.toArray());
        }
    }

    @Test
    void losses() {
        Shape s = Shape.of(3, 5);
        float[] x = Random32.uniform(s.size(), 71);
        float[] t = Random32.uniform(s.size(), 72);
        for (int i = 0; i < t.length; i++) {
            t[i] = Math.abs(t[i]);
        }
        int[] labels = {4, 0, 2};
        float[] one = {1};
        try (Tensor tx = cpu.upload(s, x); Tensor tt = cpu.upload(s, t); Tensor d = cpu.allocate(s)) {
            cpu.losses().softmaxCrossEntropy(tx, labels, d);
            assertGradient("softmax cross-entropy", x, v -> new float[] {loss(s, v, a -> cpu.losses().softmaxCrossEntropy(a, labels, null))},
                    one, d.toArray());
            cpu.losses().sigmoidCrossEntropy(tx, tt, d);
            assertGradient("sigmoid cross-entropy", x, v -> new float[] {loss(s, v, a -> cpu.losses().sigmoidCrossEntropy(a, tt, null))},
                    one, d.toArray());
            cpu.losses().meanSquaredError(tx, tt, d);
            assertGradient("mean squared error", x, v -> new float[] {loss(s, v, a -> cpu.losses().meanSquaredError(a, tt, null))},
                    one, d.toArray());
        }
    }

    private interface Op {
        void apply(Tensor in, Tensor out);
    }

    private interface LossOp {
        float apply(Tensor in);
    }

    private float[] run(Shape s, float[] x, Op op) {
        try (Tensor a = cpu.upload(s, x); Tensor b = cpu.allocate(s)) {
            op.apply(a, b);
            return b.toArray();
        }
    }

    private float loss(Shape s, float[] x, LossOp op) {
        try (Tensor a = cpu.upload(s, x)) {
            return op.apply(a);
        }
    }
}
