package dev.jcnn.testing.conformance;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jcnn.backend.Backend;
import dev.jcnn.testing.cases.CaseReport;
import dev.jcnn.testing.cases.OpCase;
import dev.jcnn.testing.cases.OpTable;
import dev.jcnn.testing.oracle.OracleBackend;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/**
 * Every case of the {@link OpTable} on the backend under test against the oracle: the same
 * body, from the same seeded inputs, run on {@link OracleBackend}, each output within the
 * case's tolerance for this backend. Each case is its own dynamic test, named by the case; a
 * case the backend skips, and every case where the backend cannot start, skips with its reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class OpCaseConformance {

    private Backend backend;
    private final Backend oracle = new OracleBackend();
    /** Why the backend cannot start here: each case then skips with it, so the report counts them. */
    private TestAbortedException unavailable;

    /** The backend under test; called once per class and closed after it. */
    protected abstract Backend createBackend();

    @BeforeAll
    void startBackend() {
        try {
            backend = createBackend();
        } catch (TestAbortedException e) {
            unavailable = e;
            return;
        }
        assertNotNull(backend, "createBackend() returned null");
    }

    @AfterAll
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
        oracle.close();
    }

    @TestFactory
    Stream<DynamicTest> everyCase() {
        return OpTable.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            if (unavailable != null) {
                throw unavailable;
            }
            check(c, backend, oracle);
        }));
    }

    /**
     * Runs one case on tested and on reference from the case's seeded inputs and compares every
     * output under the case's tolerance for tested; skips (a JUnit assumption) where either
     * backend skips the case, and throws an {@link AssertionError} naming each differing output.
     */
    public static CaseReport check(OpCase c, Backend tested, Backend reference) {
        return CaseReport.run(c, tested, reference).assertPassed(reference.name(), c.tolerances().reason(tested.name()));
    }
}
