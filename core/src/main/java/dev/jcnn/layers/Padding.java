package dev.jcnn.layers;

import dev.jcnn.backend.Geometry;
import dev.jcnn.backend.Padding2D;

/**
 * How a convolution or pooling layer pads its input: Keras' "valid" (none), "same"
 * (output = ceil(input / stride), the odd extra pad at the bottom and right, as TensorFlow
 * does), or explicit rows and columns per side.
 */
public final class Padding {

    public static final Padding VALID = new Padding("valid", null);
    public static final Padding SAME = new Padding("same", null);

    private final String mode;
    private final Padding2D explicit;

    private Padding(String mode, Padding2D explicit) {
        this.mode = mode;
        this.explicit = explicit;
    }

    /** P rows and columns of zeros on every side. */
    public static Padding of(int p) {
        return new Padding("explicit", Padding2D.of(p));
    }

    /** ph rows above and below, pw columns left and right. */
    public static Padding of(int ph, int pw) {
        return new Padding("explicit", Padding2D.of(ph, pw));
    }

    /** Explicit, possibly asymmetric padding. */
    public static Padding of(Padding2D padding) {
        return new Padding("explicit", padding);
    }

    /** The explicit rows and columns per side, or null for "valid" and "same". */
    Padding2D explicit() {
        return explicit;
    }

    /** The padding for an input of size h × w under this mode. */
    public Padding2D resolve(int h, int w, int kernelH, int kernelW, int strideH, int strideW) {
        if (explicit != null) {
            return explicit;
        }
        if (this == VALID) {
            return Padding2D.NONE;
        }
        int[] ph = Geometry.samePadding(h, kernelH, strideH);
        int[] pw = Geometry.samePadding(w, kernelW, strideW);
        return new Padding2D(ph[0], ph[1], pw[0], pw[1]);
    }

    @Override
    public String toString() {
        return explicit == null ? mode : "explicit" + explicit;
    }
}
