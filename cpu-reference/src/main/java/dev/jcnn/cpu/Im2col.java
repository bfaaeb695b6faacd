package dev.jcnn.cpu;

import java.util.Arrays;

/**
 * The patch matrix of one image and its adjoint. Row (c, i, j) of the patch matrix, in the
 * weights' order, holds for every output pixel p = oy·ow + ox the input value under kernel
 * cell (i, j) of channel c, or 0 where that cell lies in the padding. A convolution is then
 * the matrix product weights (K × C·kh·kw) · patches (C·kh·kw × oh·ow).
 */
final class Im2col {

    private Im2col() {
    }

    /**
     * Writes sample s's patch matrix: row q at cols[off + q·ld], oh·ow values each.
     *
     * @param ld the row stride, at least oh·ow; several samples can sit side by side in one row
     */
    static void fill(float[] x, int s, Convolution.Dims d, float[] cols, int off, int ld) {
        int ow = d.ow();
        for (int c = 0; c < d.c(); c++) {
            int plane = (s * d.c() + c) * d.h();
            for (int i = 0; i < d.kh(); i++) {
                for (int j = 0; j < d.kw(); j++) {
                    int dst = off + ((c * d.kh() + i) * d.kw() + j) * ld;
                    // Output columns whose cell (i, j) falls inside the input: 0 <= ox·sw − padLeft + j < w.
                    int oxFrom = firstInside(d.padLeft() - j, d.sw(), ow);
                    int oxTo = endInside(d.w() - 1 + d.padLeft() - j, d.sw(), ow);
                    for (int oy = 0; oy < d.oh(); oy++) {
                        int row = dst + oy * ow;
                        int iy = oy * d.sh() - d.padTop() + i;
                        if (iy < 0 || iy >= d.h() || oxFrom >= oxTo) {
                            zero(cols, row, row + ow);
                            continue;
                        }
                        int src = (plane + iy) * d.w() - d.padLeft() + j;
                        zero(cols, row, row + oxFrom);
                        if (d.sw() == 1) {
                            System.arraycopy(x, src + oxFrom, cols, row + oxFrom, oxTo - oxFrom);
                        } else {
                            for (int ox = oxFrom; ox < oxTo; ox++) {
                                cols[row + ox] = x[src + ox * d.sw()];
                            }
                        }
                        zero(cols, row + oxTo, row + ow);
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #fill}: adds each entry of the patch-matrix gradient (row q at
     * dcols[q·ld]) to the input cell it came from, in sample s of dx, which is zeroed first.
     */
    static void accumulate(float[] dcols, int ld, Convolution.Dims d, float[] dx, int s, Kernels kr) {
        int ow = d.ow();
        int sampleSize = d.c() * d.h() * d.w();
        Arrays.fill(dx, s * sampleSize, (s + 1) * sampleSize, 0f);
        for (int c = 0; c < d.c(); c++) {
            int plane = (s * d.c() + c) * d.h();
            for (int i = 0; i < d.kh(); i++) {
                for (int j = 0; j < d.kw(); j++) {
                    int srcRow = ((c * d.kh() + i) * d.kw() + j) * ld;
                    int oxFrom = firstInside(d.padLeft() - j, d.sw(), ow);
                    int oxTo = endInside(d.w() - 1 + d.padLeft() - j, d.sw(), ow);
                    if (oxFrom >= oxTo) {
                        continue;
                    }
                    for (int oy = 0; oy < d.oh(); oy++) {
                        int iy = oy * d.sh() - d.padTop() + i;
                        if (iy < 0 || iy >= d.h()) {
                            continue;
                        }
                        int dst = (plane + iy) * d.w() - d.padLeft() + j;
                        int src = srcRow + oy * ow;
                        if (d.sw() == 1) {
                            kr.addTo(dcols, src + oxFrom, dx, dst + oxFrom, oxTo - oxFrom);
                        } else {
                            for (int ox = oxFrom; ox < oxTo; ox++) {
                                dx[dst + ox * d.sw()] += dcols[src + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Zeroes a[from..to): a plain loop, cheaper than Arrays.fill for the few cells of a border. */
    private static void zero(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = 0f;
        }
    }

    /** The first ox ≥ 0 with ox·stride ≥ lead, at most limit. */
    private static int firstInside(int lead, int stride, int limit) {
        return Math.min(limit, Math.max(0, -Math.floorDiv(-lead, stride)));
    }

    /** One past the last ox &lt; limit with ox·stride ≤ last; 0 when there is none. */
    private static int endInside(int last, int stride, int limit) {
        return last < 0 ? 0 : Math.min(limit, Math.floorDiv(last, stride) + 1);
    }
}
