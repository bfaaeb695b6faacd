package dev.jcnn.cpu;

import dev.jcnn.backend.Availability;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.BackendProvider;

/** Makes the plain-Java {@link CpuBackend} known to {@link dev.jcnn.backend.Backends} as "cpu". */
public final class CpuBackendProvider implements BackendProvider {

    /** The name the backend is found by. */
    public static final String NAME = "cpu";

    @Override
    public String name() {
        return NAME;
    }

    /** The lowest priority: any accelerator that can start is preferred. */
    @Override
    public int priority() {
        return 0;
    }

    /** Always available: it needs nothing but the JVM. */
    @Override
    public Availability availability() {
        return Availability.yes("plain Java on " + Runtime.getRuntime().availableProcessors() + " processors");
    }

    @Override
    public Backend create(BackendOptions options) {
        return new CpuBackend(options);
    }
}
