package dev.jcnn.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.jcudnn.JCudnn.cudnnCreatePoolingDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnDestroyPoolingDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnGetPooling2dForwardOutputDim;
import static jcuda.jcudnn.JCudnn.cudnnPoolingBackward;
import static jcuda.jcudnn.JCudnn.cudnnPoolingForward;
import static jcuda.jcudnn.JCudnn.cudnnSetPooling2dDescriptor;

import dev.jcnn.backend.Numerics;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.PoolingOps;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcudnn.cudnnNanPropagation;
import jcuda.jcudnn.cudnnPoolingDescriptor;
import jcuda.jcudnn.cudnnPoolingMode;
import jcuda.jcudnn.cudnnTensorDescriptor;

/**
 * 2-D pooling with cuDNN: max, average with and without the padded cells, and sum. How each
 * case maps onto cuDNN (explicit padding, scaling, division by cell counts) is decided by
 * {@link PoolGeometry}; descriptors (and the cell-count factors) live in a plan per geometry.
 *
 * <p>Max pooling's gradient goes to the element cuDNN finds maximal; with ties inside a
 * window that may be another element than the CPU reference's first maximal one.
 */
final class Pooling extends PoolingOps<CudaTensor> implements AutoCloseable {

    private static final Pointer ZERO = Pointer.to(new float[] {0f});

    private final Gpu gpu;
    private final Elementwise elementwise;
    private final PlanCache<PoolGeometry, Plan> plans = new PlanCache<>(64);

    Pooling(CudaBackend backend, Gpu gpu, Elementwise elementwise) {
        super(backend, CudaTensor.class);
        this.gpu = gpu;
        this.elementwise = elementwise;
    }

    @Override
    protected void computeForward(CudaTensor x, PoolSpec spec, CudaTensor y) {
        Plan p = plans.get(new PoolGeometry(x.shape(), spec, gpu.numerics), Plan::new);
        DevicePointer in = padded(p, x);
        Status.cudnn(cudnnPoolingForward(gpu.cudnn, p.poolDesc, p.alpha, p.xDesc, in.pointer(), ZERO, p.yDesc,
                y.pointer()), "cudnnPoolingForward(" + p.name + ")");
        if (p.inverseCounts != null) {
            gpu.kernels.launch(Kernel.SCALE_PLANES, y.shape().size(), y, p.inverseCounts, p.planeSize,
                    y.shape().size());
        }
    }

    @Override
    protected void computeBackward(CudaTensor x, CudaTensor y, CudaTensor dy, PoolSpec spec, CudaTensor dx) {
        Plan p = plans.get(new PoolGeometry(x.shape(), spec, gpu.numerics), Plan::new);
        DevicePointer in = padded(p, x);
        DevicePointer grad = dy;
        if (p.inverseCounts != null) {
            // d(sum / count) = dy / count, spread by the sum's gradient
            Scratch.Buffer scaled = gpu.scratch.get(Scratch.Purpose.SCALED_GRADIENT, dy.bytes());
            elementwise.copy(dy.pointer(), scaled.pointer(), dy.bytes(), "pooling gradient");
            gpu.kernels.launch(Kernel.SCALE_PLANES, dy.shape().size(), scaled, p.inverseCounts, p.planeSize,
                    dy.shape().size());
            grad = scaled;
        }
        boolean crop = !p.geometry.explicitPadding().isZero();
        DevicePointer out = crop
                ? gpu.scratch.get(Scratch.Purpose.PADDED_GRADIENT, 4L * p.geometry.cudnnInput().size()) : dx;
        Status.cudnn(cudnnPoolingBackward(gpu.cudnn, p.poolDesc, p.alpha, p.yDesc, y.pointer(), p.yDesc, grad.pointer(),
                p.xDesc, in.pointer(), ZERO, p.xDesc, out.pointer()), "cudnnPoolingBackward(" + p.name + ")");
        if (crop) {
            elementwise.crop(out, p.geometry.explicitPadding(), dx, dx.shape());
        }
    }

    private DevicePointer padded(Plan p, CudaTensor x) {
        if (p.geometry.explicitPadding().isZero()) {
            return x;
        }
        Scratch.Buffer buf = gpu.scratch.get(Scratch.Purpose.PADDED_INPUT, 4L * p.geometry.cudnnInput().size());
        elementwise.pad(x, x.shape(), p.geometry.explicitPadding(), p.geometry.padValue(), buf);
        return buf;
    }

    int cachedPlans() {
        return plans.size();
    }

    @Override
    public void close() {
        plans.close();
    }

    /** cuDNN's constant for the mode; max pooling is deterministic in exact numerics. */
    static int cudnnMode(PoolGeometry.CudnnMode mode, Numerics numerics) {
        return switch (mode) {
            case MAX -> numerics == Numerics.EXACT ? cudnnPoolingMode.CUDNN_POOLING_MAX_DETERMINISTIC
                    : cudnnPoolingMode.CUDNN_POOLING_MAX;
            case AVERAGE_INCLUDE_PADDING -> cudnnPoolingMode.CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING;
            case AVERAGE_EXCLUDE_PADDING -> cudnnPoolingMode.CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING;
        };
    }

    /** Descriptors of one geometry and, for exclude-pad averages padded explicitly, 1/cell count per output position. */
    final class Plan implements AutoCloseable {

        final PoolGeometry geometry;
        final String name;
        final cudnnTensorDescriptor xDesc;
        final cudnnTensorDescriptor yDesc;
        final cudnnPoolingDescriptor poolDesc = new cudnnPoolingDescriptor();
        final Pointer alpha;
        final PlanBuffer inverseCounts;
        final int planeSize;
        private final List<AutoCloseable> owned = new ArrayList<>();

        Plan(PoolGeometry g) {
            geometry = g;
            PoolSpec s = g.spec();
            name = s.mode() + " " + PoolGeometry.describe(s) + " of " + g.x();
            Shape y = g.y();
            planeSize = y.dim(2) * y.dim(3);
            alpha = Pointer.to(new float[] {g.alpha()});
            try {
                xDesc = Descriptors.newTensor(Descriptors.nchw(g.cudnnInput()));
                owned.add(() -> Descriptors.destroy(xDesc));
                yDesc = Descriptors.newTensor(Descriptors.nchw(y));
                owned.add(() -> Descriptors.destroy(yDesc));
                Status.cudnn(cudnnCreatePoolingDescriptor(poolDesc), "cudnnCreatePoolingDescriptor");
                owned.add(() -> Status.cudnn(cudnnDestroyPoolingDescriptor(poolDesc), "cudnnDestroyPoolingDescriptor"));
                int mode = cudnnMode(g.cudnnMode(), g.numerics());
                Status.cudnn(cudnnSetPooling2dDescriptor(poolDesc, mode, cudnnNanPropagation.CUDNN_PROPAGATE_NAN,
                        s.windowH(), s.windowW(), g.cudnnPadH(), g.cudnnPadW(), s.strideH(), s.strideW()),
                        "cudnnSetPooling2dDescriptor(" + name + ")");
                int[] n = new int[1];
                int[] c = new int[1];
                int[] h = new int[1];
                int[] w = new int[1];
                Status.cudnn(cudnnGetPooling2dForwardOutputDim(poolDesc, xDesc, n, c, h, w),
                        "cudnnGetPooling2dForwardOutputDim(" + name + ")");
                if (!Shape.of(n[0], c[0], h[0], w[0]).equals(y)) {
                    throw new IllegalStateException("cuDNN computes output " + Shape.of(n[0], c[0], h[0], w[0])
                            + " for " + name + ", core's formula " + y);
                }
                if (g.dividesByCellCount()) {
                    float[] inv = g.inverseCellCounts();
                    CUdeviceptr p = gpu.device.allocate(4L * inv.length, "pooling cell counts of " + name);
                    inverseCounts = new PlanBuffer(p);
                    owned.add(() -> gpu.device.free(p, "pooling cell counts"));
                    Status.cu(cuMemcpyHtoD(p, Pointer.to(inv), 4L * inv.length), "cuMemcpyHtoD(pooling cell counts)");
                } else {
                    inverseCounts = null;
                }
            } catch (RuntimeException e) {
                try {
                    Descriptors.closeAll(owned);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        @Override
        public void close() {
            Descriptors.closeAll(owned);
        }
    }

    /** A device buffer a plan owns. */
    record PlanBuffer(CUdeviceptr pointer) implements DevicePointer {
    }
}
