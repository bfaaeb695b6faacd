package dev.jcnn.backend;

import static dev.jcnn.backend.Checks.distinct;
import static dev.jcnn.backend.Checks.notNull;

import dev.jcnn.tensor.Shape;

/**
 * Elementwise activations ({@link ActivationKind}, with the math of each) and PReLU, whose
 * slope per channel is learned. Derivatives at a kink (x = 0) take the negative side's slope,
 * as PyTorch does. Each public op checks its tensors and arguments, then calls the backend's
 * {@code compute…} method.
 *
 * @param <T> the backend's tensor class
 */
public abstract class ActivationOps<T extends Tensor> extends OpFamily<T> {

    protected ActivationOps(Backend backend, Class<T> tensorType) {
        super(backend, tensorType);
    }

    /** y = f(x) elementwise; y may be x. */
    public final void forward(ActivationSpec f, Tensor x, Tensor y) {
        String op = "activationForward";
        T tx = owned(op, "x", x);
        T ty = owned(op, "y", y);
        notNull(op, "activation", f);
        Checks.shape(op, "y", y, x.shape());
        starting(op);
        computeForward(f, tx, ty);
        finished(op);
    }

    /** dx = f'(x)·dy, from the forward pass's input x and output y. */
    public final void backward(ActivationSpec f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        String op = "activationBackward";
        T tx = owned(op, "x", x);
        T ty = owned(op, "y", y);
        T tdy = owned(op, "dy", dy);
        T tdx = owned(op, "dx", dx);
        notNull(op, "activation", f);
        Checks.shape(op, "y", y, x.shape());
        Checks.shape(op, "dy", dy, x.shape());
        Checks.shape(op, "dx", dx, x.shape());
        distinct(op, "dx", dx, "x", x, "y", y, "dy", dy);
        starting(op);
        computeBackward(f, tx, ty, tdy, tdx);
        finished(op);
    }

    /** y = x for x &gt; 0, alpha[c]·x otherwise; alpha has one value per channel (axis 1). */
    public final void preluForward(Tensor x, Tensor alpha, Tensor y) {
        String op = "preluForward";
        T tx = owned(op, "x", x);
        T ta = owned(op, "alpha", alpha);
        T ty = owned(op, "y", y);
        int channels = Checks.channels(op, "x", x);
        Checks.shape(op, "alpha", alpha, Shape.of(channels));
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "x", x, "alpha", alpha);
        starting(op);
        computePreluForward(tx, ta, ty);
        finished(op);
    }

    /** dx and dalpha (overwritten) of PReLU. */
    public final void preluBackward(Tensor x, Tensor alpha, Tensor dy, Tensor dx, Tensor dalpha) {
        String op = "preluBackward";
        T tx = owned(op, "x", x);
        T ta = owned(op, "alpha", alpha);
        T tdy = owned(op, "dy", dy);
        T tdx = owned(op, "dx", dx);
        T tda = owned(op, "dalpha", dalpha);
        int channels = Checks.channels(op, "x", x);
        Checks.shape(op, "alpha", alpha, Shape.of(channels));
        Checks.shape(op, "dy", dy, x.shape());
        Checks.shape(op, "dx", dx, x.shape());
        Checks.shape(op, "dalpha", dalpha, Shape.of(channels));
        distinct(op, "dx", dx, "x", x, "alpha", alpha, "dy", dy, "dalpha", dalpha);
        distinct(op, "dalpha", dalpha, "x", x, "alpha", alpha, "dy", dy);
        starting(op);
        computePreluBackward(tx, ta, tdy, tdx, tda);
        finished(op);
    }

    /** x and y have one shape; y may be x. */
    protected abstract void computeForward(ActivationSpec f, T x, T y);

    /** x, y, dy and dx have one shape; dx is distinct from x, y and dy. */
    protected abstract void computeBackward(ActivationSpec f, T x, T y, T dy, T dx);

    /** x (N, C, ...), alpha (C), y x's shape and distinct from x and alpha. */
    protected abstract void computePreluForward(T x, T alpha, T y);

    /** x, dy and dx (N, C, ...), alpha and dalpha (C); dx and dalpha distinct from the inputs and each other. */
    protected abstract void computePreluBackward(T x, T alpha, T dy, T dx, T dalpha);
}
