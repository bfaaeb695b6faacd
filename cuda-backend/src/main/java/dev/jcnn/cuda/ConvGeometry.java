package dev.jcnn.cuda;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Geometry;
import dev.jcnn.backend.Numerics;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.tensor.Shape;

/**
 * How one convolution maps onto cuDNN, which pads symmetrically only: the symmetric part of
 * the padding goes to the convolution descriptor, the rest (the odd extra row or column of
 * Keras' SAME, say) is added to the input explicitly with zeros first. Also the key that
 * descriptors and chosen algorithms are cached by.
 *
 * @param x         the input shape (N, C, H, W)
 * @param filters   K, the number of filters
 * @param spec      the convolution
 * @param numerics  exact or fast math (part of the cache key: the algorithms differ)
 */
record ConvGeometry(Shape x, int filters, ConvSpec spec, Numerics numerics) {

    ConvGeometry {
        x.requireRank(4);
        spec.outputShape(x, filters); // throws with the layer's message when it does not fit
    }

    /** The output shape (N, K, OH, OW). */
    Shape y() {
        return spec.outputShape(x, filters);
    }

    /** The weight shape (K, C/groups, kh, kw). */
    Shape w() {
        return spec.weightShape(x.dim(1), filters);
    }

    /** Padding cuDNN applies on both sides of each axis: the smaller of the two sides. */
    int cudnnPadH() {
        return Math.min(spec.padding().top(), spec.padding().bottom());
    }

    int cudnnPadW() {
        return Math.min(spec.padding().left(), spec.padding().right());
    }

    /** The padding added to the input before cuDNN sees it; zero when the padding is symmetric. */
    Padding2D explicitPadding() {
        Padding2D p = spec.padding();
        return new Padding2D(p.top() - cudnnPadH(), p.bottom() - cudnnPadH(), p.left() - cudnnPadW(),
                p.right() - cudnnPadW());
    }

    /** Whether the input must be padded explicitly first. */
    boolean padsExplicitly() {
        return !explicitPadding().isZero();
    }

    /** The shape cuDNN sees as its input. */
    Shape cudnnInput() {
        Padding2D e = explicitPadding();
        return Shape.of(x.dim(0), x.dim(1), x.dim(2) + e.top() + e.bottom(), x.dim(3) + e.left() + e.right());
    }

    /** The output size cuDNN computes for its input and padding, which must equal {@link #y()}. */
    Shape cudnnOutput() {
        Shape in = cudnnInput();
        int oh = (in.dim(2) + 2 * cudnnPadH() - Geometry.dilatedWindow(spec.kernelH(), spec.dilationH())) / spec.strideH()
                + 1;
        int ow = (in.dim(3) + 2 * cudnnPadW() - Geometry.dilatedWindow(spec.kernelW(), spec.dilationW())) / spec.strideW()
                + 1;
        return Shape.of(x.dim(0), filters, oh, ow);
    }
}
