package dev.jcnn.backend;

/**
 * Service-provider interface: each backend module lists one in
 * {@code META-INF/services/dev.jcnn.backend.BackendProvider}. Implementations must be cheap
 * to construct: heavy classes (JCuda, say) load only in {@link #availability} or {@link #create}.
 */
public interface BackendProvider {

    /** The backend's name, e.g. "cpu" or "cuda". */
    String name();

    /** Higher wins when the best available backend is asked for. */
    int priority();

    /** Whether the backend can start here; the reason names what is missing when it cannot. */
    Availability availability();

    /** Starts the backend. */
    Backend create(BackendOptions options);
}
