package dev.jcnn.layers;

/**
 * What Conv2D and Conv2DTranspose share, as Keras' {@code BaseConv}: filters, a kernel of
 * kernelH × kernelW, strides, padding, dilation, groups, and the activation and bias of
 * {@link AffineLayer}.
 * The setters return the concrete layer, so settings chain in any order.
 *
 * @param <T> the concrete layer
 */
public abstract class BaseConv<T extends BaseConv<T>> extends AffineLayer {

    protected final int filters;
    protected final int kernelH;
    protected final int kernelW;
    protected int strideH = 1;
    protected int strideW = 1;
    protected Padding padding = Padding.VALID;
    protected int dilationH = 1;
    protected int dilationW = 1;
    protected int groups = 1;

    protected BaseConv(int filters, int kernelH, int kernelW) {
        super(null);
        if (filters <= 0 || kernelH <= 0 || kernelW <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": filters and kernel size must be positive, got filters "
                    + filters + ", kernel " + kernelH + "x" + kernelW);
        }
        this.filters = filters;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /** Keras' {@code dilation_rate}: the same dilation d along both axes (the kernel's taps d apart; 1 is none). */
    public T dilation(int d) {
        return dilation(d, d);
    }

    /** Dilation dh along the height and dw along the width. */
    public T dilation(int dh, int dw) {
        if (dh <= 0 || dw <= 0) {
            throw new IllegalArgumentException(name() + ": dilation must be positive, got " + dh + "x" + dw);
        }
        this.dilationH = dh;
        this.dilationW = dw;
        return self();
    }

    /**
     * Keras' and PyTorch's {@code groups}: the input channels and the filters split into g
     * independent convolutions; both must be divisible by g.
     */
    public T groups(int g) {
        if (g <= 0) {
            throw new IllegalArgumentException(name() + ": groups must be positive, got " + g);
        }
        if (filters % g != 0) {
            throw new IllegalArgumentException(name() + ": " + filters + " filters cannot be split into " + g
                    + " groups (not divisible)");
        }
        this.groups = g;
        return self();
    }

    /** The dilation {height, width}. */
    public int[] dilation() {
        return new int[] {dilationH, dilationW};
    }

    /** The number of groups. */
    public int groups() {
        return groups;
    }

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
        if (p == null) {
            throw new IllegalArgumentException(name() + ": padding must not be null (use Padding.VALID)");
        }
        this.padding = p;
        return self();
    }

    public T activation(Activation a) {
        if (a == null) {
            throw new IllegalArgumentException(name() + ": activation must not be null (use Activation.LINEAR)");
        }
        this.activation = a;
        return self();
    }

    public T useBias(boolean on) {
        this.useBias = on;
        return self();
    }

    public int filters() {
        return filters;
    }
}
