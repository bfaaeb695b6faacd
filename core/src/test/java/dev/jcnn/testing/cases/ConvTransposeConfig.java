package dev.jcnn.testing.cases;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.tensor.Shape;

/**
 * One transposed convolution: input (n, in, h, w) to out channels, the spec of the convolution
 * it is the adjoint of, and the output padding added at the bottom and right.
 */
public record ConvTransposeConfig(int n, int in, int h, int w, int out, ConvSpec spec, int outPadH, int outPadW) {

    public Shape inputShape() {
        return Shape.of(n, in, h, w);
    }

    /**
     * (n, out, (h − 1)·sh − top − bottom + dh·(kh − 1) + 1 + outPadH, likewise across), computed
     * here independently of core's Geometry.
     */
    public Shape outputShape() {
        return Shape.of(n, out,
                (h - 1) * spec.strideH() - spec.padding().top() - spec.padding().bottom()
                        + spec.dilationH() * (spec.kernelH() - 1) + 1 + outPadH,
                (w - 1) * spec.strideW() - spec.padding().left() - spec.padding().right()
                        + spec.dilationW() * (spec.kernelW() - 1) + 1 + outPadW);
    }

    /** PyTorch's (C_in, C_out/groups, kh, kw). */
    public Shape weightShape() {
        return Shape.of(in, out / spec.groups(), spec.kernelH(), spec.kernelW());
    }

    /** E.g. "n1 c2 3x3 k2 f2x2 s3x3 p0/0/0/0 op2x1", with " d2x2 g2" for dilation and groups. */
    @Override
    public String toString() {
        return "n" + n + " c" + in + " " + h + "x" + w + " k" + out + " f" + spec.kernelH() + "x" + spec.kernelW() + " s"
                + spec.strideH() + "x" + spec.strideW() + " p" + ConvConfig.padding(spec.padding()) + " op" + outPadH + "x"
                + outPadW + ConvConfig.extras(spec);
    }
}
