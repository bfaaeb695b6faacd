package dev.jcnn.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.jcudnn.JCudnn.cudnnAddTensor;

import dev.jcnn.backend.ElementwiseOps;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.tensor.Shape;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * Fill, copy, add, multiply, scale and zero padding on the GPU: add through cuDNN, the rest with the
 * backend's kernels. The family checks the shapes; the other families use the helpers here too.
 */
final class Elementwise extends ElementwiseOps<CudaTensor> {

    private static final Pointer ONE = Pointer.to(new float[] {1f});

    private final Gpu gpu;

    Elementwise(CudaBackend backend, Gpu gpu) {
        super(backend, CudaTensor.class);
        this.gpu = gpu;
    }

    @Override
    protected void computeFill(CudaTensor t, float value) {
        fill(t, t.shape().size(), value);
    }

    @Override
    protected void computeCopy(CudaTensor src, CudaTensor dst) {
        if (src != dst) {
            copy(src.pointer(), dst.pointer(), src.bytes(), "copy " + src.shape() + " to " + dst.shape());
        }
    }

    @Override
    protected void computeScale(CudaTensor a, float s, CudaTensor out) {
        scale(a, s, out, a.shape().size());
    }

    @Override
    protected void computeMultiply(CudaTensor a, CudaTensor b, CudaTensor out) {
        multiply(a, b, out, a.shape().size());
    }

    @Override
    protected void computeZeroPad(CudaTensor x, Padding2D padding, CudaTensor y) {
        pad(x, x.shape(), padding, 0f, y);
    }

    @Override
    protected void computeZeroPadBackward(CudaTensor dy, Padding2D padding, CudaTensor dx) {
        crop(dy, padding, dx, dx.shape());
    }

    void fill(DevicePointer t, int n, float value) {
        gpu.kernels.launch(Kernel.FILL, n, t, value, n);
    }

    void copy(CUdeviceptr src, CUdeviceptr dst, long bytes, String what) {
        Status.cu(cuMemcpyDtoD(dst, src, bytes), "cuMemcpyDtoD(" + what + ")");
    }

    /**
     * out = a + b with cuDNN's C = A + C: accumulates into whichever input out is, else
     * copies a to out first.
     */
    @Override
    protected void computeAdd(CudaTensor a, CudaTensor b, CudaTensor out) {
        var desc = gpu.descriptors.tensor(Descriptors.flat(out.shape()));
        CudaTensor addend;
        if (out == a) {
            addend = b;
        } else if (out == b) {
            addend = a;
        } else {
            copy(a.pointer(), out.pointer(), out.bytes(), "add: a to out");
            addend = b;
        }
        Status.cudnn(cudnnAddTensor(gpu.cudnn, ONE, desc, addend.pointer(), ONE, desc, out.pointer()),
                "cudnnAddTensor(add " + out.shape() + ")");
    }

    /** out = a · b elementwise; out may be a or b. */
    void multiply(DevicePointer a, DevicePointer b, DevicePointer out, int n) {
        gpu.kernels.launch(Kernel.MULTIPLY, n, a, b, out, n);
    }

    void scale(DevicePointer a, float s, DevicePointer out, int n) {
        gpu.kernels.launch(Kernel.SCALE, n, a, s, out, n);
    }

    /** y = x inside a border of {@code value}; x (N, C, H, W), y (N, C, H + top + bottom, W + left + right). */
    void pad(DevicePointer x, Shape xs, Padding2D p, float value, DevicePointer y) {
        int planes = xs.dim(0) * xs.dim(1);
        int ph = xs.dim(2) + p.top() + p.bottom();
        int pw = xs.dim(3) + p.left() + p.right();
        gpu.kernels.launch(Kernel.PAD, (long) planes * ph * pw, x, y, planes, xs.dim(2), xs.dim(3), p.top(), p.left(),
                ph, pw, value);
    }

    /** dx = the interior of dy; dx has shape {@code xs}, dy that shape padded by p. */
    void crop(DevicePointer dy, Padding2D p, DevicePointer dx, Shape xs) {
        int planes = xs.dim(0) * xs.dim(1);
        int ph = xs.dim(2) + p.top() + p.bottom();
        int pw = xs.dim(3) + p.left() + p.right();
        gpu.kernels.launch(Kernel.CROP, xs.size(), dy, dx, planes, ph, pw, p.top(), p.left(), xs.dim(2), xs.dim(3));
    }
}
