package dev.jcnn.backend;

import static dev.jcnn.backend.Checks.distinct;

import dev.jcnn.tensor.Shape;
import java.util.List;

/**
 * Per-channel ops on (N, C, ...) tensors, channels on axis 1: a bias per channel, and
 * stacking tensors along the channel axis and back (functional models: Concatenate, skip
 * connections). Each public op checks its tensors and arguments, then calls the backend's
 * {@code compute…} method.
 *
 * @param <T> the backend's tensor class
 */
public abstract class ChannelOps<T extends Tensor> extends OpFamily<T> {

    protected ChannelOps(Backend backend, Class<T> tensorType) {
        super(backend, tensorType);
    }

    /** y = x + b[c] for every element of channel c (axis 1); x (N, C) or (N, C, H, W), b (C); y may be x. */
    public final void addBias(Tensor x, Tensor b, Tensor y) {
        String op = "addBias";
        T tx = owned(op, "x", x);
        T tb = owned(op, "b", b);
        T ty = owned(op, "y", y);
        int channels = Checks.channels(op, "x", x);
        Checks.shape(op, "b", b, Shape.of(channels));
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "b", b);
        starting(op);
        computeAddBias(tx, tb, ty);
        finished(op);
    }

    /**
     * y = the inputs side by side along axis 1, in list order: each xs[i] is (N, C_i, ...) with
     * the same other axes, y is (N, C_0 + C_1 + ..., ...). No input may be y.
     */
    public final void concat(List<Tensor> xs, Tensor y) {
        String op = "concatChannels";
        T ty = owned(op, "y", y);
        List<T> parts = ownedAll(op, "xs", xs);
        stacked(op, "xs", xs, "y", y);
        for (int i = 0; i < xs.size(); i++) {
            distinct(op, "y", y, "xs[" + i + "]", xs.get(i));
        }
        starting(op);
        computeConcat(parts, ty);
        finished(op);
    }

    /** The gradient of {@link #concat}: dxs[i] = the channels of dy that came from input i; the dxs are distinct. */
    public final void split(Tensor dy, List<Tensor> dxs) {
        String op = "splitChannels";
        T tdy = owned(op, "dy", dy);
        List<T> parts = ownedAll(op, "dxs", dxs);
        stacked(op, "dxs", dxs, "dy", dy);
        for (int i = 0; i < dxs.size(); i++) {
            distinct(op, "dxs[" + i + "]", dxs.get(i), "dy", dy);
            for (int j = 0; j < i; j++) {
                distinct(op, "dxs[" + i + "]", dxs.get(i), "dxs[" + j + "]", dxs.get(j));
            }
        }
        starting(op);
        computeSplit(tdy, parts);
        finished(op);
    }

    /** Checks that the parts stack along axis 1 into whole: same rank, same other axes, channels adding up. */
    private static void stacked(String op, String partsName, List<Tensor> parts, String wholeName, Tensor whole) {
        Checks.channels(op, wholeName, whole);
        Shape w = whole.shape();
        int total = 0;
        for (int i = 0; i < parts.size(); i++) {
            Shape s = parts.get(i).shape();
            boolean fits = s.rank() == w.rank() && s.dim(0) == w.dim(0);
            for (int a = 2; fits && a < s.rank(); a++) {
                fits = s.dim(a) == w.dim(a);
            }
            if (!fits) {
                throw new IllegalArgumentException(op + ": " + partsName + "[" + i + "] has shape " + s
                        + ", expected the axes of " + wholeName + " " + w + " except axis 1");
            }
            total += s.dim(1);
        }
        if (total != w.dim(1)) {
            throw new IllegalArgumentException(op + ": the channels of " + partsName + " add up to " + total + ", but "
                    + wholeName + " " + w + " has " + w.dim(1));
        }
    }

    /** x (N, C, ...), b (C), y x's shape; y may be x. */
    protected abstract void computeAddBias(T x, T b, T y);

    /** At least one part; the parts stack into y along axis 1 and none is y. The list may not be kept. */
    protected abstract void computeConcat(List<T> xs, T y);

    /** At least one part; the parts stack into dy along axis 1, all distinct tensors. The list may not be kept. */
    protected abstract void computeSplit(T dy, List<T> dxs);
}
