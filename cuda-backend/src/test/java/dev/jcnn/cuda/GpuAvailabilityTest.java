package dev.jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Backends;
import dev.jcnn.backend.Numerics;
import org.junit.jupiter.api.Test;

/**
 * Whether this machine runs the GPU tests, stated once in the test report: skipped with the
 * reason the CUDA backend cannot start (the GPU suites whose classes skip as a whole do not
 * show it), failed instead with -Djcnn.requireGpu=true. On a GPU machine it starts the
 * backend through {@link Backends} and checks what it reports.
 */
class GpuAvailabilityTest {

    @Test
    void theCudaBackendStarts() {
        GpuTests.assumeGpu();
        try (Backend b = Backends.create("cuda", dev.jcnn.backend.BackendOptions.exact())) {
            assertEquals("cuda", b.name());
            assertTrue(b.device().contains("cuDNN") && b.device().contains("exact numerics"), b.device());
            assertEquals(Numerics.EXACT, ((CudaBackend) b).numerics());
            System.out.println("cuda backend: " + b.device());
        }
    }
}
