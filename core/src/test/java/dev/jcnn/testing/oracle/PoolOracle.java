package dev.jcnn.testing.oracle;

import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.tensor.Shape;
import java.util.Arrays;

/**
 * Pooling by nested loops in double. Padded cells never win a max and add zero to a sum; a
 * max window gives its gradient to the first largest cell in row-major order (PyTorch's
 * rule), a NaN counting as larger than any number (it propagates, as in PyTorch). A window
 * that lies wholly in the padding yields 0 and passes no gradient back, as on the CPU. Ceil
 * mode is PyTorch's pooling_output_shape, written out here on its own: (I + P − F + S − 1)
 * div S + 1, less one if (O − 1)·S ≥ I + P_before; an average counting the padding divides
 * by the window's cells inside the padded input (PyTorch's hend = min(hstart + k, I + pad)).
 */
public final class PoolOracle {

    private PoolOracle() {
    }

    /** One output of the pooling and the flat input indices of its window's in-bounds cells, row-major. */
    @FunctionalInterface
    private interface Window {
        void at(int out, int[] cells, int inPadded);
    }

    /** Output shape (N, C, OH, OW). */
    public static Shape outputShape(Shape x, PoolSpec s) {
        Padding2D p = s.padding();
        return Shape.of(x.dim(0), x.dim(1), outSize(x.dim(2), s.windowH(), s.strideH(), p.top(), p.bottom(), s.ceilMode()),
                outSize(x.dim(3), s.windowW(), s.strideW(), p.left(), p.right(), s.ceilMode()));
    }

    private static int outSize(int input, int window, int stride, int before, int after, boolean ceil) {
        if (!ceil) {
            return ConvOracle.outSize(input, window, stride, before, after);
        }
        int o = Math.floorDiv(input + before + after - window + stride - 1, stride) + 1;
        return (o - 1) * stride >= input + before ? o - 1 : o;
    }

    public static double[] forward(float[] x, Shape xs, PoolSpec s) {
        double[] y = new double[outputShape(xs, s).size()];
        forEachWindow(xs, s, (out, cells, inPadded) -> {
            if (cells.length == 0) {
                y[out] = 0;
            } else if (s.mode() == PoolMode.MAX) {
                y[out] = x[argmax(x, cells)];
            } else {
                double sum = 0;
                for (int cell : cells) {
                    sum += x[cell];
                }
                y[out] = sum * weight(s, cells.length, inPadded);
            }
        });
        return y;
    }

    public static double[] backward(float[] x, Shape xs, float[] dy, PoolSpec s) {
        double[] dx = new double[xs.size()];
        forEachWindow(xs, s, (out, cells, inPadded) -> {
            if (cells.length == 0) {
                return;
            }
            if (s.mode() == PoolMode.MAX) {
                dx[argmax(x, cells)] += dy[out];
            } else {
                for (int cell : cells) {
                    dx[cell] += dy[out] * weight(s, cells.length, inPadded);
                }
            }
        });
        return dx;
    }

    /** What each in-bounds cell's value is multiplied by. */
    private static double weight(PoolSpec s, int inBounds, int inPadded) {
        return switch (s.mode()) {
            case SUM -> 1.0;
            case AVERAGE_INCLUDE_PAD -> 1.0 / inPadded;
            case AVERAGE_EXCLUDE_PAD -> 1.0 / inBounds;
            case MAX -> throw new IllegalStateException("max has no weight");
        };
    }

    private static void forEachWindow(Shape xs, PoolSpec s, Window window) {
        Shape ys = outputShape(xs, s);
        int h = xs.dim(2);
        int w = xs.dim(3);
        int[] cells = new int[s.windowH() * s.windowW()];
        for (int p = 0; p < xs.dim(0) * xs.dim(1); p++) {
            for (int oy = 0; oy < ys.dim(2); oy++) {
                for (int ox = 0; ox < ys.dim(3); ox++) {
                    int count = 0;
                    int inPadded = 0;
                    for (int ky = 0; ky < s.windowH(); ky++) {
                        for (int kx = 0; kx < s.windowW(); kx++) {
                            int iy = oy * s.strideH() - s.padding().top() + ky;
                            int ix = ox * s.strideW() - s.padding().left() + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                cells[count++] = (p * h + iy) * w + ix;
                            }
                            if (iy < h + s.padding().bottom() && ix < w + s.padding().right()) {
                                inPadded++;
                            }
                        }
                    }
                    window.at((p * ys.dim(2) + oy) * ys.dim(3) + ox, Arrays.copyOf(cells, count), inPadded);
                }
            }
        }
    }

    /** The first cell holding the window's largest value, or its first NaN. */
    private static int argmax(float[] x, int[] cells) {
        int best = cells[0];
        for (int cell : cells) {
            if (x[cell] > x[best] || (Float.isNaN(x[cell]) && !Float.isNaN(x[best]))) {
                best = cell;
            }
        }
        return best;
    }
}
