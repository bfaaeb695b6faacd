package dev.jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The dense layer's SGEMM/SGEMV arguments, checked by running them through a host
 * emulation of column-major BLAS and comparing with the row-major definitions.
 */
class GemmCallTest {

    @Test
    void forwardBackwardAndBiasGradientMatchTheDefinitions() {
        Random r = new Random(3);
        int[][] sizes = {{1, 1, 1}, {3, 7, 5}, {4, 400, 120}, {33, 17, 10}, {2, 1, 9}};
        for (int[] s : sizes) {
            int n = s[0];
            int in = s[1];
            int out = s[2];
            float[] x = random(r, n * in);
            float[] w = random(r, out * in);
            float[] b = random(r, out);
            float[] dy = random(r, n * out);
            float[] ones = new float[Math.max(n, 1)];
            java.util.Arrays.fill(ones, 1f);
            String where = "n " + n + " in " + in + " out " + out;

            float[] y = new float[n * out];
            sgemm(GemmCall.biasBroadcast(n, out), b, ones, 0f, y);
            sgemm(GemmCall.forward(n, in, out), w, x, 1f, y);
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < out; o++) {
                    double e = b[o];
                    for (int k = 0; k < in; k++) {
                        e += (double) x[i * in + k] * w[o * in + k];
                    }
                    assertEquals(e, y[i * out + o], 1e-4, where + " y[" + i + "," + o + "]");
                }
            }

            float[] dx = new float[n * in];
            sgemm(GemmCall.backwardData(n, in, out), w, dy, 0f, dx);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < in; k++) {
                    double e = 0;
                    for (int o = 0; o < out; o++) {
                        e += (double) dy[i * out + o] * w[o * in + k];
                    }
                    assertEquals(e, dx[i * in + k], 1e-4, where + " dx[" + i + "," + k + "]");
                }
            }

            float[] dw = new float[out * in];
            sgemm(GemmCall.backwardWeights(n, in, out), x, dy, 0f, dw);
            for (int o = 0; o < out; o++) {
                for (int k = 0; k < in; k++) {
                    double e = 0;
                    for (int i = 0; i < n; i++) {
                        e += (double) dy[i * out + o] * x[i * in + k];
                    }
                    assertEquals(e, dw[o * in + k], 1e-4, where + " dw[" + o + "," + k + "]");
                }
            }

            float[] db = new float[out];
            GemmCall.Gemv g = GemmCall.Gemv.biasGradient(n, out);
            sgemv(g, dy, ones, db);
            for (int o = 0; o < out; o++) {
                double e = 0;
                for (int i = 0; i < n; i++) {
                    e += dy[i * out + o];
                }
                assertEquals(e, db[o], 1e-4, where + " db[" + o + "]");
            }
        }
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** Column-major C = op(A)·op(B) + beta·C with alpha 1, as cublasSgemm computes it. */
    private static void sgemm(GemmCall g, float[] a, float[] b, float beta, float[] c) {
        for (int i = 0; i < g.m(); i++) {
            for (int j = 0; j < g.n(); j++) {
                double acc = 0;
                for (int k = 0; k < g.k(); k++) {
                    float av = g.transA() ? a[k + i * g.lda()] : a[i + k * g.lda()];
                    float bv = g.transB() ? b[j + k * g.ldb()] : b[k + j * g.ldb()];
                    acc += (double) av * bv;
                }
                c[i + j * g.ldc()] = (float) (acc + beta * c[i + j * g.ldc()]);
            }
        }
    }

    /** Column-major y = A·x (no transpose), as cublasSgemv with CUBLAS_OP_N computes it. */
    private static void sgemv(GemmCall.Gemv g, float[] a, float[] x, float[] y) {
        for (int i = 0; i < g.m(); i++) {
            double acc = 0;
            for (int j = 0; j < g.n(); j++) {
                acc += (double) a[i + j * g.lda()] * x[j];
            }
            y[i] = (float) acc;
        }
    }
}
