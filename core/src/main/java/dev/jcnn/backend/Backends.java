package dev.jcnn.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Finds backends through {@link ServiceLoader}: by name, or the best one that can start.
 * Nothing falls back silently: a named backend that cannot start throws with the reason,
 * and the log says which backend was chosen.
 */
public final class Backends {

    private static final Logger LOG = LogManager.getLogger(Backends.class);

    private Backends() {
    }

    /** Every provider on the class path, best first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(list::add);
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return list;
    }

    /** The provider with this name. */
    public static BackendProvider provider(String name) {
        List<String> names = new ArrayList<>();
        for (BackendProvider p : providers()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
            names.add(p.name());
        }
        throw new IllegalArgumentException("no backend named '" + name + "'; on the class path: " + names
                + (name.equalsIgnoreCase("cuda") ? " (add the jcnn-cuda-backend dependency)" : ""));
    }

    /** Starts the backend with this name ("cpu", "cuda", or "best"). */
    public static Backend create(String name) {
        return create(name, BackendOptions.defaults());
    }

    /** Starts the backend with this name ("cpu", "cuda", or "best"). */
    public static Backend create(String name, BackendOptions options) {
        if (name.equalsIgnoreCase("best")) {
            return best(options);
        }
        BackendProvider p = provider(name);
        Availability a = p.availability();
        if (!a.available()) {
            throw new IllegalStateException("backend '" + p.name() + "' cannot start: " + a.reason());
        }
        Backend b = p.create(options);
        LOG.info("backend {} on {}", b.name(), b.device());
        return b;
    }

    /** Starts the highest-priority backend that can start here, logging why others could not. */
    public static Backend best(BackendOptions options) {
        List<String> reasons = new ArrayList<>();
        for (BackendProvider p : providers()) {
            Availability a = p.availability();
            if (a.available()) {
                Backend b = p.create(options);
                LOG.info("backend {} on {}", b.name(), b.device());
                return b;
            }
            LOG.info("backend {} is not available: {}", p.name(), a.reason());
            reasons.add(p.name() + ": " + a.reason());
        }
        throw new IllegalStateException("no backend can start here" + (reasons.isEmpty()
                ? ": none is on the class path (add jcnn-cpu-reference)" : ": " + reasons));
    }
}
