package dev.jcnn.cpu;

import dev.jcnn.backend.ElementwiseOps;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.tensor.Shape;
import java.util.Arrays;

/** Fill, copy, add, multiply, scale and zero padding of NCHW images on the CPU; the family checks the shapes. */
final class Elementwise extends ElementwiseOps<CpuTensor> {

    Elementwise(CpuBackend backend) {
        super(backend, CpuTensor.class);
    }

    @Override
    protected void computeFill(CpuTensor t, float value) {
        float[] d = t.data();
        fill(d, d.length, value);
    }

    @Override
    protected void computeCopy(CpuTensor src, CpuTensor dst) {
        float[] s = src.data();
        System.arraycopy(s, 0, dst.data(), 0, s.length);
    }

    @Override
    protected void computeAdd(CpuTensor a, CpuTensor b, CpuTensor out) {
        float[] da = a.data();
        add(da, b.data(), out.data(), da.length);
    }

    @Override
    protected void computeScale(CpuTensor a, float s, CpuTensor out) {
        float[] da = a.data();
        scale(da, s, out.data(), da.length);
    }

    @Override
    protected void computeMultiply(CpuTensor a, CpuTensor b, CpuTensor out) {
        float[] da = a.data();
        multiply(da, b.data(), out.data(), da.length);
    }

    @Override
    protected void computeZeroPad(CpuTensor x, Padding2D padding, CpuTensor y) {
        Shape s = x.shape();
        zeroPad(x.data(), s.dim(0) * s.dim(1), s.dim(2), s.dim(3), padding.top(), padding.left(), y.data(),
                y.shape().dim(2), y.shape().dim(3));
    }

    @Override
    protected void computeZeroPadBackward(CpuTensor dy, Padding2D padding, CpuTensor dx) {
        Shape s = dx.shape();
        zeroPadBackward(dy.data(), s.dim(0) * s.dim(1), dy.shape().dim(2), dy.shape().dim(3), padding.top(),
                padding.left(), dx.data(), s.dim(2), s.dim(3));
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
