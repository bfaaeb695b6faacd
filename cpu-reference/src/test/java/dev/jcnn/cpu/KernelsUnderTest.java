package dev.jcnn.cpu;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Named;

/**
 * The kernel implementations the fast-path tests run on: the scalar ones always, the Vector
 * API ones when this JVM has the incubator module. Surefire runs the suite twice, once with
 * the module and once without; {@link KernelSelectionTest} checks that each run has exactly
 * the kernels it should, so that no case passes by silently leaving the vector path out.
 */
final class KernelsUnderTest {

    private KernelsUnderTest() {
    }

    static List<Named<Kernels>> all() {
        List<Named<Kernels>> list = new ArrayList<>();
        list.add(Named.of(ScalarKernels.INSTANCE.describe(), ScalarKernels.INSTANCE));
        Vectorization.vector().ifPresent(v -> list.add(Named.of(v.describe(), v)));
        return list;
    }
}
