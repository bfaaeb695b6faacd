package dev.jcnn.cuda;

import dev.jcnn.backend.Availability;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Backends;
import dev.jcnn.backend.Numerics;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Assumptions;

/**
 * How GPU tests start their backend: skipped (a JUnit assumption, with the reason the CUDA
 * backend cannot start) where there is no usable GPU, and failed instead when the build runs
 * with -Djcnn.requireGpu=true, so that a GPU machine cannot pass by skipping.
 */
public final class GpuTests {

    /** The system property (set by the root pom for surefire) that turns a skip into a failure. */
    public static final String REQUIRE_GPU = "jcnn.requireGpu";

    private static final Logger LOG = LogManager.getLogger(GpuTests.class);
    private static volatile boolean told;

    private GpuTests() {
    }

    /** Returns normally when the CUDA backend can start; otherwise skips or, with -Djcnn.requireGpu=true, fails. */
    public static void assumeGpu() {
        Availability a = Backends.provider(CudaBackendProvider.NAME).availability();
        if (a.available()) {
            return;
        }
        if (Boolean.getBoolean(REQUIRE_GPU)) {
            throw new AssertionError("-D" + REQUIRE_GPU + "=true, but the CUDA backend cannot start: " + a.reason());
        }
        if (!told) {
            told = true;
            LOG.warn("GPU tests skipped: the CUDA backend cannot start: {}", a.reason());
        }
        Assumptions.abort("CUDA backend unavailable: " + a.reason());
    }

    /** A new CUDA backend with the given numerics, after {@link #assumeGpu()}. */
    public static CudaBackend backend(Numerics numerics) {
        assumeGpu();
        return (CudaBackend) Backends.create(CudaBackendProvider.NAME, BackendOptions.exact().withNumerics(numerics));
    }
}
