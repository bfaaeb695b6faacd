package dev.jcnn.cpu;

import java.util.Arrays;

/** Fill, add, multiply, scale and zero padding of NCHW images. Shapes are checked by {@link CpuBackend}. */
final class Elementwise {

    private Elementwise() {
    }

    static void fill(float[] t, int n, float value) {
        Arrays.fill(t, 0, n, value);
    }

    /** out = a + b; out may be a or b. */
    static void add(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = a[i] + b[i];
        }
    }

    /** out = a · b elementwise; out may be a or b. */
    static void multiply(float[] a, float[] b, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = a[i] * b[i];
        }
    }

    /** out = a · s; out may be a. */
    static void scale(float[] a, float s, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = a[i] * s;
        }
    }

    /**
     * Copies each (h, w) plane of x into the interior of the larger plane of y and zeroes the border.
     *
     * @param planes N·C, the number of image planes
     */
    static void zeroPad(float[] x, int planes, int h, int w, int top, int left, float[] y, int ph, int pw) {
        Arrays.fill(y, 0, planes * ph * pw, 0f);
        for (int p = 0; p < planes; p++) {
            for (int r = 0; r < h; r++) {
                System.arraycopy(x, (p * h + r) * w, y, (p * ph + r + top) * pw + left, w);
            }
        }
    }

    /** The gradient of {@link #zeroPad}: dx is dy's interior. */
    static void zeroPadBackward(float[] dy, int planes, int ph, int pw, int top, int left, float[] dx, int h, int w) {
        for (int p = 0; p < planes; p++) {
            for (int r = 0; r < h; r++) {
                System.arraycopy(dy, (p * ph + r + top) * pw + left, dx, (p * h + r) * w, w);
            }
        }
    }
}
