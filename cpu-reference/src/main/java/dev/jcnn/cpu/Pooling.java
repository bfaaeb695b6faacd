package dev.jcnn.cpu;

import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.PoolingOps;
import dev.jcnn.tensor.Shape;
import java.util.Arrays;

/**
 * 2-D pooling on the CPU: max, average with and without the padded cells, and sum, with
 * overlapping windows and padding. Padded cells never win a max and add zero to a sum.
 * A window that lies entirely in the padding yields 0 and passes no gradient back. In ceil
 * mode a window may reach past the padded input: an average counting the padding divides by
 * its cells inside the padded input, as PyTorch does.
 *
 * <p>Max pooling's gradient goes to the first maximal element of each window in row-major
 * order, as PyTorch routes it; overlapping windows add their gradients.
 */
final class Pooling extends PoolingOps<CpuTensor> {

    private final Parallel parallel;

    Pooling(CpuBackend backend, Parallel parallel) {
        super(backend, CpuTensor.class);
        this.parallel = parallel;
    }

    @Override
    protected void computeForward(CpuTensor x, PoolSpec spec, CpuTensor y) {
        forward(x.data(), spec.mode(), y.data(), Dims.of(x.shape(), spec), parallel);
    }

    @Override
    protected void computeBackward(CpuTensor x, CpuTensor y, CpuTensor dy, PoolSpec spec, CpuTensor dx) {
        // The maximum's position is found again from x, so y is only checked.
        backward(x.data(), dy.data(), spec.mode(), dx.data(), Dims.of(x.shape(), spec), parallel);
    }

    /**
     * Sizes of one pooling: input planes (n·c of h × w), window, strides, padding, output oh × ow.
     */
    record Dims(int planes, int h, int w, int wh, int ww, int sh, int sw, int padTop, int padBottom, int padLeft,
                int padRight, int oh, int ow) {

        static Dims of(Shape x, PoolSpec spec) {
            Shape y = spec.outputShape(x);
            return new Dims(x.dim(0) * x.dim(1), x.dim(2), x.dim(3), spec.windowH(), spec.windowW(), spec.strideH(),
                    spec.strideW(), spec.padding().top(), spec.padding().bottom(), spec.padding().left(),
                    spec.padding().right(), y.dim(2), y.dim(3));
        }
    }

    static void forward(float[] x, PoolMode mode, float[] y, Dims d, Parallel par) {
        if (disjointMax(mode, d)) {
            DisjointMaxPooling.forward(x, y, d, par);
            return;
        }
        par.forRange(d.planes(), (from, to) -> {
            for (int p = from; p < to; p++) {
                for (int oy = 0; oy < d.oh(); oy++) {
                    for (int ox = 0; ox < d.ow(); ox++) {
                        y[(p * d.oh() + oy) * d.ow() + ox] = window(x, mode, d, p, oy, ox);
                    }
                }
            }
        });
    }

    /**
     * Whether this is max pooling whose windows lie wholly inside the input and do not
     * overlap, as in LeNet's 2×2 stride-2 pooling: then each input cell feeds at most one
     * output, and {@link DisjointMaxPooling} handles it without clipping or accumulation.
     */
    static boolean disjointMax(PoolMode mode, Dims d) {
        return mode == PoolMode.MAX && d.padTop() == 0 && d.padLeft() == 0 && d.sh() >= d.wh() && d.sw() >= d.ww()
                && (d.oh() - 1) * d.sh() + d.wh() <= d.h() && (d.ow() - 1) * d.sw() + d.ww() <= d.w();
    }

    private static float window(float[] x, PoolMode mode, Dims d, int p, int oy, int ox) {
        int y0 = oy * d.sh() - d.padTop();
        int x0 = ox * d.sw() - d.padLeft();
        int yFrom = Math.max(y0, 0);
        int yTo = Math.min(y0 + d.wh(), d.h());
        int xFrom = Math.max(x0, 0);
        int xTo = Math.min(x0 + d.ww(), d.w());
        if (yFrom >= yTo || xFrom >= xTo) {
            return 0f;
        }
        if (mode == PoolMode.MAX) {
            return x[argmax(x, d, p, yFrom, yTo, xFrom, xTo)];
        }
        double sum = 0.0;
        for (int iy = yFrom; iy < yTo; iy++) {
            int row = (p * d.h() + iy) * d.w();
            for (int ix = xFrom; ix < xTo; ix++) {
                sum += x[row + ix];
            }
        }
        return (float) (sum / divisor(mode, d, y0, x0, yTo - yFrom, xTo - xFrom));
    }

    /**
     * What a window starting at (y0, x0) divides its sum by: its cells inside the padded input
     * (the full area, but in ceil mode's last windows), its cells inside the input, or 1 for a
     * plain sum.
     */
    private static double divisor(PoolMode mode, Dims d, int y0, int x0, int rowsInside, int colsInside) {
        return switch (mode) {
            case AVERAGE_INCLUDE_PAD -> (double) (Math.min(y0 + d.wh(), d.h() + d.padBottom()) - y0)
                    * (Math.min(x0 + d.ww(), d.w() + d.padRight()) - x0);
            case AVERAGE_EXCLUDE_PAD -> rowsInside * colsInside;
            case SUM -> 1;
            case MAX -> throw new IllegalArgumentException("max pooling has no divisor");
        };
    }

    /** Index in x of the window's first maximal element (row-major; a NaN wins, as in PyTorch). */
    private static int argmax(float[] x, Dims d, int p, int yFrom, int yTo, int xFrom, int xTo) {
        int best = (p * d.h() + yFrom) * d.w() + xFrom;
        for (int iy = yFrom; iy < yTo; iy++) {
            int row = (p * d.h() + iy) * d.w();
            for (int ix = xFrom; ix < xTo; ix++) {
                float v = x[row + ix];
                if (v > x[best] || (Float.isNaN(v) && !Float.isNaN(x[best]))) {
                    best = row + ix;
                }
            }
        }
        return best;
    }

    /** dx = the gradient of pooling; x is the forward input. */
    static void backward(float[] x, float[] dy, PoolMode mode, float[] dx, Dims d, Parallel par) {
        if (disjointMax(mode, d)) {
            DisjointMaxPooling.backward(x, dy, dx, d, par);
            return;
        }
        par.forRange(d.planes(), (from, to) -> {
            double[] acc = new double[d.h() * d.w()];
            for (int p = from; p < to; p++) {
                Arrays.fill(acc, 0.0);
                int planeStart = p * d.h() * d.w();
                for (int oy = 0; oy < d.oh(); oy++) {
                    for (int ox = 0; ox < d.ow(); ox++) {
                        float g = dy[(p * d.oh() + oy) * d.ow() + ox];
                        spread(x, mode, d, p, oy, ox, g, acc, planeStart);
                    }
                }
                for (int q = 0; q < acc.length; q++) {
                    dx[planeStart + q] = (float) acc[q];
                }
            }
        });
    }

    /** Adds one output's gradient g to the cells of its window that produced it. */
    private static void spread(float[] x, PoolMode mode, Dims d, int p, int oy, int ox, float g, double[] acc,
            int planeStart) {
        int y0 = oy * d.sh() - d.padTop();
        int x0 = ox * d.sw() - d.padLeft();
        int yFrom = Math.max(y0, 0);
        int yTo = Math.min(y0 + d.wh(), d.h());
        int xFrom = Math.max(x0, 0);
        int xTo = Math.min(x0 + d.ww(), d.w());
        if (yFrom >= yTo || xFrom >= xTo) {
            return;
        }
        if (mode == PoolMode.MAX) {
            acc[argmax(x, d, p, yFrom, yTo, xFrom, xTo) - planeStart] += g;
            return;
        }
        double share = g / divisor(mode, d, y0, x0, yTo - yFrom, xTo - xFrom);
        for (int iy = yFrom; iy < yTo; iy++) {
            for (int ix = xFrom; ix < xTo; ix++) {
                acc[iy * d.w() + ix] += share;
            }
        }
    }
}
