package dev.jcnn.backend;

import static dev.jcnn.backend.Checks.distinct;
import static dev.jcnn.backend.Checks.notNull;

import dev.jcnn.tensor.Shape;

/**
 * Elementwise ops: fill, copy, add, scale, multiply, and zero padding of NCHW images with its
 * gradient. Each public op checks its tensors and arguments, then calls the backend's
 * {@code compute…} method.
 *
 * @param <T> the backend's tensor class
 */
public abstract class ElementwiseOps<T extends Tensor> extends OpFamily<T> {

    protected ElementwiseOps(Backend backend, Class<T> tensorType) {
        super(backend, tensorType);
    }

    /** Sets every element to {@code value}. */
    public final void fill(Tensor t, float value) {
        String op = "fill";
        T tt = owned(op, "t", t);
        starting(op);
        computeFill(tt, value);
        finished(op);
    }

    /** Copies src into dst; the two must have the same number of elements (shapes may differ: a reshape). */
    public final void copy(Tensor src, Tensor dst) {
        String op = "copy";
        T ts = owned(op, "src", src);
        T td = owned(op, "dst", dst);
        Checks.sameSize(op, "src", src, "dst", dst);
        starting(op);
        computeCopy(ts, td);
        finished(op);
    }

    /** out = a + b elementwise; out may be a or b (accumulation). */
    public final void add(Tensor a, Tensor b, Tensor out) {
        String op = "add";
        T ta = owned(op, "a", a);
        T tb = owned(op, "b", b);
        T to = owned(op, "out", out);
        sameShapes(op, a, b, out);
        starting(op);
        computeAdd(ta, tb, to);
        finished(op);
    }

    /** out = a · s elementwise; out may be a. */
    public final void scale(Tensor a, float s, Tensor out) {
        String op = "scale";
        T ta = owned(op, "a", a);
        T to = owned(op, "out", out);
        Checks.shape(op, "out", out, a.shape());
        starting(op);
        computeScale(ta, s, to);
        finished(op);
    }

    /** out = a · b elementwise (Dropout applies its mask with it); out may be a or b. */
    public final void multiply(Tensor a, Tensor b, Tensor out) {
        String op = "multiply";
        T ta = owned(op, "a", a);
        T tb = owned(op, "b", b);
        T to = owned(op, "out", out);
        sameShapes(op, a, b, out);
        starting(op);
        computeMultiply(ta, tb, to);
        finished(op);
    }

    /** y = x surrounded by zeros: y is (N, C, H + top + bottom, W + left + right). */
    public final void zeroPad(Tensor x, Padding2D padding, Tensor y) {
        String op = "zeroPad";
        T tx = owned(op, "x", x);
        T ty = owned(op, "y", y);
        Checks.rank(op, "x", x, 4);
        notNull(op, "padding", padding);
        Checks.shape(op, "y", y, padded(x.shape(), padding));
        distinct(op, "y", y, "x", x);
        starting(op);
        computeZeroPad(tx, padding, ty);
        finished(op);
    }

    /** The gradient of {@link #zeroPad}: dx = dy without the padded border. */
    public final void zeroPadBackward(Tensor dy, Padding2D padding, Tensor dx) {
        String op = "zeroPadBackward";
        T tdy = owned(op, "dy", dy);
        T tdx = owned(op, "dx", dx);
        Checks.rank(op, "dx", dx, 4);
        notNull(op, "padding", padding);
        Checks.shape(op, "dy", dy, padded(dx.shape(), padding));
        distinct(op, "dx", dx, "dy", dy);
        starting(op);
        computeZeroPadBackward(tdy, padding, tdx);
        finished(op);
    }

    private static void sameShapes(String op, Tensor a, Tensor b, Tensor out) {
        Checks.shape(op, "b", b, a.shape());
        Checks.shape(op, "out", out, a.shape());
    }

    private static Shape padded(Shape s, Padding2D p) {
        return Shape.of(s.dim(0), s.dim(1), s.dim(2) + p.top() + p.bottom(), s.dim(3) + p.left() + p.right());
    }

    protected abstract void computeFill(T t, float value);

    /** src and dst hold the same number of elements; they may be the same tensor. */
    protected abstract void computeCopy(T src, T dst);

    /** a, b and out have one shape; out may be a or b. */
    protected abstract void computeAdd(T a, T b, T out);

    /** a and out have one shape; out may be a. */
    protected abstract void computeScale(T a, float s, T out);

    /** a, b and out have one shape; out may be a or b. */
    protected abstract void computeMultiply(T a, T b, T out);

    /** x is (N, C, H, W), y its padded shape, a distinct tensor. */
    protected abstract void computeZeroPad(T x, Padding2D padding, T y);

    /** dx is (N, C, H, W), dy its padded shape, a distinct tensor. */
    protected abstract void computeZeroPadBackward(T dy, Padding2D padding, T dx);
}
