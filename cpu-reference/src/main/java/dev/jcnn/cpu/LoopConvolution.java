package dev.jcnn.cpu;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.tensor.Shape;
import java.util.Arrays;

/**
 * Dilated and grouped (including depthwise) convolutions on the CPU by direct loops, summed
 * in double in a fixed order: the fast paths of {@link Convolution} assume dense, contiguous
 * kernels over all channels. Filter k belongs to group k / (K/G) and sees that group's C/G
 * input channels; tap (ky, kx) reads the input ky·dh rows and kx·dw columns from the window's
 * corner. Work is split over samples (forward, input gradient) or filters (weight gradient),
 * each writing only its own part, so results do not depend on the thread count.
 */
final class LoopConvolution {

    private LoopConvolution() {
    }

    /** Sizes of one convolution; weights are (k, c/groups, kh, kw). */
    private record Geo(int n, int c, int h, int w, int k, int oh, int ow, int groupChannels, int groupFilters,
            ConvSpec s) {

        static Geo of(Shape x, int filters, ConvSpec s) {
            Shape y = s.outputShape(x, filters);
            return new Geo(x.dim(0), x.dim(1), x.dim(2), x.dim(3), filters, y.dim(2), y.dim(3), x.dim(1) / s.groups(),
                    filters / s.groups(), s);
        }

        int firstChannel(int filter) {
            return (filter / groupFilters) * groupChannels;
        }

        int row(int oy, int ky) {
            return oy * s.strideH() - s.padding().top() + ky * s.dilationH();
        }

        int column(int ox, int kx) {
            return ox * s.strideW() - s.padding().left() + kx * s.dilationW();
        }
    }

    /** y = x ⋆ w + b; b may be null. */
    static void forward(float[] x, Shape xs, float[] w, int filters, float[] b, ConvSpec s, float[] y, Parallel par) {
        Geo g = Geo.of(xs, filters, s);
        int kh = s.kernelH();
        int kw = s.kernelW();
        par.forRange(g.n(), (long) g.n() * g.k() * g.oh() * g.ow() * g.groupChannels() * kh * kw, (from, to) -> {
            for (int n = from; n < to; n++) {
                for (int k = 0; k < g.k(); k++) {
                    int c0 = g.firstChannel(k);
                    for (int oy = 0; oy < g.oh(); oy++) {
                        for (int ox = 0; ox < g.ow(); ox++) {
                            double acc = b == null ? 0.0 : b[k];
                            for (int gc = 0; gc < g.groupChannels(); gc++) {
                                int xBase = (n * g.c() + c0 + gc) * g.h();
                                int wBase = (k * g.groupChannels() + gc) * kh;
                                for (int ky = 0; ky < kh; ky++) {
                                    int iy = g.row(oy, ky);
                                    if (iy < 0 || iy >= g.h()) {
                                        continue;
                                    }
                                    for (int kx = 0; kx < kw; kx++) {
                                        int ix = g.column(ox, kx);
                                        if (ix >= 0 && ix < g.w()) {
                                            acc += (double) x[(xBase + iy) * g.w() + ix] * w[(wBase + ky) * kw + kx];
                                        }
                                    }
                                }
                            }
                            y[((n * g.k() + k) * g.oh() + oy) * g.ow() + ox] = (float) acc;
                        }
                    }
                }
            }
        });
    }

    /** dx: each product x[i]·w[j] of the forward pass sends dy·w[j] to dx[i]. */
    static void backwardData(float[] dy, float[] w, Shape xs, int filters, ConvSpec s, float[] dx, Parallel par) {
        Geo g = Geo.of(xs, filters, s);
        int kh = s.kernelH();
        int kw = s.kernelW();
        int plane = g.c() * g.h() * g.w();
        par.forRange(g.n(), (long) g.n() * g.k() * g.oh() * g.ow() * g.groupChannels() * kh * kw, (from, to) -> {
            double[] acc = new double[plane];
            for (int n = from; n < to; n++) {
                Arrays.fill(acc, 0.0);
                for (int k = 0; k < g.k(); k++) {
                    int c0 = g.firstChannel(k);
                    for (int oy = 0; oy < g.oh(); oy++) {
                        for (int ox = 0; ox < g.ow(); ox++) {
                            double d = dy[((n * g.k() + k) * g.oh() + oy) * g.ow() + ox];
                            for (int gc = 0; gc < g.groupChannels(); gc++) {
                                int xBase = (c0 + gc) * g.h();
                                int wBase = (k * g.groupChannels() + gc) * kh;
                                for (int ky = 0; ky < kh; ky++) {
                                    int iy = g.row(oy, ky);
                                    if (iy < 0 || iy >= g.h()) {
                                        continue;
                                    }
                                    for (int kx = 0; kx < kw; kx++) {
                                        int ix = g.column(ox, kx);
                                        if (ix >= 0 && ix < g.w()) {
                                            acc[(xBase + iy) * g.w() + ix] += d * w[(wBase + ky) * kw + kx];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                for (int i = 0; i < plane; i++) {
                    dx[n * plane + i] = (float) acc[i];
                }
            }
        });
    }

    /** dw (overwritten): each product x[i]·w[j] of the forward pass sends dy·x[i] to dw[j]. */
    static void backwardFilter(float[] x, Shape xs, float[] dy, int filters, ConvSpec s, float[] dw, Parallel par) {
        Geo g = Geo.of(xs, filters, s);
        int kh = s.kernelH();
        int kw = s.kernelW();
        int perFilter = g.groupChannels() * kh * kw;
        par.forRange(g.k(), (long) g.n() * g.k() * g.oh() * g.ow() * perFilter, (from, to) -> {
            double[] acc = new double[perFilter];
            for (int k = from; k < to; k++) {
                Arrays.fill(acc, 0.0);
                int c0 = g.firstChannel(k);
                for (int n = 0; n < g.n(); n++) {
                    for (int oy = 0; oy < g.oh(); oy++) {
                        for (int ox = 0; ox < g.ow(); ox++) {
                            double d = dy[((n * g.k() + k) * g.oh() + oy) * g.ow() + ox];
                            for (int gc = 0; gc < g.groupChannels(); gc++) {
                                int xBase = (n * g.c() + c0 + gc) * g.h();
                                for (int ky = 0; ky < kh; ky++) {
                                    int iy = g.row(oy, ky);
                                    if (iy < 0 || iy >= g.h()) {
                                        continue;
                                    }
                                    for (int kx = 0; kx < kw; kx++) {
                                        int ix = g.column(ox, kx);
                                        if (ix >= 0 && ix < g.w()) {
                                            acc[(gc * kh + ky) * kw + kx] += d * x[(xBase + iy) * g.w() + ix];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                for (int j = 0; j < perFilter; j++) {
                    dw[k * perFilter + j] = (float) acc[j];
                }
            }
        });
    }
}
