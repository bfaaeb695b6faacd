package dev.jcnn.testing.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;
import dev.jcnn.testing.ForwardingBackend;
import dev.jcnn.testing.cases.ActivationCases;
import dev.jcnn.testing.cases.ConvConfig;
import dev.jcnn.testing.cases.ConvolutionCases;
import dev.jcnn.testing.cases.OpCase;
import dev.jcnn.testing.cases.PoolConfig;
import dev.jcnn.testing.cases.PoolingCases;
import dev.jcnn.testing.oracle.OracleBackend;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The suites have teeth: each test here injects one plausible backend bug into the oracle
 * backend and shows that the suite's test for it fails, the op table's case or a property.
 */
class FaultDetectionTest {

    private static final ConvConfig PADDED_STRIDED = ConvConfig.of(2, 3, 13, 13, 2, ConvSpec.of(5, 2, 2));

    /** Runs the op table's case on the backend against the oracle, as the conformance suite does. */
    private static void check(OpCase c, Backend b) {
        try (Backend oracle = new OracleBackend()) {
            OpCaseConformance.check(c, b, oracle);
        }
    }

    /** Runs one suite test the way JUnit would, on the given backend. */
    private static <S extends BackendConformance> void run(S suite, Consumer<S> test) {
        suite.startBackend();
        suite.openScope();
        try {
            test.accept(suite);
        } finally {
            suite.closeScope();
            suite.closeBackend();
        }
    }

    private static ConvolutionConformance conv(Backend b) {
        return new ConvolutionConformance() {
            @Override
            protected Backend createBackend() {
                return b;
            }
        };
    }

    private static PoolingConformance pool(Backend b) {
        return new PoolingConformance() {
            @Override
            protected Backend createBackend() {
                return b;
            }
        };
    }

    @Test
    void filterGradientThatAccumulates() {
        Backend faulty = new ForwardingBackend(new OracleBackend()) {
            @Override
            public void convBackwardFilter(Tensor x, Tensor dy, ConvSpec spec, Tensor dw) {
                float[] old = dw.toArray();
                delegate.convBackwardFilter(x, dy, spec, dw);
                try (Tensor previous = delegate.upload(dw.shape(), old)) {
                    delegate.add(dw, previous, dw);
                }
            }
        };
        AssertionError e = assertThrows(AssertionError.class, () -> check(ConvolutionCases.conv2d(PADDED_STRIDED), faulty));
        assertTrue(e.getMessage().contains("dw after a second call"), e.getMessage());
    }

    @Test
    void dataGradientOffByOnePercent() {
        // the comparison with the oracle is not needed to see it: finite differences catch it too
        Backend faulty = new ForwardingBackend(new OracleBackend()) {
            @Override
            public void convBackwardData(Tensor dy, Tensor w, ConvSpec spec, Tensor dx) {
                delegate.convBackwardData(dy, w, spec, dx);
                delegate.scale(dx, 1.01f, dx);
            }
        };
        assertThrows(AssertionError.class, () -> run(conv(faulty), s -> s.gradients(PADDED_STRIDED)));
        assertThrows(AssertionError.class, () -> check(ConvolutionCases.conv2d(PADDED_STRIDED), faulty));
    }

    @Test
    void convolutionThatIsNotTranslationEquivariant() {
        Backend faulty = new ForwardingBackend(new OracleBackend()) {
            @Override
            public void convForward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y) {
                delegate.convForward(x, w, b, spec, y);
                float[] v = y.toArray();
                int ow = y.shape().dim(3);
                for (int i = 0; i < v.length; i++) {
                    v[i] += 1e-3f * (i / ow % y.shape().dim(2));   // a term that grows with the row
                }
                delegate.write(y, v);
            }
        };
        assertThrows(AssertionError.class, () -> run(conv(faulty), s -> s.translationEquivariance(1, 0, 2, 1)));
    }

    @Test
    void excludePadAverageThatCountsPadding() {
        Backend faulty = new ForwardingBackend(new OracleBackend()) {
            @Override
            public void poolBackward(Tensor x, Tensor y, Tensor dy, PoolSpec spec, Tensor dx) {
                delegate.poolBackward(x, y, dy, new PoolSpec(PoolMode.AVERAGE_INCLUDE_PAD, spec.windowH(), spec.windowW(),
                        spec.strideH(), spec.strideW(), spec.padding()), dx);
            }
        };
        PoolConfig padded = new PoolConfig(2, 2, 7, 7, new PoolSpec(PoolMode.AVERAGE_EXCLUDE_PAD, 3, 3, 2, 2, Padding2D.of(1)));
        assertThrows(AssertionError.class, () -> check(PoolingCases.pool2d(padded), faulty));
        assertThrows(AssertionError.class, () -> run(pool(faulty), s -> s.gradient(padded)));
    }

    @Test
    void maxPoolThatAverages() {
        Backend faulty = new ForwardingBackend(new OracleBackend()) {
            @Override
            public void poolForward(Tensor x, PoolSpec spec, Tensor y) {
                delegate.poolForward(x, new PoolSpec(PoolMode.AVERAGE_INCLUDE_PAD, spec.windowH(), spec.windowW(),
                        spec.strideH(), spec.strideW(), spec.padding()), y);
            }
        };
        assertThrows(AssertionError.class, () -> run(pool(faulty), s -> s.maxPoolIgnoresSmallShifts(1, 1)));
        assertThrows(AssertionError.class, () -> run(pool(faulty), PoolingConformance::slidesMaxPoolExample));
    }

    @Test
    void softmaxWithoutShiftingByTheMaximum() {
        Backend faulty = new ForwardingBackend(new OracleBackend()) {
            @Override
            public void softmaxForward(Tensor x, boolean log, Tensor y) {
                float[] v = x.toArray();
                int classes = x.shape().dim(1);
                for (int n = 0; n < x.shape().dim(0); n++) {
                    float sum = 0;
                    for (int c = 0; c < classes; c++) {
                        sum += (float) Math.exp(v[n * classes + c]);
                    }
                    for (int c = 0; c < classes; c++) {
                        float p = (float) Math.exp(v[n * classes + c]) / sum;
                        v[n * classes + c] = log ? (float) Math.log(p) : p;
                    }
                }
                delegate.write(y, v);
            }
        };
        SoftmaxConformance suite = new SoftmaxConformance() {
            @Override
            protected Backend createBackend() {
                return faulty;
            }
        };
        assertThrows(AssertionError.class, () -> run(suite, s -> s.largeLogits(false)));
    }

    @Test
    void crossEntropyThatDoesNotCheckLabels() {
        Backend faulty = new ForwardingBackend(new OracleBackend()) {
            @Override
            public float softmaxCrossEntropy(Tensor logits, int[] labels, Tensor dlogits) {
                int[] clamped = labels.clone();
                for (int i = 0; i < clamped.length; i++) {
                    clamped[i] = Math.max(0, Math.min(clamped[i], logits.shape().dim(1) - 1));
                }
                return delegate.softmaxCrossEntropy(logits, clamped, dlogits);
            }
        };
        LossConformance suite = new LossConformance() {
            @Override
            protected Backend createBackend() {
                return faulty;
            }
        };
        assertThrows(AssertionError.class, () -> run(suite, LossConformance::labelTooLarge));
    }

    @Test
    void activationThatLeavesTheLastElementAlone() {
        // the op table fills every output with NaN first: an op that does not write all of it shows
        Backend faulty = new ForwardingBackend(new OracleBackend()) {
            @Override
            public void activationForward(ActivationSpec f, Tensor x, Tensor y) {
                float[] before = y.toArray();
                delegate.activationForward(f, x, y);
                float[] after = y.toArray();
                after[after.length - 1] = before[before.length - 1];
                delegate.write(y, after);
            }
        };
        AssertionError e = assertThrows(AssertionError.class,
                () -> check(ActivationCases.activation(ActivationSpec.TANH, Shape.of(3, 10)), faulty));
        assertTrue(e.getMessage().contains("worst at index [2, 9] (flat 29): actual NaN"), e.getMessage());
    }

    @Test
    void vagueShapeMessage() {
        Backend faulty = new ForwardingBackend(new OracleBackend()) {
            @Override
            public void convForward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y) {
                if (!y.shape().equals(spec.outputShape(x.shape(), w.shape().dim(0)))) {
                    throw new IllegalArgumentException("bad shape");
                }
                delegate.convForward(x, w, b, spec, y);
            }
        };
        assertThrows(AssertionError.class, () -> run(conv(faulty), ConvolutionConformance::wrongOutputShape));
    }

    @Test
    void theUnbrokenOracleBackendPassesTheSameTests() {
        Backend oracle = new OracleBackend();
        check(ConvolutionCases.conv2d(PADDED_STRIDED), oracle);
        check(PoolingCases.pool2d(new PoolConfig(2, 2, 7, 7,
                new PoolSpec(PoolMode.AVERAGE_EXCLUDE_PAD, 3, 3, 2, 2, Padding2D.of(1)))), new OracleBackend());
        run(conv(new OracleBackend()), s -> {
            s.gradients(PADDED_STRIDED);
            s.translationEquivariance(1, 0, 2, 1);
            s.wrongOutputShape();
        });
        run(pool(new OracleBackend()), s -> s.maxPoolIgnoresSmallShifts(1, 1));
    }
}
