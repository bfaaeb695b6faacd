package dev.jcnn.cuda;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Numerics;
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
 * Core's conformance suites, the same test bodies as the CPU reference's, on the GPU in exact
 * numerics. Gradients are not finite-differenced in float here: the parity suite compares
 * them with the CPU's. Skipped, with the reason, where the CUDA backend cannot start.
 */
class CudaConformanceTest {

    private static Backend gpu() {
        return GpuTests.backend(Numerics.EXACT);
    }

    /** Every case of the op table against the oracle. */
    @Nested
    class OpCases extends OpCaseConformance {
        @Override
        protected Backend createBackend() {
            return gpu();
        }
    }

    @Nested
    class Memory extends MemoryConformance {
        @Override
        protected Backend createBackend() {
            return gpu();
        }

        @Override
        protected boolean finiteDifferenceChecks() {
            return false;
        }
    }

    @Nested
    class Convolution extends ConvolutionConformance {
        @Override
        protected Backend createBackend() {
            return gpu();
        }

        @Override
        protected boolean finiteDifferenceChecks() {
            return false;
        }
    }

    @Nested
    class Pooling extends PoolingConformance {
        @Override
        protected Backend createBackend() {
            return gpu();
        }

        @Override
        protected boolean finiteDifferenceChecks() {
            return false;
        }
    }

    @Nested
    class Dense extends DenseConformance {
        @Override
        protected Backend createBackend() {
            return gpu();
        }

        @Override
        protected boolean finiteDifferenceChecks() {
            return false;
        }
    }

    @Nested
    class Activations extends ActivationConformance {
        @Override
        protected Backend createBackend() {
            return gpu();
        }

        @Override
        protected boolean finiteDifferenceChecks() {
            return false;
        }
    }

    @Nested
    class Softmax extends SoftmaxConformance {
        @Override
        protected Backend createBackend() {
            return gpu();
        }

        @Override
        protected boolean finiteDifferenceChecks() {
            return false;
        }
    }

    @Nested
    class Losses extends LossConformance {
        @Override
        protected Backend createBackend() {
            return gpu();
        }

        @Override
        protected boolean finiteDifferenceChecks() {
            return false;
        }
    }

    @Nested
    class Optimizers extends OptimizerConformance {
        @Override
        protected Backend createBackend() {
            return gpu();
        }

        @Override
        protected boolean finiteDifferenceChecks() {
            return false;
        }
    }

    @Nested
    class Channels extends ChannelConformance {
        @Override
        protected Backend createBackend() {
            return gpu();
        }

        @Override
        protected boolean finiteDifferenceChecks() {
            return false;
        }
    }

    @Nested
    class Resampling extends ResamplingConformance {
        @Override
        protected Backend createBackend() {
            return gpu();
        }

        @Override
        protected boolean finiteDifferenceChecks() {
            return false;
        }
    }

    @Nested
    class Normalization extends NormalizationConformance {
        @Override
        protected Backend createBackend() {
            return gpu();
        }

        @Override
        protected boolean finiteDifferenceChecks() {
            return false;
        }
    }
}
