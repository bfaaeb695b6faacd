package dev.jcnn.cpu;

/**
 * The kernels in plain Java: used when the Vector API is not enabled, and as the second
 * implementation that the tests hold the vector one to. Loops are written so that the JIT
 * can unroll and, where it is able, vectorize them; they do not reach the vector kernels' speed.
 */
final class ScalarKernels implements Kernels {

    static final ScalarKernels INSTANCE = new ScalarKernels();

    private static final int NR = 16;

    private ScalarKernels() {
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public String describe() {
        return "scalar Java";
    }

    @Override
    public void tile(int k, float[] a, int aOff, float[] b, int bOff, int[] bRows, float[] c, int cOff, int ldc,
            boolean accumulate) {
        for (int r = 0; r < MR; r++) {
            int row = cOff + r * ldc;
            for (int q = 0; q < NR; q++) {
                float acc = accumulate ? c[row + q] : 0f;
                int ap = aOff + r;
                int bq = bOff + q;
                for (int p = 0; p < k; p++) {
                    acc += a[ap] * b[bq + bRows[p]];
                    ap += MR;
                }
                c[row + q] = acc;
            }
        }
    }

    @Override
    public void dots(int len, float[] a, int aOff, int lda, float[] b, int bOff, int[] bRows, int q0, int rows,
            int cols, float[] c, int cOff, int ldc) {
        for (int r = 0; r < rows; r++) {
            int ar = aOff + r * lda;
            for (int q = 0; q < cols; q++) {
                int bq = bOff + bRows[q0 + q];
                float acc = 0f;
                for (int t = 0; t < len; t++) {
                    acc += a[ar + t] * b[bq + t];
                }
                c[cOff + r * ldc + q] += acc;
            }
        }
    }

    @Override
    public void addTo(float[] src, int srcOff, float[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] += src[srcOff + i];
        }
    }

    @Override
    public void copyAdding(float[] src, int srcOff, float[] dst, int dstOff, int len, float add) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = src[srcOff + i] + add;
        }
    }

    @Override
    public float sum(float[] x, int from, int to) {
        float acc = 0f;
        for (int i = from; i < to; i++) {
            acc += x[i];
        }
        return acc;
    }

    @Override
    public void relu(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = x[i] > 0f ? x[i] : 0f;
        }
    }

    @Override
    public void reluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = x[i] > 0f ? dy[i] : 0f;
        }
    }
}
