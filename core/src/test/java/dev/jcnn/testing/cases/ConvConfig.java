package dev.jcnn.testing.cases;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.tensor.Shape;

/** One convolution: input (n, c, h, w), k filters and the spec. */
public record ConvConfig(int n, int c, int h, int w, int k, ConvSpec spec) {

    public static ConvConfig of(int n, int c, int h, int w, int k, ConvSpec spec) {
        return new ConvConfig(n, c, h, w, k, spec);
    }

    public Shape inputShape() {
        return Shape.of(n, c, h, w);
    }

    public Shape weightShape() {
        return spec.weightShape(c, k);
    }

    public Shape outputShape() {
        return spec.outputShape(inputShape(), k);
    }

    /** E.g. "n2 c3 8x11 k4 f3x5 s2x1 p1/1/2/2 d2x2 g2" (padding top/bottom/left/right, dilation, groups). */
    @Override
    public String toString() {
        return "n" + n + " c" + c + " " + h + "x" + w + " k" + k + " f" + spec.kernelH() + "x" + spec.kernelW() + " s"
                + spec.strideH() + "x" + spec.strideW() + " p" + padding(spec.padding()) + extras(spec);
    }

    /** " d2x2 g4" for dilation and groups, empty for a plain convolution (its names stay as they were). */
    static String extras(ConvSpec s) {
        String d = s.dilationH() == 1 && s.dilationW() == 1 ? "" : " d" + s.dilationH() + "x" + s.dilationW();
        return d + (s.groups() == 1 ? "" : " g" + s.groups());
    }

    static String padding(Padding2D p) {
        return p.top() + "/" + p.bottom() + "/" + p.left() + "/" + p.right();
    }
}
