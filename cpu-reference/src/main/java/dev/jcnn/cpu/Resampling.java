package dev.jcnn.cpu;

import dev.jcnn.backend.ResamplingOps;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.tensor.Shape;

/**
 * Upsampling of NCHW images by whole factors, nearest or bilinear (half-pixel centres, edges
 * clamped), and the gradients of both. See {@link UpsampleSpec} for the exact mapping. The
 * backward passes gather per input plane in double and round once.
 */
final class Resampling extends ResamplingOps<CpuTensor> {

    private final Parallel parallel;

    Resampling(CpuBackend backend, Parallel parallel) {
        super(backend, CpuTensor.class);
        this.parallel = parallel;
    }

    @Override
    protected void computeForward(CpuTensor x, UpsampleSpec spec, CpuTensor y) {
        Pass pass = switch (spec.mode()) {
            case NEAREST -> Resampling::nearestForward;
            case BILINEAR -> Resampling::bilinearForward;
        };
        pass.run(x.data(), y.data(), Dims.of(x.shape(), spec), parallel);
    }

    @Override
    protected void computeBackward(CpuTensor dy, UpsampleSpec spec, CpuTensor dx) {
        Pass pass = switch (spec.mode()) {
            case NEAREST -> Resampling::nearestBackward;
            case BILINEAR -> Resampling::bilinearBackward;
        };
        pass.run(dy.data(), dx.data(), Dims.of(dx.shape(), spec), parallel);
    }

    /**
     * One interpolation's pass from one array into the other. The passes are chosen by switch
     * expressions, so that a new {@link dev.jcnn.backend.Interpolation} does not compile until it has its own.
     */
    private interface Pass {
        void run(float[] from, float[] to, Dims d, Parallel par);
    }

    /** Sizes: planes (N·C) of h × w input, factors, output oh × ow. */
    record Dims(int planes, int h, int w, int fh, int fw, int oh, int ow) {

        static Dims of(Shape x, UpsampleSpec spec) {
            Shape y = spec.outputShape(x);
            return new Dims(x.dim(0) * x.dim(1), x.dim(2), x.dim(3), spec.factorH(), spec.factorW(), y.dim(2), y.dim(3));
        }
    }

    /** The two source pixels and the weight of the second for each output index along one axis. */
    record Taps(int[] lo, int[] hi, double[] weight) {

        static Taps of(int in, int factor, int out) {
            int[] lo = new int[out];
            int[] hi = new int[out];
            double[] weight = new double[out];
            for (int o = 0; o < out; o++) {
                double src = Math.max(0.0, (o + 0.5) / factor - 0.5);
                int i0 = Math.min((int) src, in - 1);
                lo[o] = i0;
                hi[o] = Math.min(i0 + 1, in - 1);
                weight[o] = hi[o] == i0 ? 0.0 : src - i0;
            }
            return new Taps(lo, hi, weight);
        }
    }

    static void nearestForward(float[] x, float[] y, Dims d, Parallel par) {
        par.forRange(d.planes(), (from, to) -> {
            for (int p = from; p < to; p++) {
                for (int oy = 0; oy < d.oh(); oy++) {
                    int src = (p * d.h() + oy / d.fh()) * d.w();
                    int dst = (p * d.oh() + oy) * d.ow();
                    for (int ox = 0; ox < d.ow(); ox++) {
                        y[dst + ox] = x[src + ox / d.fw()];
                    }
                }
            }
        });
    }

    /** dx[iy, ix] = the sum of dy over the fh × fw block that copied it. */
    static void nearestBackward(float[] dy, float[] dx, Dims d, Parallel par) {
        par.forRange(d.planes(), (from, to) -> {
            for (int p = from; p < to; p++) {
                for (int iy = 0; iy < d.h(); iy++) {
                    for (int ix = 0; ix < d.w(); ix++) {
                        double acc = 0.0;
                        for (int a = 0; a < d.fh(); a++) {
                            int row = (p * d.oh() + iy * d.fh() + a) * d.ow() + ix * d.fw();
                            for (int b = 0; b < d.fw(); b++) {
                                acc += dy[row + b];
                            }
                        }
                        dx[(p * d.h() + iy) * d.w() + ix] = (float) acc;
                    }
                }
            }
        });
    }

    static void bilinearForward(float[] x, float[] y, Dims d, Parallel par) {
        Taps ty = Taps.of(d.h(), d.fh(), d.oh());
        Taps tx = Taps.of(d.w(), d.fw(), d.ow());
        par.forRange(d.planes(), (from, to) -> {
            for (int p = from; p < to; p++) {
                int plane = p * d.h() * d.w();
                for (int oy = 0; oy < d.oh(); oy++) {
                    int r0 = plane + ty.lo()[oy] * d.w();
                    int r1 = plane + ty.hi()[oy] * d.w();
                    double wy = ty.weight()[oy];
                    int dst = (p * d.oh() + oy) * d.ow();
                    for (int ox = 0; ox < d.ow(); ox++) {
                        int c0 = tx.lo()[ox];
                        int c1 = tx.hi()[ox];
                        double wx = tx.weight()[ox];
                        double top = (1 - wx) * x[r0 + c0] + wx * x[r0 + c1];
                        double bottom = (1 - wx) * x[r1 + c0] + wx * x[r1 + c1];
                        y[dst + ox] = (float) ((1 - wy) * top + wy * bottom);
                    }
                }
            }
        });
    }

    /** The adjoint of {@link #bilinearForward}: each output gradient goes to its four sources with the same weights. */
    static void bilinearBackward(float[] dy, float[] dx, Dims d, Parallel par) {
        Taps ty = Taps.of(d.h(), d.fh(), d.oh());
        Taps tx = Taps.of(d.w(), d.fw(), d.ow());
        par.forRange(d.planes(), (from, to) -> {
            double[] acc = new double[d.h() * d.w()];
            for (int p = from; p < to; p++) {
                java.util.Arrays.fill(acc, 0.0);
                for (int oy = 0; oy < d.oh(); oy++) {
                    int r0 = ty.lo()[oy] * d.w();
                    int r1 = ty.hi()[oy] * d.w();
                    double wy = ty.weight()[oy];
                    int src = (p * d.oh() + oy) * d.ow();
                    for (int ox = 0; ox < d.ow(); ox++) {
                        int c0 = tx.lo()[ox];
                        int c1 = tx.hi()[ox];
                        double wx = tx.weight()[ox];
                        double g = dy[src + ox];
                        acc[r0 + c0] += (1 - wy) * (1 - wx) * g;
                        acc[r0 + c1] += (1 - wy) * wx * g;
                        acc[r1 + c0] += wy * (1 - wx) * g;
                        acc[r1 + c1] += wy * wx * g;
                    }
                }
                int plane = p * d.h() * d.w();
                for (int q = 0; q < acc.length; q++) {
                    dx[plane + q] = (float) acc[q];
                }
            }
        });
    }
}
