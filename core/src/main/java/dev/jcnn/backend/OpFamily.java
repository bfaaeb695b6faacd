package dev.jcnn.backend;

import java.util.List;

/**
 * What every op family shares: the backend it belongs to and the check each op runs first.
 * The families ({@link ElementwiseOps}, {@link ConvolutionOps}, …) extend it; a backend
 * extends each family once, with {@code T} its own tensor class, and implements the
 * protected {@code compute…} methods, which receive tensors that were checked to be open and
 * the backend's, and arguments that passed the op's checks.
 *
 * @param <T> the backend's tensor class
 */
public abstract class OpFamily<T extends Tensor> {

    private final Backend backend;
    private final Class<T> tensorType;

    OpFamily(Backend backend, Class<T> tensorType) {
        if (backend == null || tensorType == null) {
            throw new IllegalArgumentException("an op family needs its backend and tensor class, got " + backend
                    + " and " + tensorType);
        }
        this.backend = backend;
        this.tensorType = tensorType;
    }

    /** The backend these ops belong to: they take its tensors and run on its device. */
    public final Backend backend() {
        return backend;
    }

    /** t as the backend's tensor class, after checking that the backend is open and t is open and its own. */
    final T owned(String op, String name, Tensor t) {
        backend.checkOwned(op, name, t);
        return tensorType.cast(t);
    }

    /** As {@link #owned}, for an optional tensor: null stays null. */
    final T ownedOrNull(String op, String name, Tensor t) {
        return t == null ? null : owned(op, name, t);
    }

    /**
     * The list as the backend's tensors, after checking each element as {@link #owned} does
     * (named {@code name[i]}); null or empty lists are refused.
     */
    @SuppressWarnings("unchecked")
    final List<T> ownedAll(String op, String name, List<Tensor> ts) {
        if (ts == null || ts.isEmpty()) {
            throw new IllegalArgumentException(op + ": " + name + " is " + (ts == null ? "null" : "empty")
                    + ", expected at least one tensor");
        }
        for (int i = 0; i < ts.size(); i++) {
            owned(op, name + "[" + i + "]", ts.get(i));
        }
        // every element was checked to be a T just above; the list itself is only read
        return (List<T>) (List<?>) ts;
    }

    /** Marks the start of an op's work, after its checks. */
    final void starting(String op) {
        backend.opStarting(op);
    }

    /** Marks the end of an op's work. */
    final void finished(String op) {
        backend.opFinished(op);
    }
}
