package dev.jcnn.cpu;

import java.util.Arrays;

/**
 * Max pooling whose windows lie inside the input and do not overlap ({@link Pooling#disjointMax}):
 * the common 2×2 stride-2 case. Same rules as {@link Pooling}: the first maximal element
 * of a window in row-major order wins and a NaN beats any number; the gradient goes to the
 * winner alone, so each input cell receives at most one value and nothing is accumulated.
 */
final class DisjointMaxPooling {

    private DisjointMaxPooling() {
    }

    static void forward(float[] x, float[] y, Pooling.Dims d, Parallel par) {
        par.forRange(d.planes(), (long) d.planes() * d.h() * d.w(), (from, to) -> {
            for (int p = from; p < to; p++) {
                for (int oy = 0; oy < d.oh(); oy++) {
                    int row = (p * d.h() + oy * d.sh()) * d.w();
                    int out = (p * d.oh() + oy) * d.ow();
                    if (d.wh() == 2 && d.ww() == 2) {
                        for (int ox = 0; ox < d.ow(); ox++) {
                            y[out + ox] = max2x2(x, row + ox * d.sw(), d.w());
                        }
                    } else {
                        for (int ox = 0; ox < d.ow(); ox++) {
                            y[out + ox] = x[winner(x, row + ox * d.sw(), d)];
                        }
                    }
                }
            }
        });
    }

    static void backward(float[] x, float[] dy, float[] dx, Pooling.Dims d, Parallel par) {
        int plane = d.h() * d.w();
        par.forRange(d.planes(), (long) d.planes() * plane, (from, to) -> {
            Arrays.fill(dx, from * plane, to * plane, 0f);
            for (int p = from; p < to; p++) {
                for (int oy = 0; oy < d.oh(); oy++) {
                    int row = (p * d.h() + oy * d.sh()) * d.w();
                    int out = (p * d.oh() + oy) * d.ow();
                    for (int ox = 0; ox < d.ow(); ox++) {
                        dx[winner(x, row + ox * d.sw(), d)] = dy[out + ox];
                    }
                }
            }
        });
    }

    /** The index of the window's first maximal element; the window's top-left cell is at corner. */
    private static int winner(float[] x, int corner, Pooling.Dims d) {
        int w = d.w();
        if (d.wh() == 2 && d.ww() == 2) {
            return winner2x2(x, corner, w);
        }
        int best = corner;
        for (int iy = 0; iy < d.wh(); iy++) {
            int r = corner + iy * w;
            for (int ix = 0; ix < d.ww(); ix++) {
                best = better(x, r + ix, best);
            }
        }
        return best;
    }

    /**
     * The 2×2 case without branches, which random data would mispredict half the time: the
     * maximum m by Math.max (a NaN wins), then the first cell equal to m, or NaN, in row-major
     * order. Equal cells include −0 and +0, so the first of them wins, as the comparison does.
     */
    private static int winner2x2(float[] x, int corner, int w) {
        float a = x[corner];
        float b = x[corner + 1];
        float c = x[corner + w];
        float e = x[corner + w + 1];
        float m = Math.max(Math.max(a, b), Math.max(c, e));
        int hits = ((a == m | a != a) ? 1 : 0) | ((b == m | b != b) ? 2 : 0) | ((c == m | c != c) ? 4 : 0) | 8;
        int k = Integer.numberOfTrailingZeros(hits);
        return corner + (k & 1) + (k >> 1) * w;
    }

    /**
     * The value of the 2×2 window's winner, by Math.max, which a NaN wins as in the search.
     * Math.max takes +0 over −0, while the search keeps the first of equal values; the two
     * differ only for a maximum of zero in a window holding a −0, which is rare, so the one
     * branch, on both conditions at once, predicts well (a branch on the zero maximum alone
     * would not: after ReLU whole windows are zero).
     */
    private static float max2x2(float[] x, int corner, int w) {
        float a = x[corner];
        float b = x[corner + 1];
        float c = x[corner + w];
        float e = x[corner + w + 1];
        float m = Math.max(Math.max(a, b), Math.max(c, e));
        if ((m == 0f) & (negativeZero(a) | negativeZero(b) | negativeZero(c) | negativeZero(e))) {
            m = a == 0f ? a : b == 0f ? b : c == 0f ? c : e;
        }
        return m;
    }

    private static boolean negativeZero(float v) {
        return Float.floatToRawIntBits(v) == 0x80000000;
    }

    /** i if x[i] beats x[best] (larger, or NaN against a number), else best. */
    private static int better(float[] x, int i, int best) {
        float v = x[i];
        float b = x[best];
        return v > b || (v != v && b == b) ? i : best;
    }
}
