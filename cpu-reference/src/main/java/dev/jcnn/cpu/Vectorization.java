package dev.jcnn.cpu;

import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Chooses the CPU backend's {@link Kernels} once per JVM, as Apache Lucene chooses its
 * vectorization provider: the Vector API kernels when the {@code jdk.incubator.vector}
 * module is readable, the scalar ones otherwise, with one log line that says which and how
 * to turn the fast path on. The system property {@value #PROPERTY}{@code =false} forces the
 * scalar kernels.
 */
final class Vectorization {

    /** Set to "false" to use the scalar kernels even when the Vector API is available. */
    static final String PROPERTY = "jcnn.cpu.vector";

    static final String MODULE = "jdk.incubator.vector";

    private static final Logger LOG = LogManager.getLogger(Vectorization.class);

    private static final Kernels KERNELS = select();

    private Vectorization() {
    }

    /** The kernels chosen for this JVM. */
    static Kernels kernels() {
        return KERNELS;
    }

    private static Kernels select() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            LOG.info("cpu backend: scalar kernels, because -D{}=false", PROPERTY);
            return ScalarKernels.INSTANCE;
        }
        Optional<Module> module = ModuleLayer.boot().findModule(MODULE);
        if (module.isEmpty()) {
            LOG.warn("cpu backend: the Java Vector API is not enabled, so training runs on the scalar kernels, several "
                    + "times slower; add '--add-modules {}' to the java command line for the fast path", MODULE);
            return ScalarKernels.INSTANCE;
        }
        try {
            Kernels k = vectorKernels(module.get());
            LOG.info("cpu backend: {} kernels", k.describe());
            return k;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.warn("cpu backend: the Java Vector API is enabled but cannot be used ({}); training runs on the "
                    + "scalar kernels", cause.toString());
            return ScalarKernels.INSTANCE;
        }
    }

    /** The Vector API kernels, when this JVM has them; loaded by name so that nothing else links them. */
    static Optional<Kernels> vector() {
        return ModuleLayer.boot().findModule(MODULE).flatMap(m -> {
            try {
                return Optional.of(vectorKernels(m));
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    private static Kernels vectorKernels(Module module) throws ReflectiveOperationException {
        Module own = Vectorization.class.getModule();
        if (!own.canRead(module)) {
            own.addReads(module);
        }
        Class<?> c = Class.forName("dev.jcnn.cpu.VectorKernels");
        return (Kernels) c.getDeclaredMethod("create").invoke(null);
    }
}
