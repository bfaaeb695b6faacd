package dev.jcnn.backend;

import static dev.jcnn.backend.Checks.distinct;

/**
 * Softmax and log-softmax over axis 1: per sample for (N, C), per pixel for (N, C, H, W).
 * Each public op checks its tensors and arguments, then calls the backend's
 * {@code compute…} method.
 *
 * @param <T> the backend's tensor class
 */
public abstract class SoftmaxOps<T extends Tensor> extends OpFamily<T> {

    protected SoftmaxOps(Backend backend, Class<T> tensorType) {
        super(backend, tensorType);
    }

    /** Softmax over axis 1 (per sample, and per pixel for NCHW); log = true gives log-softmax. */
    public final void forward(Tensor x, boolean log, Tensor y) {
        String op = log ? "logSoftmaxForward" : "softmaxForward";
        T tx = owned(op, "x", x);
        T ty = owned(op, "y", y);
        Checks.channels(op, "x", x);
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "x", x);
        starting(op);
        computeForward(tx, log, ty);
        finished(op);
    }

    /** dx of softmax (or log-softmax) from its output y. */
    public final void backward(Tensor y, Tensor dy, boolean log, Tensor dx) {
        String op = log ? "logSoftmaxBackward" : "softmaxBackward";
        T ty = owned(op, "y", y);
        T tdy = owned(op, "dy", dy);
        T tdx = owned(op, "dx", dx);
        Checks.channels(op, "y", y);
        Checks.shape(op, "dy", dy, y.shape());
        Checks.shape(op, "dx", dx, y.shape());
        distinct(op, "dx", dx, "y", y, "dy", dy);
        starting(op);
        computeBackward(ty, tdy, log, tdx);
        finished(op);
    }

    /** x (N, C, ...) and y of one shape, distinct tensors. */
    protected abstract void computeForward(T x, boolean log, T y);

    /** y, dy and dx (N, C, ...) of one shape; dx distinct from y and dy. */
    protected abstract void computeBackward(T y, T dy, boolean log, T dx);
}
