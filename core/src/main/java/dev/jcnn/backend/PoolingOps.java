package dev.jcnn.backend;

import static dev.jcnn.backend.Checks.distinct;
import static dev.jcnn.backend.Checks.notNull;

import dev.jcnn.tensor.Shape;

/**
 * 2-D pooling of NCHW images (max, average with or without the padded cells, sum; see
 * {@link PoolSpec}) and its gradient. Each public op checks its tensors and arguments, then
 * calls the backend's {@code compute…} method.
 *
 * @param <T> the backend's tensor class
 */
public abstract class PoolingOps<T extends Tensor> extends OpFamily<T> {

    protected PoolingOps(Backend backend, Class<T> tensorType) {
        super(backend, tensorType);
    }

    /** y = the pooled x; y's shape follows {@link PoolSpec#outputShape}. */
    public final void forward(Tensor x, PoolSpec spec, Tensor y) {
        String op = "poolForward";
        T tx = owned(op, "x", x);
        T ty = owned(op, "y", y);
        Shape out = outputShape(op, x, spec);
        Checks.shape(op, "y", y, out);
        distinct(op, "y", y, "x", x);
        starting(op);
        computeForward(tx, spec, ty);
        finished(op);
    }

    /** dx = the gradient of pooling; x and y are the forward pass's input and output. */
    public final void backward(Tensor x, Tensor y, Tensor dy, PoolSpec spec, Tensor dx) {
        String op = "poolBackward";
        T tx = owned(op, "x", x);
        T ty = owned(op, "y", y);
        T tdy = owned(op, "dy", dy);
        T tdx = owned(op, "dx", dx);
        Shape out = outputShape(op, x, spec);
        Checks.shape(op, "y", y, out);
        Checks.shape(op, "dy", dy, out);
        Checks.shape(op, "dx", dx, x.shape());
        distinct(op, "dx", dx, "x", x, "y", y, "dy", dy);
        starting(op);
        computeBackward(tx, ty, tdy, spec, tdx);
        finished(op);
    }

    private static Shape outputShape(String op, Tensor x, PoolSpec spec) {
        notNull(op, "spec", spec);
        Checks.rank(op, "x", x, 4);
        try {
            return spec.outputShape(x.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    /** x (N, C, H, W), y of the spec's output shape, distinct from x. */
    protected abstract void computeForward(T x, PoolSpec spec, T y);

    /** x, y the forward pass's input and output, dy y's shape, dx x's shape and distinct from the rest. */
    protected abstract void computeBackward(T x, T y, T dy, PoolSpec spec, T dx);
}
