package dev.jcnn.cuda;

import dev.jcnn.backend.Numerics;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.tensor.Shape;

/**
 * How one pooling maps onto cuDNN. cuDNN pads symmetrically and by less than the window;
 * anything else (SAME's odd extra row, a window lying wholly in the padding) is padded
 * explicitly first, with −∞ for max pooling (a padded cell never wins) and 0 otherwise, and
 * cuDNN pools the padded input without padding of its own. Sum pooling is the include-pad
 * average scaled by the window area. Average pooling that excludes the padding, when padded
 * explicitly, is that sum divided per output position by the number of input cells its
 * window covers ({@link #cellCounts()}).
 *
 * <p>cuDNN has no ceil mode. A ceil-mode pooling runs as the floor-mode one whose bottom and
 * right padding is what makes the floor formula give the ceil-mode size ({@link #effective()}),
 * padded explicitly; where that adds cells past the padded input, an average counting the
 * padding becomes a sum divided per output position by the window's cells inside the padded
 * input, as PyTorch divides.
 *
 * <p>Also the key that descriptors are cached by.
 */
record PoolGeometry(Shape x, PoolSpec spec, Numerics numerics) {

    /** The cuDNN pooling mode used (before mapping to cuDNN's constants). */
    enum CudnnMode {
        MAX,
        AVERAGE_INCLUDE_PADDING,
        AVERAGE_EXCLUDE_PADDING
    }

    PoolGeometry {
        x.requireRank(4);
        Shape y = spec.outputShape(x);
        if (!effective(x, spec).outputShape(x).equals(y)) {
            throw new IllegalStateException("pooling " + describe(spec) + " of " + x + ": the floor-mode equivalent gives "
                    + effective(x, spec).outputShape(x) + ", ceil mode " + y);
        }
        if (spec.mode() == PoolMode.MAX && hasEmptyWindow(x, spec)) {
            throw new IllegalArgumentException("max pooling " + describe(spec) + " of " + x + ": a window lies wholly"
                    + " in the padding, which the CUDA backend does not support (use padding smaller than the window)");
        }
    }

    Shape y() {
        return spec.outputShape(x);
    }

    /**
     * The floor-mode pooling with the same windows and output: the spec itself, or for ceil mode
     * the spec with its bottom and right padding set to what the floor formula needs for the
     * ceil-mode size (more where the last window reaches past the padded input, less where the
     * trailing padding holds no window).
     */
    PoolSpec effective() {
        return effective(x, spec);
    }

    private static PoolSpec effective(Shape x, PoolSpec spec) {
        if (!spec.ceilMode()) {
            return spec;
        }
        Shape y = spec.outputShape(x);
        Padding2D p = spec.padding();
        int bottom = trailing(x.dim(2), y.dim(2), spec.windowH(), spec.strideH(), p.top(), p.bottom());
        int right = trailing(x.dim(3), y.dim(3), spec.windowW(), spec.strideW(), p.left(), p.right());
        return new PoolSpec(spec.mode(), spec.windowH(), spec.windowW(), spec.strideH(), spec.strideW(),
                new Padding2D(p.top(), bottom, p.left(), right));
    }

    /** The trailing padding for which the floor formula gives outputs: the original if it does, else the least that does. */
    private static int trailing(int size, int outputs, int window, int stride, int before, int after) {
        if ((size + before + after - window) / stride + 1 == outputs) {
            return after;
        }
        return Math.max(0, (outputs - 1) * stride + window - size - before);
    }

    /** Whether an average counting the padding must divide by cells inside the padded input (ceil mode's overhang). */
    boolean clipsToPaddedInput() {
        Padding2D e = effective().padding();
        return spec.mode() == PoolMode.AVERAGE_INCLUDE_PAD
                && (e.bottom() > spec.padding().bottom() || e.right() > spec.padding().right());
    }

    /** Whether cuDNN's own (symmetric) padding can do the whole job. */
    boolean cudnnPads() {
        PoolSpec e = effective();
        Padding2D p = e.padding();
        return !clipsToPaddedInput() && p.isSymmetric() && p.top() < spec.windowH() && p.left() < spec.windowW()
                && !hasEmptyWindow(x, e);
    }

    /** Padding added to the input before cuDNN sees it. */
    Padding2D explicitPadding() {
        return cudnnPads() ? Padding2D.NONE : effective().padding();
    }

    /** The value the explicit padding holds: −∞ for max pooling, 0 otherwise. */
    float padValue() {
        return spec.mode() == PoolMode.MAX ? Float.NEGATIVE_INFINITY : 0f;
    }

    int cudnnPadH() {
        return cudnnPads() ? spec.padding().top() : 0;
    }

    int cudnnPadW() {
        return cudnnPads() ? spec.padding().left() : 0;
    }

    /** The shape cuDNN sees as its input. */
    Shape cudnnInput() {
        Padding2D e = explicitPadding();
        return Shape.of(x.dim(0), x.dim(1), x.dim(2) + e.top() + e.bottom(), x.dim(3) + e.left() + e.right());
    }

    CudnnMode cudnnMode() {
        return switch (spec.mode()) {
            case MAX -> CudnnMode.MAX;
            case AVERAGE_INCLUDE_PAD, SUM -> CudnnMode.AVERAGE_INCLUDE_PADDING;
            case AVERAGE_EXCLUDE_PAD -> cudnnPads() ? CudnnMode.AVERAGE_EXCLUDE_PADDING
                    : CudnnMode.AVERAGE_INCLUDE_PADDING;
        };
    }

    /** The factor cuDNN's result is scaled by (its alpha): the window area where a sum is wanted, else 1. */
    float alpha() {
        return spec.mode() == PoolMode.SUM || dividesByCellCount() ? (float) spec.windowH() * spec.windowW() : 1f;
    }

    /** Whether the sums must then be divided by {@link #cellCounts()}. */
    boolean dividesByCellCount() {
        return (spec.mode() == PoolMode.AVERAGE_EXCLUDE_PAD && !cudnnPads()) || clipsToPaddedInput();
    }

    /**
     * For each output position (row-major oh × ow), 1 / the number of input cells its window
     * covers, or 0 for a window wholly in the padding (which then yields 0, as on the CPU).
     */
    float[] inverseCellCounts() {
        int[] counts = cellCounts();
        float[] inv = new float[counts.length];
        for (int i = 0; i < counts.length; i++) {
            inv[i] = counts[i] == 0 ? 0f : (float) (1.0 / counts[i]);
        }
        return inv;
    }

    /**
     * For each output position (row-major oh × ow), what its sum is divided by: the number of
     * input cells its window covers or, for an average counting the padding in ceil mode, of
     * cells inside the padded input.
     */
    int[] cellCounts() {
        Shape y = y();
        int oh = y.dim(2);
        int ow = y.dim(3);
        Padding2D p = spec.padding();
        boolean padded = spec.mode() == PoolMode.AVERAGE_INCLUDE_PAD;
        // in the padded input's coordinates the window starts at o·S and the extent is I + P_b + P_a
        int before = padded ? 0 : p.top();
        int height = padded ? x.dim(2) + p.top() + p.bottom() : x.dim(2);
        int left = padded ? 0 : p.left();
        int width = padded ? x.dim(3) + p.left() + p.right() : x.dim(3);
        int[] counts = new int[oh * ow];
        for (int i = 0; i < oh; i++) {
            int rows = covered(i, spec.strideH(), before, spec.windowH(), height);
            for (int j = 0; j < ow; j++) {
                counts[i * ow + j] = rows * covered(j, spec.strideW(), left, spec.windowW(), width);
            }
        }
        return counts;
    }

    private static int covered(int o, int stride, int padBefore, int window, int size) {
        int start = o * stride - padBefore;
        return Math.max(0, Math.min(start + window, size) - Math.max(start, 0));
    }

    /** Whether some output's window covers no input cell at all. */
    static boolean hasEmptyWindow(Shape x, PoolSpec spec) {
        Shape y = spec.outputShape(x);
        for (int i = 0; i < y.dim(2); i++) {
            if (covered(i, spec.strideH(), spec.padding().top(), spec.windowH(), x.dim(2)) == 0) {
                return true;
            }
        }
        for (int j = 0; j < y.dim(3); j++) {
            if (covered(j, spec.strideW(), spec.padding().left(), spec.windowW(), x.dim(3)) == 0) {
                return true;
            }
        }
        return false;
    }

    static String describe(PoolSpec s) {
        Padding2D p = s.padding();
        return s.windowH() + "x" + s.windowW() + " stride " + s.strideH() + "x" + s.strideW() + " padding "
                + p.top() + "/" + p.bottom() + "/" + p.left() + "/" + p.right() + (s.ceilMode() ? " ceil mode" : "");
    }
}
