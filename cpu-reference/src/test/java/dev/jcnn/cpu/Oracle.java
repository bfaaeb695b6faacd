package dev.jcnn.cpu;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.tensor.Shape;

/**
 * The naive oracle that every fast path is held to, as Caffe's tests keep {@code caffe_conv}:
 * direct nested loops straight from the definitions, every sum in double. Each op returns
 * the exact values and, for the tolerance, the sum of the absolute values of the terms of
 * each output ({@link Result}).
 */
final class Oracle {

    private Oracle() {
    }

    /** The expected values and, per value, Σ|term| of the sum that made it. */
    record Result(double[] values, double[] magnitudes) {

        static Result of(int size) {
            return new Result(new double[size], new double[size]);
        }

        void add(int i, double term) {
            values[i] += term;
            magnitudes[i] += Math.abs(term);
        }
    }

    /** y[s][k][oy][ox] = b[k] + Σ_{c,i,j} x[s][c][oy·sh − top + i][ox·sw − left + j]·w[k][c][i][j]; b may be null. */
    static Result convForward(float[] x, Shape xs, float[] w, float[] b, int filters, ConvSpec spec) {
        Shape ys = spec.outputShape(xs, filters);
        Result r = Result.of(ys.size());
        forEachTerm(xs, filters, spec, (yi, xi, wi) -> r.add(yi, (double) x[xi] * w[wi]));
        if (b != null) {
            int pixels = ys.dim(2) * ys.dim(3);
            for (int i = 0; i < ys.size(); i++) {
                r.add(i, b[(i / pixels) % filters]);
            }
        }
        return r;
    }

    /** dx[xi] = Σ over every term in which x[xi] takes part of dy[yi]·w[wi]. */
    static Result convBackwardData(float[] dy, Shape xs, float[] w, int filters, ConvSpec spec) {
        Result r = Result.of(xs.size());
        forEachTerm(xs, filters, spec, (yi, xi, wi) -> r.add(xi, (double) dy[yi] * w[wi]));
        return r;
    }

    /** dw[wi] = Σ over every term in which w[wi] takes part of dy[yi]·x[xi]. */
    static Result convBackwardFilter(float[] x, Shape xs, float[] dy, int filters, ConvSpec spec) {
        Result r = Result.of(spec.weightShape(xs.dim(1), filters).size());
        forEachTerm(xs, filters, spec, (yi, xi, wi) -> r.add(wi, (double) dy[yi] * x[xi]));
        return r;
    }

    /** db[k] = Σ_{s, p} dy[s][k][p]. */
    static Result biasBackward(float[] dy, int n, int channels, int inner) {
        Result r = Result.of(channels);
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < channels; c++) {
                for (int q = 0; q < inner; q++) {
                    r.add(c, dy[(s * channels + c) * inner + q]);
                }
            }
        }
        return r;
    }

    /** One term of a convolution: output index, input index, weight index. */
    @FunctionalInterface
    interface Term {
        void at(int yi, int xi, int wi);
    }

    /** Calls term for every (output, input, weight) triple of the convolution whose input cell is not padding. */
    static void forEachTerm(Shape xs, int filters, ConvSpec spec, Term term) {
        Shape ys = spec.outputShape(xs, filters);
        int n = xs.dim(0);
        int c = xs.dim(1);
        int h = xs.dim(2);
        int wd = xs.dim(3);
        int oh = ys.dim(2);
        int ow = ys.dim(3);
        int kh = spec.kernelH();
        int kw = spec.kernelW();
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < filters; k++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int yi = ((s * filters + k) * oh + oy) * ow + ox;
                        for (int ch = 0; ch < c; ch++) {
                            for (int i = 0; i < kh; i++) {
                                int iy = oy * spec.strideH() - spec.padding().top() + i;
                                for (int j = 0; j < kw; j++) {
                                    int ix = ox * spec.strideW() - spec.padding().left() + j;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                        term.at(yi, ((s * c + ch) * h + iy) * wd + ix, ((k * c + ch) * kh + i) * kw + j);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** y[s][o] = b[o] + Σ_i x[s][i]·w[o][i]; b may be null. */
    static Result denseForward(float[] x, float[] w, float[] b, int n, int in, int out) {
        Result r = Result.of(n * out);
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    r.add(s * out + o, (double) x[s * in + i] * w[o * in + i]);
                }
                if (b != null) {
                    r.add(s * out + o, b[o]);
                }
            }
        }
        return r;
    }

    /** dx[s][i] = Σ_o dy[s][o]·w[o][i]. */
    static Result denseBackwardData(float[] dy, float[] w, int n, int in, int out) {
        Result r = Result.of(n * in);
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < in; i++) {
                for (int o = 0; o < out; o++) {
                    r.add(s * in + i, (double) dy[s * out + o] * w[o * in + i]);
                }
            }
        }
        return r;
    }

    /** dw[o][i] = Σ_s dy[s][o]·x[s][i]. */
    static Result denseBackwardWeights(float[] x, float[] dy, int n, int in, int out) {
        Result r = Result.of(out * in);
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int s = 0; s < n; s++) {
                    r.add(o * in + i, (double) dy[s * out + o] * x[s * in + i]);
                }
            }
        }
        return r;
    }

    /** C[r][q] = (accumulate ? c0[r][q] : 0) + Σ_p A[r][p]·B[p][q]. */
    static Result matmul(float[] a, float[] b, float[] c0, int m, int n, int k, boolean accumulate) {
        Result r = Result.of(m * n);
        for (int i = 0; i < m; i++) {
            for (int q = 0; q < n; q++) {
                if (accumulate) {
                    r.add(i * n + q, c0[i * n + q]);
                }
                for (int p = 0; p < k; p++) {
                    r.add(i * n + q, (double) a[i * k + p] * b[p * n + q]);
                }
            }
        }
        return r;
    }

    /**
     * Max pooling without padding: the first maximal cell of each window in row-major order,
     * a NaN beating any number. Returns, per output, the index of the winning input cell.
     */
    static int[] maxPoolWinners(float[] x, int planes, int h, int w, int wh, int ww, int sh, int sw) {
        int oh = (h - wh) / sh + 1;
        int ow = (w - ww) / sw + 1;
        int[] winners = new int[planes * oh * ow];
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int best = -1;
                    for (int i = 0; i < wh; i++) {
                        for (int j = 0; j < ww; j++) {
                            int at = (p * h + oy * sh + i) * w + ox * sw + j;
                            if (best < 0 || x[at] > x[best] || (Float.isNaN(x[at]) && !Float.isNaN(x[best]))) {
                                best = at;
                            }
                        }
                    }
                    winners[(p * oh + oy) * ow + ox] = best;
                }
            }
        }
        return winners;
    }
}
