package dev.jcnn.layers;

import dev.jcnn.backend.Geometry;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Pooling over windows of poolH × poolW with strides (default: the pool size, so windows
 * tile; smaller strides overlap) and padding. Subclasses fix the mode; the setters return
 * the concrete layer.
 *
 * @param <T> the concrete layer
 */
public abstract class Pool2D<T extends Pool2D<T>> extends Layer {

    private static final Logger LOG = LogManager.getLogger(Pool2D.class);

    private final int poolH;
    private final int poolW;
    private int strideH;
    private int strideW;
    private Padding padding = Padding.VALID;
    private boolean strict;
    private boolean ceilMode;
    /** Input shapes already warned about; shared by the layer's inference copies, which check shapes on their threads. */
    private final Set<Shape> warned = ConcurrentHashMap.newKeySet();
    private Tensor x;
    private Tensor y;
    private PoolSpec spec;

    protected Pool2D(int poolH, int poolW) {
        super(null);
        if (poolH <= 0 || poolW <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": pool size must be positive, got "
                    + poolH + "x" + poolW);
        }
        this.poolH = poolH;
        this.poolW = poolW;
        this.strideH = poolH;
        this.strideW = poolW;
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /** The reduction; for average pooling it may depend on the padding mode. */
    protected abstract PoolMode mode();

    public T strides(int s) {
        return strides(s, s);
    }

    public T strides(int sh, int sw) {
        if (sh <= 0 || sw <= 0) {
            throw new IllegalArgumentException(name() + ": strides must be positive, got " + sh + "x" + sw);
        }
        this.strideH = sh;
        this.strideW = sw;
        return self();
    }

    public T padding(Padding p) {
        this.padding = p;
        return self();
    }

    /** When on, a stride that leaves input rows or columns uncovered is an error instead of a warning. */
    public T strict(boolean on) {
        this.strict = on;
        return self();
    }

    /**
     * When on, the output size rounds up, PyTorch's {@code ceil_mode=True}: O = ceil((I − F + 2P)/S)
     * + 1, less one if the last window would start past the input and its leading padding. The
     * last window may then reach past the padded input; those cells count for nothing (an
     * average counting the padding divides by the window's cells inside the padded input).
     */
    public T ceilMode(boolean on) {
        this.ceilMode = on;
        return self();
    }

    boolean isCeilMode() {
        return ceilMode;
    }

    /** The settings as {@link LayerConfig} stores them: pool H, pool W, stride H, stride W. */
    int[] windowSettings() {
        return new int[] {poolH, poolW, strideH, strideW};
    }

    boolean isStrict() {
        return strict;
    }

    protected Padding paddingMode() {
        return padding;
    }

    /** The backend's description of this pooling for a per-sample input shape (C, H, W). */
    public PoolSpec spec(Shape input) {
        Padding2D p = padding.resolve(input.dim(1), input.dim(2), poolH, poolW, strideH, strideW);
        return new PoolSpec(mode(), poolH, poolW, strideH, strideW, p, ceilMode);
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(name() + ": expects (channels, height, width) input, got " + input);
        }
        PoolSpec s = spec(input);
        Padding2D p = s.padding();
        int oh = Geometry.outputSize(input.dim(1), poolH, strideH, p.top(), p.bottom(), ceilMode, name() + " height");
        int ow = Geometry.outputSize(input.dim(2), poolW, strideW, p.left(), p.right(), ceilMode, name() + " width");
        StrideFit.check(LOG, name(), input, warned, strict, poolH, poolW, strideH, strideW, p, ceilMode);
        return Shape.of(input.dim(0), oh, ow);
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkChannels(input);
        x = input;
        Shape in = input.shape().withoutBatch();
        spec = spec(in);
        y = buffer("y", outputShape(in).withBatch(input.shape().batch()));
        backend().pooling().forward(x, spec, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dx = buffer("dx", x.shape());
        backend().pooling().backward(x, y, dy, spec, dx);
        return dx;
    }
}
