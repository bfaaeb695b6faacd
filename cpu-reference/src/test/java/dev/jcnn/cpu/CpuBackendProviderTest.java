package dev.jcnn.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.BackendProvider;
import dev.jcnn.backend.Backends;
import org.junit.jupiter.api.Test;

class CpuBackendProviderTest {

    @Test
    void serviceLoaderFindsTheCpuBackendByName() {
        BackendProvider p = Backends.provider("cpu");
        assertInstanceOf(CpuBackendProvider.class, p);
        assertEquals(0, p.priority());
        assertTrue(p.availability().available(), p.availability().reason());
        try (Backend b = Backends.create("cpu", BackendOptions.exact().withThreads(3))) {
            assertEquals("cpu", b.name());
            assertEquals(3, ((CpuBackend) b).threads());
            assertTrue(b.device().contains("3 threads"), b.device());
        }
    }

    @Test
    void zeroThreadsMeansEveryProcessor() {
        try (CpuBackend b = new CpuBackend(BackendOptions.exact().withThreads(0))) {
            assertEquals(Runtime.getRuntime().availableProcessors(), b.threads());
        }
    }
}
