package dev.jcnn.backend;

import static dev.jcnn.backend.Checks.distinct;

import dev.jcnn.tensor.Shape;

/**
 * Fully connected layers: y = x·wᵀ + b with x a batch of N samples of {@code in} values (any
 * shape (N, ...) with that many per sample, read in row-major order), w (out, in), b (out) or
 * null and y (N, out); the gradients with respect to the input and the weights (the bias's is
 * {@link ConvolutionOps#biasBackward}). Each public op checks its tensors and arguments, then
 * calls the backend's {@code compute…} method.
 *
 * @param <T> the backend's tensor class
 */
public abstract class DenseOps<T extends Tensor> extends OpFamily<T> {

    protected DenseOps(Backend backend, Class<T> tensorType) {
        super(backend, tensorType);
    }

    /** y = x·wᵀ + b; x (N, in) or any shape with N·in elements, w (out, in), b (out) or null, y (N, out). */
    public final void forward(Tensor x, Tensor w, Tensor b, Tensor y) {
        String op = "denseForward";
        T tx = owned(op, "x", x);
        T tw = owned(op, "w", w);
        T tb = ownedOrNull(op, "b", b);
        T ty = owned(op, "y", y);
        int n = batch(op, "x", x, w);
        int out = w.shape().dim(0);
        if (b != null) {
            Checks.shape(op, "b", b, Shape.of(out));
        }
        Checks.shape(op, "y", y, Shape.of(n, out));
        distinct(op, "y", y, "x", x, "w", w, "b", b);
        starting(op);
        computeForward(tx, tw, tb, ty);
        finished(op);
    }

    /** dx = dy·w; dx has x's shape. */
    public final void backwardData(Tensor dy, Tensor w, Tensor dx) {
        String op = "denseBackwardData";
        T tdy = owned(op, "dy", dy);
        T tw = owned(op, "w", w);
        T tdx = owned(op, "dx", dx);
        int n = batch(op, "dx", dx, w);
        Checks.shape(op, "dy", dy, Shape.of(n, w.shape().dim(0)));
        distinct(op, "dx", dx, "dy", dy, "w", w);
        starting(op);
        computeBackwardData(tdy, tw, tdx);
        finished(op);
    }

    /** dw = dyᵀ·x (overwritten). */
    public final void backwardWeights(Tensor x, Tensor dy, Tensor dw) {
        String op = "denseBackwardWeights";
        T tx = owned(op, "x", x);
        T tdy = owned(op, "dy", dy);
        T tdw = owned(op, "dw", dw);
        int n = batch(op, "x", x, dw);
        Checks.shape(op, "dy", dy, Shape.of(n, dw.shape().dim(0)));
        distinct(op, "dw", dw, "x", x, "dy", dy);
        starting(op);
        computeBackwardWeights(tx, tdy, tdw);
        finished(op);
    }

    /** The batch size N of x, after checking that w is (out, in) and x holds in values per sample. */
    private static int batch(String op, String xName, Tensor x, Tensor w) {
        Checks.rank(op, "w", w, 2);
        int in = w.shape().dim(1);
        if (x.shape().rank() < 2) {
            throw new IllegalArgumentException(op + ": " + xName + " has shape " + x.shape() + ", expected (N, " + in
                    + ") or a batch of N samples of " + in + " values");
        }
        int perSample = x.shape().sampleSize();
        if (perSample != in) {
            throw new IllegalArgumentException(op + ": " + xName + " has shape " + x.shape() + " with " + perSample
                    + " values per sample, expected " + in + " to match the weights " + w.shape());
        }
        return x.shape().batch();
    }

    /**
     * x holds N = x.shape().batch() samples of in values, w is (out, in), b (out) or null, y
     * (N, out) and distinct from the inputs.
     */
    protected abstract void computeForward(T x, T w, T b, T y);

    /** dy (N, out), w (out, in), dx N samples of in values, distinct from the inputs. */
    protected abstract void computeBackwardData(T dy, T w, T dx);

    /** x N samples of in values, dy (N, out), dw (out, in), distinct from the inputs. */
    protected abstract void computeBackwardWeights(T x, T dy, T dw);
}
