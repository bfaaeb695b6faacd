package dev.jcnn.backend;

import static dev.jcnn.backend.Checks.distinct;
import static dev.jcnn.backend.Checks.notNull;

import dev.jcnn.tensor.Shape;

/**
 * 2-D convolution (cross-correlation, as in every framework): x (N, C, H, W) with weights
 * w (K, C, kh, kw) and an optional bias (K) gives y (N, K, OH, OW), OH and OW from
 * {@link ConvSpec#outputShape}; the gradients with respect to the input, the weights and the
 * bias. Each public op checks its tensors and arguments, then calls the backend's
 * {@code compute…} method.
 *
 * @param <T> the backend's tensor class
 */
public abstract class ConvolutionOps<T extends Tensor> extends OpFamily<T> {

    protected ConvolutionOps(Backend backend, Class<T> tensorType) {
        super(backend, tensorType);
    }

    /** y = x ⋆ w + b; x (N, C, H, W), w (K, C/groups, kh, kw), b (K) or null, y (N, K, OH, OW). */
    public final void forward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y) {
        String op = "convForward";
        T tx = owned(op, "x", x);
        T tw = owned(op, "w", w);
        T tb = ownedOrNull(op, "b", b);
        T ty = owned(op, "y", y);
        Shape out = outputShape(op, x, w, spec);
        if (b != null) {
            Checks.shape(op, "b", b, Shape.of(w.shape().dim(0)));
        }
        Checks.shape(op, "y", y, out);
        distinct(op, "y", y, "x", x, "w", w, "b", b);
        starting(op);
        computeForward(tx, tw, tb, spec, ty);
        finished(op);
    }

    /** dx = the gradient of the convolution with respect to its input. */
    public final void backwardData(Tensor dy, Tensor w, ConvSpec spec, Tensor dx) {
        String op = "convBackwardData";
        T tdy = owned(op, "dy", dy);
        T tw = owned(op, "w", w);
        T tdx = owned(op, "dx", dx);
        Shape out = outputShape(op, dx, w, spec);
        Checks.shape(op, "dy", dy, out);
        distinct(op, "dx", dx, "dy", dy, "w", w);
        starting(op);
        computeBackwardData(tdy, tw, spec, tdx);
        finished(op);
    }

    /** dw = the gradient with respect to the weights (overwritten, not accumulated). */
    public final void backwardFilter(Tensor x, Tensor dy, ConvSpec spec, Tensor dw) {
        String op = "convBackwardFilter";
        T tx = owned(op, "x", x);
        T tdy = owned(op, "dy", dy);
        T tdw = owned(op, "dw", dw);
        Shape out = outputShape(op, x, dw, spec);
        Checks.shape(op, "dy", dy, out);
        distinct(op, "dw", dw, "x", x, "dy", dy);
        starting(op);
        computeBackwardFilter(tx, tdy, spec, tdw);
        finished(op);
    }

    /** db[c] = the sum of dy over every axis but 1; dy is (N, C, H, W) or (N, C), db (C). */
    public final void biasBackward(Tensor dy, Tensor db) {
        String op = "biasBackward";
        T tdy = owned(op, "dy", dy);
        T tdb = owned(op, "db", db);
        Shape s = dy.shape();
        if (s.rank() < 2) {
            throw new IllegalArgumentException(op + ": dy has shape " + s + ", expected (N, C) or (N, C, H, W)");
        }
        Checks.shape(op, "db", db, Shape.of(s.dim(1)));
        distinct(op, "db", db, "dy", dy);
        starting(op);
        computeBiasBackward(tdy, tdb);
        finished(op);
    }

    /** Checks an image x against weights w and the spec; returns the output shape. */
    private static Shape outputShape(String op, Tensor x, Tensor w, ConvSpec spec) {
        notNull(op, "spec", spec);
        Checks.rank(op, "x", x, 4);
        Checks.rank(op, "w", w, 4);
        int channels = x.shape().dim(1);
        int filters = w.shape().dim(0);
        if ((long) w.shape().dim(1) * spec.groups() != channels) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " has " + channels
                    + " channels but the weights " + w.shape() + " in " + spec.groups() + " group(s) expect "
                    + w.shape().dim(1) * spec.groups());
        }
        Shape expectedW;
        Shape out;
        try {
            expectedW = spec.weightShape(channels, filters);
            out = spec.outputShape(x.shape(), filters);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
        Checks.shape(op, "w", w, expectedW);
        return out;
    }

    /** Shapes as {@link #forward} says; b may be null; y is distinct from the inputs. */
    protected abstract void computeForward(T x, T w, T b, ConvSpec spec, T y);

    /** dx (N, C, H, W), w (K, C, kh, kw), dy the output's shape; dx is distinct from the inputs. */
    protected abstract void computeBackwardData(T dy, T w, ConvSpec spec, T dx);

    /** x (N, C, H, W), dy the output's shape, dw (K, C, kh, kw), distinct from the inputs. */
    protected abstract void computeBackwardFilter(T x, T dy, ConvSpec spec, T dw);

    /** dy (N, C) or (N, C, ...), db (C), distinct tensors. */
    protected abstract void computeBiasBackward(T dy, T db);
}
