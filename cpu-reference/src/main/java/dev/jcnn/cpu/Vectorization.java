package dev.jcnn.cpu;

import java.util.Optional;
import org.apache.logging.log4j.Level;
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

    private static final Kernels KERNELS = announce(choose(System.getProperty(PROPERTY), vector()));

    private Vectorization() {
    }

    /** The kernels chosen for this JVM. */
    static Kernels kernels() {
        return KERNELS;
    }

    /** The kernels and the line that tells the user about them. */
    record Choice(Kernels kernels, Level level, String message) {
    }

    /**
     * The choice for a value of {@value #PROPERTY} (may be null) and the vector kernels, if
     * this JVM can have them.
     */
    static Choice choose(String property, Optional<Kernels> vector) {
        if ("false".equalsIgnoreCase(property)) {
            return new Choice(ScalarKernels.INSTANCE, Level.INFO,
                    "cpu backend: scalar kernels, because -D" + PROPERTY + "=false");
        }
        if (vector.isEmpty()) {
            return new Choice(ScalarKernels.INSTANCE, Level.WARN, "cpu backend: the Java Vector API is not enabled, so "
                    + "it runs on its scalar kernels, several times slower; add '--add-modules " + MODULE
                    + "' to the java command line for the fast path");
        }
        return new Choice(vector.get(), Level.INFO, "cpu backend: " + vector.get().describe() + " kernels");
    }

    private static Kernels announce(Choice choice) {
        LOG.log(choice.level(), choice.message());
        return choice.kernels();
    }

    /**
     * The Vector API kernels, when the module is readable and the processor has vectors of
     * at least 128 bits. Loaded by name, so that nothing links the Vector API otherwise.
     */
    static Optional<Kernels> vector() {
        Optional<Module> module = ModuleLayer.boot().findModule(MODULE);
        if (module.isEmpty()) {
            return Optional.empty();
        }
        try {
            Module own = Vectorization.class.getModule();
            if (!own.canRead(module.get())) {
                own.addReads(module.get());
            }
            Class<?> c = Class.forName("dev.jcnn.cpu.VectorKernels");
            return Optional.of((Kernels) c.getDeclaredMethod("create").invoke(null));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.warn("cpu backend: the Java Vector API is enabled but cannot be used here ({})", cause.toString());
            return Optional.empty();
        }
    }
}
