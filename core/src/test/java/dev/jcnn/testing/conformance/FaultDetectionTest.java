package dev.jcnn.testing.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.ActivationOps;
import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.ConvolutionOps;
import dev.jcnn.backend.CrossEntropySpec;
import dev.jcnn.backend.LossOps;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.PoolingOps;
import dev.jcnn.backend.SoftmaxOps;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.ForwardingBackend;
import dev.jcnn.testing.cases.ActivationCases;
import dev.jcnn.testing.cases.ConvConfig;
import dev.jcnn.testing.cases.ConvolutionCases;
import dev.jcnn.testing.cases.OpCase;
import dev.jcnn.testing.cases.PoolConfig;
import dev.jcnn.testing.cases.PoolingCases;
import dev.jcnn.testing.oracle.OracleBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The suites have teeth: each test here injects one plausible backend bug into the oracle
 * backend (a family of {@link ForwardingBackend} with one kernel overridden) and shows that
 * the suite's test for it fails, the op table's case or a property. Bugs in argument checks can no longer be injected: the checks
 * run in core before any kernel, which {@link #argumentChecksRunBeforeTheKernel} shows.
 */
class FaultDetectionTest {

    private static final ConvConfig PADDED_STRIDED = ConvConfig.of(2, 3, 13, 13, 2, ConvSpec.of(5, 2, 2));

    /** Runs the op table's case on the backend against the oracle, as the conformance suite does. */
    private static void check(OpCase c, Supplier<Backend> b) {
        try (Backend backend = b.get(); Backend oracle = new OracleBackend()) {
            OpCaseConformance.check(c, backend, oracle);
        }
    }

    /** Runs one suite test the way JUnit would, on a backend of its own (closed after it). */
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

    private static ConvolutionConformance conv(Supplier<Backend> b) {
        return new ConvolutionConformance() {
            @Override
            protected Backend createBackend() {
                return b.get();
            }
        };
    }

    private static PoolingConformance pool(Supplier<Backend> b) {
        return new PoolingConformance() {
            @Override
            protected Backend createBackend() {
                return b.get();
            }
        };
    }

    /** The oracle backend with its convolution family replaced. */
    private static Supplier<Backend> withConvolution(Function<ForwardingBackend, ConvolutionOps<?>> family) {
        return () -> new ForwardingBackend(new OracleBackend()) {
            private final ConvolutionOps<?> faulty = family.apply(this);

            @Override
            public ConvolutionOps<?> convolution() {
                return faulty;
            }
        };
    }

    /** The oracle backend with its pooling family replaced. */
    private static Supplier<Backend> withPooling(Function<ForwardingBackend, PoolingOps<?>> family) {
        return () -> new ForwardingBackend(new OracleBackend()) {
            private final PoolingOps<?> faulty = family.apply(this);

            @Override
            public PoolingOps<?> pooling() {
                return faulty;
            }
        };
    }

    @Test
    void filterGradientThatAccumulates() {
        Supplier<Backend> faulty = withConvolution(f -> new ForwardingBackend.Convolution(f) {
            @Override
            protected void computeBackwardFilter(Tensor x, Tensor dy, ConvSpec spec, Tensor dw) {
                float[] old = dw.toArray();
                super.computeBackwardFilter(x, dy, spec, dw);
                try (Tensor previous = delegate.upload(dw.shape(), old)) {
                    delegate.elementwise().add(dw, previous, dw);
                }
            }
        });
        AssertionError e = assertThrows(AssertionError.class,
                () -> check(ConvolutionCases.conv2d(PADDED_STRIDED), faulty));
        assertTrue(e.getMessage().contains("dw after a second call"), e.getMessage());
    }

    @Test
    void dataGradientOffByOnePercent() {
        // the comparison with the oracle is not needed to see it: finite differences catch it too
        Supplier<Backend> faulty = withConvolution(f -> new ForwardingBackend.Convolution(f) {
            @Override
            protected void computeBackwardData(Tensor dy, Tensor w, ConvSpec spec, Tensor dx) {
                super.computeBackwardData(dy, w, spec, dx);
                delegate.elementwise().scale(dx, 1.01f, dx);
            }
        });
        assertThrows(AssertionError.class, () -> run(conv(faulty), s -> s.gradients(PADDED_STRIDED)));
        assertThrows(AssertionError.class, () -> check(ConvolutionCases.conv2d(PADDED_STRIDED), faulty));
    }

    @Test
    void convolutionThatIsNotTranslationEquivariant() {
        Supplier<Backend> faulty = withConvolution(f -> new ForwardingBackend.Convolution(f) {
            @Override
            protected void computeForward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y) {
                super.computeForward(x, w, b, spec, y);
                float[] v = y.toArray();
                int ow = y.shape().dim(3);
                for (int i = 0; i < v.length; i++) {
                    v[i] += 1e-3f * (i / ow % y.shape().dim(2));   // a term that grows with the row
                }
                delegate.write(y, v);
            }
        });
        assertThrows(AssertionError.class, () -> run(conv(faulty), s -> s.translationEquivariance(1, 0, 2, 1)));
    }

    @Test
    void excludePadAverageThatCountsPadding() {
        Supplier<Backend> faulty = withPooling(f -> new ForwardingBackend.Pooling(f) {
            @Override
            protected void computeBackward(Tensor x, Tensor y, Tensor dy, PoolSpec spec, Tensor dx) {
                super.computeBackward(x, y, dy, new PoolSpec(PoolMode.AVERAGE_INCLUDE_PAD, spec.windowH(),
                        spec.windowW(), spec.strideH(), spec.strideW(), spec.padding()), dx);
            }
        });
        PoolConfig padded = new PoolConfig(2, 2, 7, 7, new PoolSpec(PoolMode.AVERAGE_EXCLUDE_PAD, 3, 3, 2, 2, Padding2D.of(1)));
        assertThrows(AssertionError.class, () -> check(PoolingCases.pool2d(padded), faulty));
        assertThrows(AssertionError.class, () -> run(pool(faulty), s -> s.gradient(padded)));
    }

    @Test
    void maxPoolThatAverages() {
        Supplier<Backend> faulty = withPooling(f -> new ForwardingBackend.Pooling(f) {
            @Override
            protected void computeForward(Tensor x, PoolSpec spec, Tensor y) {
                super.computeForward(x, new PoolSpec(PoolMode.AVERAGE_INCLUDE_PAD, spec.windowH(), spec.windowW(),
                        spec.strideH(), spec.strideW(), spec.padding()), y);
            }
        });
        assertThrows(AssertionError.class, () -> run(pool(faulty), s -> s.maxPoolIgnoresSmallShifts(1, 1)));
        assertThrows(AssertionError.class, () -> run(pool(faulty), PoolingConformance::slidesMaxPoolExample));
    }

    @Test
    void softmaxWithoutShiftingByTheMaximum() {
        Supplier<Backend> faulty = () -> new ForwardingBackend(new OracleBackend()) {
            private final SoftmaxOps<?> unshifted = new Softmax(this) {
                @Override
                protected void computeForward(Tensor x, boolean log, Tensor y) {
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

            @Override
            public SoftmaxOps<?> softmax() {
                return unshifted;
            }
        };
        SoftmaxConformance suite = new SoftmaxConformance() {
            @Override
            protected Backend createBackend() {
                return faulty.get();
            }
        };
        assertThrows(AssertionError.class, () -> run(suite, s -> s.largeLogits(false)));
    }

    @Test
    void activationThatLeavesTheLastElementAlone() {
        // the op table fills every output with NaN first: an op that does not write all of it shows
        Supplier<Backend> faulty = () -> new ForwardingBackend(new OracleBackend()) {
            private final ActivationOps<?> lazy = new Activations(this) {
                @Override
                protected void computeForward(ActivationSpec f, Tensor x, Tensor y) {
                    float[] before = y.toArray();
                    super.computeForward(f, x, y);
                    float[] after = y.toArray();
                    after[after.length - 1] = before[before.length - 1];
                    delegate.write(y, after);
                }
            };

            @Override
            public ActivationOps<?> activations() {
                return lazy;
            }
        };
        AssertionError e = assertThrows(AssertionError.class,
                () -> check(ActivationCases.activation(ActivationSpec.TANH, Shape.of(3, 10)), faulty));
        assertTrue(e.getMessage().contains("worst at index [2, 9] (flat 29): actual NaN"), e.getMessage());
    }

    /**
     * The checks that were a backend's to forget run in core, before any kernel: a kernel that
     * would clamp bad labels, or answer a wrong output shape with a vague message, never sees
     * such arguments, so the suites' tests of those checks pass on it.
     */
    @Test
    void argumentChecksRunBeforeTheKernel() {
        List<String> reached = new ArrayList<>();
        Supplier<Backend> clamping = () -> new ForwardingBackend(new OracleBackend()) {
            private final LossOps<?> losses = new Losses(this) {
                @Override
                protected float computeSoftmaxCrossEntropy(Tensor logits, int[] labels, CrossEntropySpec spec,
                        double weightSum, Tensor dlogits) {
                    reached.add("softmaxCrossEntropy");
                    int[] clamped = labels.clone();
                    for (int i = 0; i < clamped.length; i++) {
                        clamped[i] = Math.max(0, Math.min(clamped[i], logits.shape().dim(1) - 1));
                    }
                    return super.computeSoftmaxCrossEntropy(logits, clamped, spec, weightSum, dlogits);
                }
            };

            @Override
            public LossOps<?> losses() {
                return losses;
            }
        };
        LossConformance suite = new LossConformance() {
            @Override
            protected Backend createBackend() {
                return clamping.get();
            }
        };
        run(suite, LossConformance::labelTooLarge);
        run(suite, LossConformance::negativeLabel);

        Supplier<Backend> vague = withConvolution(f -> new ForwardingBackend.Convolution(f) {
            @Override
            protected void computeForward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y) {
                reached.add("convForward");
                throw new IllegalArgumentException("bad shape");
            }

            @Override
            protected void computeBackwardData(Tensor dy, Tensor w, ConvSpec spec, Tensor dx) {
                reached.add("convBackwardData");
                throw new IllegalArgumentException("bad shape");
            }
        });
        run(conv(vague), ConvolutionConformance::wrongOutputShape);
        assertEquals(List.of(), reached);
    }

    @Test
    void theUnbrokenOracleBackendPassesTheSameTests() {
        check(ConvolutionCases.conv2d(PADDED_STRIDED), OracleBackend::new);
        check(PoolingCases.pool2d(new PoolConfig(2, 2, 7, 7,
                new PoolSpec(PoolMode.AVERAGE_EXCLUDE_PAD, 3, 3, 2, 2, Padding2D.of(1)))), OracleBackend::new);
        run(conv(OracleBackend::new), s -> {
            s.gradients(PADDED_STRIDED);
            s.translationEquivariance(1, 0, 2, 1);
            s.wrongOutputShape();
        });
        run(pool(OracleBackend::new), s -> s.maxPoolIgnoresSmallShifts(1, 1));
    }
}
