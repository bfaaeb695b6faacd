package dev.jcnn.backend;

import static dev.jcnn.backend.Checks.distinct;
import static dev.jcnn.backend.Checks.notNull;

import dev.jcnn.tensor.Shape;

/**
 * Upsampling of NCHW images by whole factors, nearest or bilinear ({@link UpsampleSpec} gives
 * the exact mapping), and its gradient. Each public op checks its tensors and arguments, then
 * calls the backend's {@code compute…} method.
 *
 * @param <T> the backend's tensor class
 */
public abstract class ResamplingOps<T extends Tensor> extends OpFamily<T> {

    protected ResamplingOps(Backend backend, Class<T> tensorType) {
        super(backend, tensorType);
    }

    /** y = x upsampled by whole factors; x (N, C, H, W), y's shape follows {@link UpsampleSpec#outputShape}. */
    public final void forward(Tensor x, UpsampleSpec spec, Tensor y) {
        String op = "upsampleForward";
        T tx = owned(op, "x", x);
        T ty = owned(op, "y", y);
        Shape out = outputShape(op, "x", x, spec);
        Checks.shape(op, "y", y, out);
        distinct(op, "y", y, "x", x);
        starting(op);
        computeForward(tx, spec, ty);
        finished(op);
    }

    /** dx = the gradient of upsampling: each input pixel sums the output gradients it contributed to, by weight. */
    public final void backward(Tensor dy, UpsampleSpec spec, Tensor dx) {
        String op = "upsampleBackward";
        T tdy = owned(op, "dy", dy);
        T tdx = owned(op, "dx", dx);
        Shape out = outputShape(op, "dx", dx, spec);
        Checks.shape(op, "dy", dy, out);
        distinct(op, "dx", dx, "dy", dy);
        starting(op);
        computeBackward(tdy, spec, tdx);
        finished(op);
    }

    /** Checks the image (x, or dx for the backward pass) and the spec; returns the upsampled shape. */
    private static Shape outputShape(String op, String name, Tensor x, UpsampleSpec spec) {
        notNull(op, "spec", spec);
        Checks.rank(op, name, x, 4);
        try {
            return spec.outputShape(x.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    /** x (N, C, H, W), y the spec's output shape, distinct from x. */
    protected abstract void computeForward(T x, UpsampleSpec spec, T y);

    /** dx (N, C, H, W), dy the spec's output shape, distinct from dx. */
    protected abstract void computeBackward(T dy, UpsampleSpec spec, T dx);
}
