package dev.jcnn.testing.conformance;

import dev.jcnn.backend.Backend;
import dev.jcnn.testing.oracle.OracleBackend;
import org.junit.jupiter.api.Nested;

/**
 * Runs every conformance suite against {@link OracleBackend}: the comparisons with the oracle
 * are then trivial, but the gradient checks, the properties, the overwrite and message checks
 * are not, so this keeps the suite itself consistent before any real backend runs it.
 */
class OracleConformanceTest {

    /** Every case of the op table against the oracle. */
    @Nested
    class OpCases extends OpCaseConformance {
        @Override
        protected Backend createBackend() {
            return new OracleBackend();
        }
    }

    @Nested
    class Memory extends MemoryConformance {
        @Override
        protected Backend createBackend() {
            return new OracleBackend();
        }
    }

    @Nested
    class Convolution extends ConvolutionConformance {
        @Override
        protected Backend createBackend() {
            return new OracleBackend();
        }
    }

    @Nested
    class Pooling extends PoolingConformance {
        @Override
        protected Backend createBackend() {
            return new OracleBackend();
        }
    }

    @Nested
    class Dense extends DenseConformance {
        @Override
        protected Backend createBackend() {
            return new OracleBackend();
        }
    }

    @Nested
    class Activations extends ActivationConformance {
        @Override
        protected Backend createBackend() {
            return new OracleBackend();
        }
    }

    @Nested
    class Softmax extends SoftmaxConformance {
        @Override
        protected Backend createBackend() {
            return new OracleBackend();
        }
    }

    @Nested
    class Losses extends LossConformance {
        @Override
        protected Backend createBackend() {
            return new OracleBackend();
        }
    }

    @Nested
    class Optimizers extends OptimizerConformance {
        @Override
        protected Backend createBackend() {
            return new OracleBackend();
        }
    }

    @Nested
    class Channels extends ChannelConformance {
        @Override
        protected Backend createBackend() {
            return new OracleBackend();
        }
    }

    @Nested
    class Resampling extends ResamplingConformance {
        @Override
        protected Backend createBackend() {
            return new OracleBackend();
        }
    }

    @Nested
    class Normalization extends NormalizationConformance {
        @Override
        protected Backend createBackend() {
            return new OracleBackend();
        }
    }
}
