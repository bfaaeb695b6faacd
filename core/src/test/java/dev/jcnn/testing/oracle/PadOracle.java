package dev.jcnn.testing.oracle;

import dev.jcnn.backend.Padding2D;
import dev.jcnn.tensor.Shape;

/** Zero padding of NCHW images and its gradient, by loops. */
public final class PadOracle {

    private PadOracle() {
    }

    public static Shape paddedShape(Shape x, Padding2D p) {
        return Shape.of(x.dim(0), x.dim(1), x.dim(2) + p.top() + p.bottom(), x.dim(3) + p.left() + p.right());
    }

    public static double[] pad(float[] x, Shape xs, Padding2D p) {
        Shape ys = paddedShape(xs, p);
        double[] y = new double[ys.size()];
        int planes = xs.dim(0) * xs.dim(1);
        for (int c = 0; c < planes; c++) {
            for (int i = 0; i < xs.dim(2); i++) {
                for (int j = 0; j < xs.dim(3); j++) {
                    y[(c * ys.dim(2) + i + p.top()) * ys.dim(3) + j + p.left()] = x[(c * xs.dim(2) + i) * xs.dim(3) + j];
                }
            }
        }
        return y;
    }

    /** dx = dy without the border; xs is the unpadded shape. */
    public static double[] unpad(float[] dy, Shape xs, Padding2D p) {
        Shape ys = paddedShape(xs, p);
        double[] dx = new double[xs.size()];
        int planes = xs.dim(0) * xs.dim(1);
        for (int c = 0; c < planes; c++) {
            for (int i = 0; i < xs.dim(2); i++) {
                for (int j = 0; j < xs.dim(3); j++) {
                    dx[(c * xs.dim(2) + i) * xs.dim(3) + j] = dy[(c * ys.dim(2) + i + p.top()) * ys.dim(3) + j + p.left()];
                }
            }
        }
        return dx;
    }
}
