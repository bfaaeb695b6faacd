package dev.jcnn.cuda.parity;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Backends;
import dev.jcnn.backend.Numerics;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.cuda.CudaBackendProvider;
import dev.jcnn.cuda.GpuTests;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The cross-backend parity suite: every row of {@link ParityTable} on the CUDA backend (exact
 * numerics) and on the CPU reference from the same inputs, compared elementwise. Prints the
 * table (op, configurations, worst errors, pass or fail) at the end and writes it to
 * target/parity/cuda-vs-cpu.txt (or -Djcnn.parity.out). Skipped, with the reason, without a GPU.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaParityTest {

    private Backend cuda;
    private Backend cpu;
    private final ParityComparison comparison = new ParityComparison();

    /** Starts both backends if a GPU is there; each row then skips (or fails) by itself, so the report counts them. */
    @BeforeAll
    void start() {
        if (Backends.provider(CudaBackendProvider.NAME).availability().available()) {
            cuda = GpuTests.backend(Numerics.EXACT);
            cpu = new CpuBackend(BackendOptions.exact());
            System.out.println("parity: " + cuda.device() + " against " + cpu.device());
        }
    }

    @AfterAll
    void stop() {
        try {
            if (cuda != null) {
                comparison.report("CUDA (exact) against the CPU reference on " + cuda.device(),
                        Path.of(System.getProperty("jcnn.parity.out", "target/parity/cuda-vs-cpu.txt")));
            }
        } finally {
            if (cuda != null) {
                cuda.close();
            }
            if (cpu != null) {
                cpu.close();
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRow() {
        return ParityTable.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            GpuTests.assumeGpu();
            try {
                comparison.check(c, c.runOn(cuda), c.runOn(cpu));
            } catch (RuntimeException e) {
                comparison.failed(c);
                throw new AssertionError(c.name() + ": " + e, e);
            }
        }));
    }
}
