package dev.jcnn.cuda.parity;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Backends;
import dev.jcnn.backend.Numerics;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.cuda.CudaBackendProvider;
import dev.jcnn.cuda.GpuTests;
import dev.jcnn.testing.cases.CaseReport;
import dev.jcnn.testing.cases.OpCase;
import dev.jcnn.testing.cases.OpTable;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/**
 * The cross-backend parity suite: every case of core's {@link OpTable} on the CUDA backend
 * (exact numerics) and on the CPU reference from the same inputs, compared elementwise under
 * the case's CUDA tolerance, as PyTorch's {@code test_compare_cpu} does. Prints the summary
 * (op, cases, worst errors, pass or fail) at the end and writes it to
 * target/parity/cuda-vs-cpu.txt (or -Djcnn.parity.out). Skipped, case by case with the
 * reason, without a GPU; a case the table skips on CUDA skips with its reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaParityTest {

    private Backend cuda;
    private Backend cpu;
    private final ParitySummary summary = new ParitySummary();

    /** Starts both backends if a GPU is there; each case then skips (or fails) by itself, so the report counts them. */
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
                summary.report("CUDA (exact) against the CPU reference on " + cuda.device(),
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
    Stream<DynamicTest> everyCase() {
        return OpTable.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            GpuTests.assumeGpu();
            check(c, cuda, cpu, summary);
        }));
    }

    /** Compares one case on tested against reference, records it in the summary, and fails naming every differing output. */
    static void check(OpCase c, Backend tested, Backend reference, ParitySummary summary) {
        CaseReport r;
        try {
            r = CaseReport.run(c, tested, reference);
        } catch (TestAbortedException e) {
            throw e;
        } catch (RuntimeException e) {
            summary.failed(c.op());
            throw new AssertionError(c.name() + ": " + e, e);
        }
        summary.add(c.op(), r);
        r.assertPassed("the CPU reference", c.tolerances().reason(tested.name()));
    }
}
