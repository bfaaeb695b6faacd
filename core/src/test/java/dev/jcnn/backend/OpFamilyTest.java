package dev.jcnn.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.ForwardingBackend;
import dev.jcnn.testing.oracle.OracleBackend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The checks that every op family runs before a backend's kernel, seen from outside: the
 * owner and open checks of {@link Backend}, the argument checks the conformance suites cannot
 * see directly (what is looked at and in which order), and that a failed check never reaches
 * the kernel. The oracle backend stands in for any backend: it gets the same checks.
 */
class OpFamilyTest {

    private final OracleBackend oracle = new OracleBackend();
    private final List<Tensor> tensors = new ArrayList<>();

    @AfterEach
    void closeTensors() {
        tensors.forEach(Tensor::close);
    }

    private Tensor t(int... dims) {
        return t(oracle, dims);
    }

    private Tensor t(Backend b, int... dims) {
        Tensor t = b.allocate(Shape.of(dims));
        tensors.add(t);
        return t;
    }

    private static void assertMessage(String expected, Executable op) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, op).getMessage());
    }

    @Test
    void convForwardRefusesAnAliasedOutput() {
        Tensor same = t(2, 3, 8, 8);
        Tensor w = t(3, 3, 3, 3);
        ConvSpec spec = ConvSpec.of(3, 1, 1);
        assertMessage("convForward: output y must not be the same tensor as input x",
                () -> oracle.convolution().forward(same, w, null, spec, same));
    }

    @Test
    void denseTakesAnyShapeWithTheWeightsInputsPerSample() {
        oracle.dense().forward(t(5, 2, 3), t(7, 6), null, t(5, 7));
        assertMessage("denseForward: x has shape (5, 2, 3) with 6 values per sample, expected 5 to match the weights"
                + " (7, 5)", () -> oracle.dense().forward(t(5, 2, 3), t(7, 5), null, t(5, 7)));
    }

    @Test
    void sgdLooksAtTheVelocityOnlyWithMomentum() {
        OracleBackend other = new OracleBackend();
        // without momentum a velocity is not looked at: neither its shape nor its owner
        oracle.optimizers().sgd(t(3), t(3), t(other, 7), new SgdSpec(0.1f, 0f, false, 0f));
        oracle.optimizers().sgd(t(3), t(3), t(3), new SgdSpec(0.1f, 0.9f, false, 0f));
        assertMessage("sgdUpdate: momentum 0.9 needs a velocity tensor of shape (3), got null",
                () -> oracle.optimizers().sgd(t(3), t(3), null, new SgdSpec(0.1f, 0.9f, false, 0f)));
    }

    @Test
    void concatChecksEachPartsOwnerBeforeItsShape() {
        OracleBackend other = new OracleBackend();
        Tensor foreign = t(other, 2, 1, 5, 5);
        assertMessage("concatChannels: tensor xs[1] (2, 1, 5, 5) belongs to another oracle backend, not to this oracle"
                + " backend", () -> oracle.channels().concat(List.of(t(2, 1, 4, 4), foreign), t(2, 2, 4, 4)));
        assertMessage("concatChannels: xs is empty, expected at least one tensor",
                () -> oracle.channels().concat(List.of(), t(2, 2, 4, 4)));
    }

    @Test
    void splitRefusesTheSamePartTwice() {
        Tensor part = t(2, 1, 4, 4);
        assertMessage("splitChannels: output dxs[1] must not be the same tensor as input dxs[0]",
                () -> oracle.channels().split(t(2, 2, 4, 4), List.of(part, part)));
    }

    @Test
    void sigmoidTargetsOutsideTheUnitIntervalAreNamedByIndex() {
        Tensor targets = oracle.upload(Shape.of(2, 2), new float[] {0f, 1f, 1.5f, 0f});
        tensors.add(targets);
        assertMessage("sigmoidCrossEntropy: target 1.5 at index 2 of targets (2, 2) is outside [0, 1]",
                () -> oracle.losses().sigmoidCrossEntropy(t(2, 2), targets, null));
    }

    @Test
    void nullForeignAndClosedTensorsAreRefusedByName() {
        assertMessage("add: tensor b is null", () -> oracle.elementwise().add(t(3), null, t(3)));
        Tensor foreign = t(new ForwardingBackend(new OracleBackend()), 3);
        assertMessage("fill: tensor t (3) belongs to another oracle backend, not to this oracle backend",
                () -> oracle.elementwise().fill(foreign, 1f));
        Tensor closed = t(3);
        closed.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> oracle.read(closed, new float[3]));
        assertEquals("read: tensor t (3) is closed", e.getMessage());
    }

    @Test
    void aClosedBackendRefusesEveryOp() {
        OracleBackend b = new OracleBackend();
        Tensor x = b.allocate(Shape.of(2));
        b.close();
        assertEquals("allocate: the oracle backend is closed",
                assertThrows(IllegalStateException.class, () -> b.allocate(Shape.of(1))).getMessage());
        assertEquals("scale: the oracle backend is closed",
                assertThrows(IllegalStateException.class, () -> b.elementwise().scale(x, 2f, x)).getMessage());
        b.close(); // a second close does nothing
    }

    @Test
    void aFailedCheckNeverReachesTheKernel() {
        List<String> calls = new ArrayList<>();
        Backend recording = new ForwardingBackend(oracle) {
            private final PoolingOps<?> pooling = new Pooling(this) {
                @Override
                protected void computeForward(Tensor x, PoolSpec spec, Tensor y) {
                    calls.add("forward " + x.shape() + " to " + y.shape());
                    super.computeForward(x, spec, y);
                }
            };

            @Override
            public PoolingOps<?> pooling() {
                return pooling;
            }
        };
        PoolSpec spec = PoolSpec.of(PoolMode.MAX, 2, 2);
        assertThrows(IllegalArgumentException.class,
                () -> recording.pooling().forward(t(1, 1, 4, 4), spec, t(1, 1, 3, 3)));
        assertThrows(IllegalArgumentException.class,
                () -> recording.pooling().forward(t(1, 1, 4, 4), null, t(1, 1, 2, 2)));
        assertEquals(List.of(), calls);
        recording.pooling().forward(t(1, 1, 4, 4), spec, t(1, 1, 2, 2));
        assertEquals(List.of("forward (1, 1, 4, 4) to (1, 1, 2, 2)"), calls);
    }

    @Test
    void aForwardingBackendRunsOnItsDelegatesTensors() {
        ForwardingBackend forwarding = new ForwardingBackend(oracle);
        Tensor x = forwarding.upload(Shape.of(2), new float[] {1f, -2f});
        tensors.add(x);
        assertSame(oracle, x.backend());
        forwarding.elementwise().scale(x, 3f, x);
        float[] v = new float[2];
        oracle.read(x, v);
        assertEquals(List.of(3f, -6f), List.of(v[0], v[1]));
        assertSame(forwarding, forwarding.elementwise().backend());
    }
}
