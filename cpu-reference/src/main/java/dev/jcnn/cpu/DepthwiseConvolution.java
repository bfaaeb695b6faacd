package dev.jcnn.cpu;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.tensor.Shape;
import java.util.Arrays;

/**
 * Depthwise convolution (groups = input channels, each channel with its own m filters, filter
 * k reading channel k / m) on the {@link Kernels}, vectorised along output rows: MobileNet's
 * blocks, which the general grouped loop of {@link LoopConvolution} runs an order of magnitude
 * slower.
 *
 * <p>Each input plane is copied once into a zero-padded buffer split into column phases: phase
 * p holds the padded columns p, p + S, p + 2S, … side by side, so that for every tap (ky, kx)
 * the inputs of one output row are contiguous, at phase (kx·d) mod S, offset (kx·d) / S, and
 * the strided, dilated convolution becomes rows of weighted sums of shifted rows
 * ({@link Kernels#taps}). The input gradient is the same sum taken the other way: each output
 * gradient plane is padded with zeros and summed into a phase buffer of the input's shape,
 * destination rows grouped by their residue modulo the row stride, then cropped into dx. The
 * weight gradient is dot products of output-gradient planes with the shifted input rows
 * ({@link Kernels#tapDots}).
 *
 * <p>Sums are in float, each in a fixed order: a forward value is its bias (or 0) plus its
 * taps in (ky, kx) order; an input-gradient value sums its filters in order, each over its
 * taps in order; a weight gradient sums the samples in order. Work is split over (sample,
 * channel) pairs or channels, each writing only its own planes, so results do not depend on
 * the thread count.
 */
final class DepthwiseConvolution {

    private DepthwiseConvolution() {
    }

    /** Whether the convolution of input x with this many filters is depthwise: groups = channels. */
    static boolean applies(Shape x, int filters, ConvSpec s) {
        return s.groups() == x.dim(1) && filters % s.groups() == 0;
    }

    /** Sizes of one depthwise convolution and of its phase buffer. */
    private record Geo(int n, int c, int h, int w, int m, int kh, int kw, int sh, int sw, int dh, int dw, int top,
            int left, int oh, int ow, int rows, int width, int maxOffset) {

        static Geo of(Shape x, int filters, ConvSpec s) {
            Shape y = s.outputShape(x, filters);
            int oh = y.dim(2);
            int ow = y.dim(3);
            int maxOffset = (s.kernelW() - 1) * s.dilationW() / s.strideW();
            // the padded rows the windows reach, and each phase's columns
            int rows = (oh - 1) * s.strideH() + (s.kernelH() - 1) * s.dilationH() + 1;
            return new Geo(x.dim(0), x.dim(1), x.dim(2), x.dim(3), filters / x.dim(1), s.kernelH(), s.kernelW(),
                    s.strideH(), s.strideW(), s.dilationH(), s.dilationW(), s.padding().top(), s.padding().left(), oh,
                    ow, rows, ow + maxOffset, maxOffset);
        }

        int taps() {
            return kh * kw;
        }

        /** Floats of one phase buffer: S phases of rows × width. */
        int phaseSize() {
            return sw * rows * width;
        }

        int phase(int kx) {
            return kx * dw % sw;
        }

        int offset(int kx) {
            return kx * dw / sw;
        }

        /** Where tap t's input for output row 0, column 0 lies in the phase buffer. */
        void tapOffsets(int[] xo) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    xo[ky * kw + kx] = (phase(kx) * rows + ky * dh) * width + offset(kx);
                }
            }
        }

        long work() {
            return (long) n * c * m * oh * ow * kh * kw;
        }
    }

    /** Copies input plane xOff (h × w) into the zero-padded phase buffer. */
    private static void fillPhases(float[] x, int xOff, Geo g, float[] phases) {
        int sw = g.sw();
        for (int p = 0; p < sw; p++) {
            // phase p's column j is input column j·S + p − left: those from jFrom to jTo − 1 lie inside the input
            int jFrom = Math.min(g.width(), Math.max(0, Math.floorDiv(g.left() - p + sw - 1, sw)));
            int jTo = Math.max(jFrom, Math.min(g.width(), Math.floorDiv(g.w() - 1 + g.left() - p, sw) + 1));
            for (int r = 0; r < g.rows(); r++) {
                int dst = (p * g.rows() + r) * g.width();
                int iy = r - g.top();
                if (iy < 0 || iy >= g.h()) {
                    Arrays.fill(phases, dst, dst + g.width(), 0f);
                    continue;
                }
                Arrays.fill(phases, dst, dst + jFrom, 0f);
                int src = xOff + iy * g.w() + p - g.left();
                if (sw == 1) {
                    System.arraycopy(x, src + jFrom, phases, dst + jFrom, jTo - jFrom);
                } else {
                    for (int j = jFrom; j < jTo; j++) {
                        phases[dst + j] = x[src + j * sw];
                    }
                }
                Arrays.fill(phases, dst + jTo, dst + g.width(), 0f);
            }
        }
    }

    /** y = x ⋆ w + b; b may be null. Weights (C·m, 1, kh, kw). */
    static void forward(float[] x, Shape xs, float[] w, int filters, float[] b, ConvSpec s, float[] y, Parallel par,
            Kernels kr) {
        Geo g = Geo.of(xs, filters, s);
        int taps = g.taps();
        int plane = g.oh() * g.ow();
        par.forRange(g.n() * g.c(), g.work(), (from, to) -> {
            float[] phases = new float[g.phaseSize()];
            float[] tw = new float[taps];
            int[] xo = new int[taps];
            g.tapOffsets(xo);
            for (int nc = from; nc < to; nc++) {
                int n = nc / g.c();
                int c = nc % g.c();
                fillPhases(x, nc * g.h() * g.w(), g, phases);
                for (int q = 0; q < g.m(); q++) {
                    int k = c * g.m() + q;
                    int yOff = (n * filters + k) * plane;
                    Arrays.fill(y, yOff, yOff + plane, b == null ? 0f : b[k]);
                    System.arraycopy(w, k * taps, tw, 0, taps);
                    kr.taps(g.oh(), g.ow(), taps, tw, phases, xo, g.sh() * g.width(), y, yOff, g.ow());
                }
            }
        });
    }

    /** dx, the adjoint of {@link #forward} applied to dy. */
    static void backwardData(float[] dy, float[] w, Shape xs, int filters, ConvSpec s, float[] dx, Parallel par,
            Kernels kr) {
        Geo g = Geo.of(xs, filters, s);
        int taps = g.taps();
        int plane = g.oh() * g.ow();
        // output-gradient planes padded so that every tap of every destination row reads inside them
        int margin = ((g.kh() - 1) * g.dh() + g.sh() - 1) / g.sh();
        int padRows = g.oh() + 2 * margin;
        int padWidth = g.ow() + 2 * g.maxOffset();
        par.forRange(g.n() * g.c(), g.work(), (from, to) -> {
            float[] phases = new float[g.phaseSize()];
            float[] padded = new float[padRows * padWidth];
            float[] tw = new float[taps];
            int[] xo = new int[taps];
            for (int nc = from; nc < to; nc++) {
                int n = nc / g.c();
                int c = nc % g.c();
                Arrays.fill(phases, 0f);
                for (int q = 0; q < g.m(); q++) {
                    int k = c * g.m() + q;
                    int dyOff = (n * filters + k) * plane;
                    for (int oy = 0; oy < g.oh(); oy++) {
                        System.arraycopy(dy, dyOff + oy * g.ow(), padded, (oy + margin) * padWidth + g.maxOffset(),
                                g.ow());
                    }
                    // destination rows r = residue + S·i take the taps whose row offset ky·d is r's residue
                    for (int residue = 0; residue < Math.min(g.sh(), g.rows()); residue++) {
                        int count = (g.rows() - residue + g.sh() - 1) / g.sh();
                        for (int p = 0; p < g.sw(); p++) {
                            int used = 0;
                            for (int ky = 0; ky < g.kh(); ky++) {
                                if (ky * g.dh() % g.sh() != residue) {
                                    continue;
                                }
                                int row = (residue - ky * g.dh()) / g.sh() + margin;
                                for (int kx = 0; kx < g.kw(); kx++) {
                                    if (g.phase(kx) == p) {
                                        tw[used] = w[k * taps + ky * g.kw() + kx];
                                        xo[used] = row * padWidth + g.maxOffset() - g.offset(kx);
                                        used++;
                                    }
                                }
                            }
                            if (used > 0) {
                                kr.taps(count, g.width(), used, tw, padded, xo, padWidth, phases,
                                        (p * g.rows() + residue) * g.width(), g.sh() * g.width());
                            }
                        }
                    }
                }
                cropPhases(phases, g, dx, nc * g.h() * g.w());
            }
        });
    }

    /** dx plane = the phase buffer's values at the input's pixels; pixels no window reaches get 0. */
    private static void cropPhases(float[] phases, Geo g, float[] dx, int dxOff) {
        int sw = g.sw();
        for (int iy = 0; iy < g.h(); iy++) {
            int r = iy + g.top();
            int dst = dxOff + iy * g.w();
            if (r >= g.rows()) {
                Arrays.fill(dx, dst, dst + g.w(), 0f);
                continue;
            }
            // input column ix is padded column ix + left: phase (ix + left) mod S, column (ix + left) / S
            int covered = Math.max(0, Math.min(g.w(), g.width() * sw - g.left()));
            if (sw == 1) {
                System.arraycopy(phases, r * g.width() + g.left(), dx, dst, covered);
            } else {
                for (int p = 0; p < sw; p++) {
                    int ix = Math.floorMod(p - g.left(), sw);
                    int src = (p * g.rows() + r) * g.width() + (ix + g.left()) / sw;
                    for (; ix < covered; ix += sw) {
                        dx[dst + ix] = phases[src++];
                    }
                }
            }
            Arrays.fill(dx, dst + covered, dst + g.w(), 0f);
        }
    }

    /** dw (overwritten), (C·m, 1, kh, kw): per filter, its samples' dot products added in sample order. */
    static void backwardFilter(float[] x, Shape xs, float[] dy, int filters, ConvSpec s, float[] dw, Parallel par,
            Kernels kr) {
        Geo g = Geo.of(xs, filters, s);
        int taps = g.taps();
        int plane = g.oh() * g.ow();
        par.forRange(g.c(), g.work(), (from, to) -> {
            float[] phases = new float[g.phaseSize()];
            int[] xo = new int[taps];
            g.tapOffsets(xo);
            Arrays.fill(dw, from * g.m() * taps, to * g.m() * taps, 0f);
            for (int c = from; c < to; c++) {
                for (int n = 0; n < g.n(); n++) {
                    fillPhases(x, (n * g.c() + c) * g.h() * g.w(), g, phases);
                    for (int q = 0; q < g.m(); q++) {
                        int k = c * g.m() + q;
                        kr.tapDots(g.oh(), g.ow(), taps, dy, (n * filters + k) * plane, g.ow(), phases, xo,
                                g.sh() * g.width(), dw, k * taps);
                    }
                }
            }
        });
    }
}
