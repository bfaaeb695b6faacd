package dev.jcnn.golden;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jcnn.backend.Backend;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/**
 * Every golden PyTorch case as its own test, named by its file: dropping a file into the
 * folder adds a case. A backend module runs them by subclassing this and returning its
 * backend from {@link #createBackend()} (cpu-reference now, cuda-backend through
 * cpu-reference's test-jar).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GoldenConformance {

    private Backend backend;
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
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        return GoldenCases.all().stream()
                .map(f -> DynamicTest.dynamicTest(f.fileName(), () -> {
                    if (unavailable != null) {
                        throw unavailable;
                    }
                    GoldenRunner.run(backend, f.parse());
                }));
    }

    /** The folder is not empty: an empty one would pass by running nothing. */
    @Test
    void casesArePresent() {
        List<GoldenCases.CaseFile> files = GoldenCases.all();
        assertFalse(files.isEmpty(), "no golden case files found");
    }
}
