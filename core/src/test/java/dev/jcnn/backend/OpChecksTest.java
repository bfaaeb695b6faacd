package dev.jcnn.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contracts of OpChecks that the backends rely on and the conformance suites cannot see
 * directly: what the methods return, and when the backend's ownership hook runs.
 */
class OpChecksTest {

    /** A tensor with a shape and nothing else: OpChecks never reads values or the backend. */
    private record Bare(Shape shape) implements Tensor {
        @Override
        public Backend backend() {
            throw new UnsupportedOperationException("OpChecks must not ask for the backend");
        }

        @Override
        public void close() {
        }
    }

    private static Tensor t(int... dims) {
        return new Bare(Shape.of(dims));
    }

    @Test
    void convForwardReturnsTheOutputShapeAndRefusesAnAliasedOutput() {
        Tensor x = t(2, 3, 8, 8);
        Tensor w = t(4, 3, 3, 3);
        ConvSpec spec = ConvSpec.of(3, 1, 1);
        assertEquals(Shape.of(2, 4, 8, 8), OpChecks.convForward(x, w, t(4), spec, t(2, 4, 8, 8)));
        Tensor same = t(2, 3, 8, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpChecks.convForward(same, t(3, 3, 3, 3), null, spec, same));
        assertEquals("convForward: output y must not be the same tensor as input x", e.getMessage());
    }

    @Test
    void denseReturnsBatchInputsAndOutputs() {
        OpChecks.DenseSizes d = OpChecks.denseForward(t(5, 2, 3), t(7, 6), null, t(5, 7));
        assertEquals(new OpChecks.DenseSizes(5, 6, 7), d);
    }

    @Test
    void sgdLooksAtTheVelocityOnlyWithMomentum() {
        Tensor p = t(3);
        assertFalse(OpChecks.sgdUpdate(p, t(3), null, new SgdSpec(0.1f, 0f, false, 0f)));
        assertTrue(OpChecks.sgdUpdate(p, t(3), t(3), new SgdSpec(0.1f, 0.9f, false, 0f)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpChecks.sgdUpdate(p, t(3), null, new SgdSpec(0.1f, 0.9f, false, 0f)));
        assertEquals("sgdUpdate: momentum 0.9 needs a velocity tensor of shape (3), got null", e.getMessage());
    }

    @Test
    void concatHandsEachPartToTheBackendBeforeCheckingItsShape() {
        List<String> seen = new ArrayList<>();
        int[] channels = OpChecks.concatChannels(List.of(t(2, 1, 4, 4), t(2, 3, 4, 4)), t(2, 4, 4, 4),
                (name, part) -> seen.add(name));
        assertEquals(List.of("xs[0]", "xs[1]"), seen);
        assertEquals(List.of(1, 3), List.of(channels[0], channels[1]));

        // A part of the wrong shape that is not the backend's: the ownership error comes first.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OpChecks.concatChannels(List.of(t(2, 1, 5, 5)), t(2, 1, 4, 4), (name, part) -> {
                    throw new IllegalStateException(name + " is foreign");
                }));
        assertEquals("xs[0] is foreign", e.getMessage());
    }

    @Test
    void splitRefusesTheSamePartTwice() {
        Tensor part = t(2, 1, 4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpChecks.splitChannels(t(2, 2, 4, 4), List.of(part, part), (name, p) -> { }));
        assertEquals("splitChannels: output dxs[1] must not be the same tensor as input dxs[0]", e.getMessage());
    }

    @Test
    void sigmoidTargetsOutsideTheUnitIntervalAreNamedByIndex() {
        Tensor logits = t(2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpChecks.sigmoidCrossEntropy(logits, t(2, 2), new float[] {0f, 1f, 1.5f, 0f}, null));
        assertEquals("sigmoidCrossEntropy: target 1.5 at index 2 of targets (2, 2) is outside [0, 1]",
                e.getMessage());
    }
}
