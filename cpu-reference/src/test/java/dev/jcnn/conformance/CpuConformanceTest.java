package dev.jcnn.conformance;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.testing.conformance.ActivationConformance;
import dev.jcnn.testing.conformance.ChannelConformance;
import dev.jcnn.testing.conformance.ConvolutionConformance;
import dev.jcnn.testing.conformance.DenseConformance;
import dev.jcnn.testing.conformance.LossConformance;
import dev.jcnn.testing.conformance.MemoryConformance;
import dev.jcnn.testing.conformance.NormalizationConformance;
import dev.jcnn.testing.conformance.OpCaseConformance;
import dev.jcnn.testing.conformance.OptimizerConformance;
import dev.jcnn.testing.conformance.PoolingConformance;
import dev.jcnn.testing.conformance.ResamplingConformance;
import dev.jcnn.testing.conformance.SoftmaxConformance;
import org.junit.jupiter.api.Nested;

/**
 * Core's conformance suites, the same test bodies cuda-backend runs, on {@link CpuBackend}.
 * Two threads, so that the parallel paths run as they do in training.
 */
class CpuConformanceTest {

    private static Backend cpu() {
        return new CpuBackend(BackendOptions.exact().withThreads(2));
    }

    /** Every case of the op table against the oracle. */
    @Nested
    class OpCases extends OpCaseConformance {
        @Override
        protected Backend createBackend() {
            return cpu();
        }
    }

    @Nested
    class Memory extends MemoryConformance {
        @Override
        protected Backend createBackend() {
            return cpu();
        }

    }

    @Nested
    class Convolution extends ConvolutionConformance {
        @Override
        protected Backend createBackend() {
            return cpu();
        }
    }

    @Nested
    class Pooling extends PoolingConformance {
        @Override
        protected Backend createBackend() {
            return cpu();
        }
    }

    @Nested
    class Dense extends DenseConformance {
        @Override
        protected Backend createBackend() {
            return cpu();
        }
    }

    @Nested
    class Activations extends ActivationConformance {
        @Override
        protected Backend createBackend() {
            return cpu();
        }
    }

    @Nested
    class Softmax extends SoftmaxConformance {
        @Override
        protected Backend createBackend() {
            return cpu();
        }
    }

    @Nested
    class Losses extends LossConformance {
        @Override
        protected Backend createBackend() {
            return cpu();
        }
    }

    @Nested
    class Optimizers extends OptimizerConformance {
        @Override
        protected Backend createBackend() {
            return cpu();
        }
    }

    @Nested
    class Channels extends ChannelConformance {
        @Override
        protected Backend createBackend() {
            return cpu();
        }
    }

    @Nested
    class Resampling extends ResamplingConformance {
        @Override
        protected Backend createBackend() {
            return cpu();
        }
    }

    @Nested
    class Normalization extends NormalizationConformance {
        @Override
        protected Backend createBackend() {
            return cpu();
        }
    }
}
