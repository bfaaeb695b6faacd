package dev.jcnn.testing.conformance;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.tensor.Shape;
import java.util.List;

/**
 * One convolution configuration: input (n, c, h, w), k filters and the spec. {@link #table()}
 * is the table the conformance suite runs: kernels 1, 2, 3 and 5, rectangular kernels,
 * strides 1 to 3, padding 0, 1, 2 and asymmetric, batches 1 to 5, odd sizes.
 */
public record ConvConfig(int n, int c, int h, int w, int k, ConvSpec spec) {

    public static List<ConvConfig> table() {
        return List.of(
                // the slides: 7x7 with a 3x3 filter at strides 1, 2, and 3 with P = 1
                of(1, 1, 7, 7, 1, ConvSpec.of(3, 1, 0)),
                of(1, 1, 7, 7, 1, ConvSpec.of(3, 2, 0)),
                of(1, 1, 7, 7, 1, ConvSpec.of(3, 3, 1)),
                // 1x1 kernels mix channels only
                of(2, 3, 5, 6, 4, ConvSpec.of(1, 1, 0)),
                of(3, 4, 7, 5, 2, ConvSpec.of(1, 2, 1)),
                // even kernels, with the asymmetric padding that SAME needs for them
                of(3, 2, 6, 7, 3, ConvSpec.of(2, 1, 0)),
                of(2, 2, 9, 9, 3, new ConvSpec(2, 2, 1, 1, new Padding2D(0, 1, 0, 1))),
                of(2, 3, 8, 7, 2, new ConvSpec(2, 2, 2, 2, new Padding2D(1, 0, 0, 1))),
                // F3 S1 P1 and F5 S1 P2 keep the size; F5 S2 P2 halves it
                of(2, 3, 9, 9, 4, ConvSpec.of(3, 1, 1)),
                of(2, 3, 11, 12, 4, ConvSpec.of(5, 1, 2)),
                of(2, 3, 13, 13, 2, ConvSpec.of(5, 2, 2)),
                of(3, 2, 7, 7, 2, ConvSpec.of(3, 2, 2)),
                // rectangular kernels and strides
                of(2, 2, 8, 11, 3, new ConvSpec(3, 5, 2, 1, Padding2D.of(1, 2))),
                of(1, 4, 9, 7, 2, new ConvSpec(5, 3, 1, 3, Padding2D.of(2, 0))),
                of(2, 3, 6, 5, 2, new ConvSpec(2, 3, 3, 2, new Padding2D(1, 2, 0, 1))),
                // batch 5, asymmetric padding, a stride that leaves rows uncovered
                of(5, 1, 5, 5, 2, ConvSpec.of(3, 1, 1)),
                of(4, 3, 10, 9, 5, new ConvSpec(3, 3, 3, 3, new Padding2D(1, 2, 0, 1))),
                of(2, 2, 11, 8, 3, ConvSpec.of(3, 3, 0)),
                // a kernel larger than the input, made to fit by padding
                of(1, 2, 3, 3, 2, ConvSpec.of(5, 1, 1)));
    }

    public static ConvConfig of(int n, int c, int h, int w, int k, ConvSpec spec) {
        return new ConvConfig(n, c, h, w, k, spec);
    }

    public Shape inputShape() {
        return Shape.of(n, c, h, w);
    }

    public Shape weightShape() {
        return Shape.of(k, c, spec.kernelH(), spec.kernelW());
    }

    @Override
    public String toString() {
        Padding2D p = spec.padding();
        return "x " + n + "x" + c + "x" + h + "x" + w + ", " + k + " filters " + spec.kernelH() + "x" + spec.kernelW()
                + ", stride " + spec.strideH() + "x" + spec.strideW()
                + ", pad " + (p.isSymmetric() ? p.top() + "x" + p.left() : p.top() + "/" + p.bottom() + "/" + p.left() + "/" + p.right());
    }
}
