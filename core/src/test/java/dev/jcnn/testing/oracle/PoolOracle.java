package dev.jcnn.testing.oracle;

import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.tensor.Shape;

/**
 * Pooling by nested loops in double. Padded cells never win a max and add zero to a sum; a
 * max window gives its gradient to the first largest cell in row-major order (PyTorch's rule).
 */
public final class PoolOracle {

    private PoolOracle() {
    }

    /** Output shape (N, C, OH, OW). */
    public static Shape outputShape(Shape x, PoolSpec s) {
        Padding2D p = s.padding();
        return Shape.of(x.dim(0), x.dim(1),
                ConvOracle.outSize(x.dim(2), s.windowH(), s.strideH(), p.top(), p.bottom()),
                ConvOracle.outSize(x.dim(3), s.windowW(), s.strideW(), p.left(), p.right()));
    }

    public static double[] forward(float[] x, Shape xs, PoolSpec s) {
        Shape ys = outputShape(xs, s);
        double[] y = new double[ys.size()];
        int planes = xs.dim(0) * xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int oh = ys.dim(2);
        int ow = ys.dim(3);
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int[] cells = window(s, h, w, oy, ox);
                    double v;
                    if (s.mode() == PoolMode.MAX) {
                        v = x[p * h * w + cells[argmax(x, p * h * w, cells)]];
                    } else {
                        double sum = 0;
                        for (int cell : cells) {
                            sum += x[p * h * w + cell];
                        }
                        v = sum * weight(s, cells.length);
                    }
                    y[(p * oh + oy) * ow + ox] = v;
                }
            }
        }
        return y;
    }

    public static double[] backward(float[] x, Shape xs, float[] dy, PoolSpec s) {
        Shape ys = outputShape(xs, s);
        double[] dx = new double[xs.size()];
        int planes = xs.dim(0) * xs.dim(1);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int oh = ys.dim(2);
        int ow = ys.dim(3);
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double g = dy[(p * oh + oy) * ow + ox];
                    int[] cells = window(s, h, w, oy, ox);
                    if (s.mode() == PoolMode.MAX) {
                        dx[p * h * w + cells[argmax(x, p * h * w, cells)]] += g;
                    } else {
                        double share = g * weight(s, cells.length);
                        for (int cell : cells) {
                            dx[p * h * w + cell] += share;
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** What each in-bounds cell's value is multiplied by. */
    private static double weight(PoolSpec s, int inBounds) {
        return switch (s.mode()) {
            case SUM -> 1.0;
            case AVERAGE_INCLUDE_PAD -> 1.0 / (s.windowH() * s.windowW());
            case AVERAGE_EXCLUDE_PAD -> 1.0 / inBounds;
            case MAX -> throw new IllegalStateException("max has no weight");
        };
    }

    /** The in-bounds cells (y·W + x within one plane) of output (oy, ox)'s window, row-major. */
    private static int[] window(PoolSpec s, int h, int w, int oy, int ox) {
        int[] cells = new int[s.windowH() * s.windowW()];
        int count = 0;
        for (int ky = 0; ky < s.windowH(); ky++) {
            for (int kx = 0; kx < s.windowW(); kx++) {
                int iy = oy * s.strideH() - s.padding().top() + ky;
                int ix = ox * s.strideW() - s.padding().left() + kx;
                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                    cells[count++] = iy * w + ix;
                }
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("pooling window at output (" + oy + ", " + ox + ") lies wholly in the padding");
        }
        return java.util.Arrays.copyOf(cells, count);
    }

    private static int argmax(float[] x, int base, int[] cells) {
        int best = 0;
        for (int i = 1; i < cells.length; i++) {
            if (x[base + cells[i]] > x[base + cells[best]]) {
                best = i;
            }
        }
        return best;
    }
}
