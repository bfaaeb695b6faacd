package dev.jcnn.testing.conformance;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tolerance;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TensorScope;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/**
 * The base of the conformance suites beyond the op table ({@link OpCaseConformance} runs
 * that): one backend per test class, a {@link TensorScope} per test (so a failing test still
 * frees its tensors), finite-difference gradient checks, properties and bad-input messages.
 *
 * <p>A backend module runs a suite by subclassing it and returning its backend from
 * {@link #createBackend()}; a backend that cannot start here calls
 * {@code Assumptions.assumeTrue(false, reason)} there, which skips every test of the class
 * with the reason (one by one, so reports count them).
 * Outputs are pre-filled with NaN before each op, so an op that reads its output instead of
 * overwriting it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformance {

    private Backend backend;
    private TensorScope scope;
    /** Why the backend cannot start here: each test then skips with it, so the report counts them. */
    private TestAbortedException unavailable;

    /** The backend under test; called once per test class and closed after it. */
    protected abstract Backend createBackend();

    /** The finite-difference settings for nonlinear ops; {@link GradientChecker#standard()} unless overridden. */
    protected GradientChecker gradientChecker() {
        return GradientChecker.standard();
    }

    /**
     * The settings for ops linear in the checked input (convolution, dense, average and sum
     * pooling, padding): a central difference is exact for them at any step, so a large step
     * keeps float rounding in the forward pass from swamping the difference.
     */
    protected GradientChecker linearGradientChecker() {
        return new GradientChecker(0.5, 1e-3, 200, 42);
    }

    /**
     * Whether this backend's gradients are checked by finite differences. The CPU reference's
     * are; a GPU backend returns false, because its gradients are compared with the CPU's in
     * the parity suite rather than finite-differenced in float (the style guide's rule 7).
     */
    protected boolean finiteDifferenceChecks() {
        return true;
    }

    /** Call first in a gradient check: skips it, with the reason, where {@link #finiteDifferenceChecks()} is false. */
    protected final void assumeFiniteDifferences() {
        Assumptions.assumeTrue(finiteDifferenceChecks(), backend().name()
                + ": gradients are compared with the CPU reference's in the parity suite, not finite-differenced in float");
    }

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

    @BeforeEach
    void openScope() {
        if (unavailable != null) {
            throw unavailable;
        }
        scope = new TensorScope(backend);
    }

    @AfterEach
    void closeScope() {
        if (scope != null) {
            scope.close();
            scope = null;
        }
    }

    protected final Backend backend() {
        return backend;
    }

    protected final Tensor upload(Shape shape, float[] data) {
        return scope.upload(shape, data);
    }

    /** A zero-filled tensor, closed after the test. */
    protected final Tensor zeros(Shape shape) {
        return scope.zeros(shape);
    }

    /** An output tensor filled with NaN: the op must overwrite every element. */
    protected final Tensor output(Shape shape) {
        Tensor t = scope.zeros(shape);
        backend.elementwise().fill(t, Float.NaN);
        return t;
    }

    protected final float[] read(Tensor t) {
        return scope.read(t);
    }

    /**
     * Compares a tensor with the oracle's values, as float32 against double: the properties
     * here are of elementwise ops and short sums (the op table's cases carry their own tolerances).
     */
    protected final void assertClose(String what, Tensor actual, double[] expected) {
        AllClose.assertClose(what, actual.shape(), read(actual), expected, Tolerance.DEFAULT);
    }

    /** Σ a·r in double: the scalar objective whose gradient with respect to the op's output is r. */
    protected static double dot(float[] a, float[] r) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * r[i];
        }
        return sum;
    }

    /**
     * An objective for the gradient checker: writes the probe into {@code input}, runs
     * {@code forward} and returns Σ output·r.
     */
    protected final ToDoubleFunction<float[]> projection(Tensor input, Runnable forward, Tensor output, float[] r) {
        return probe -> {
            backend.write(input, probe);
            forward.run();
            return dot(read(output), r);
        };
    }
}
