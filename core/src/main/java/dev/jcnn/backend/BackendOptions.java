package dev.jcnn.backend;

/**
 * Settings a backend is created with.
 *
 * @param numerics exact or fast math
 * @param threads  CPU threads to use; 0 means all available processors
 * @param device   which GPU, for backends that have several
 */
public record BackendOptions(Numerics numerics, int threads, int device) {

    public BackendOptions {
        if (numerics == null) {
            throw new IllegalArgumentException("numerics must not be null");
        }
        if (threads < 0 || device < 0) {
            throw new IllegalArgumentException("threads and device must be non-negative, got " + threads + ", " + device);
        }
    }

    /** Fast math, every processor, the first GPU. */
    public static BackendOptions defaults() {
        return new BackendOptions(Numerics.FAST, 0, 0);
    }

    /** Exact math, every processor, the first GPU. */
    public static BackendOptions exact() {
        return new BackendOptions(Numerics.EXACT, 0, 0);
    }

    public BackendOptions withNumerics(Numerics n) {
        return new BackendOptions(n, threads, device);
    }

    public BackendOptions withThreads(int t) {
        return new BackendOptions(numerics, t, device);
    }
}
