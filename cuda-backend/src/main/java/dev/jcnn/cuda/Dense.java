package dev.jcnn.cuda;

import static jcuda.jcublas.JCublas2.cublasSgemm;
import static jcuda.jcublas.JCublas2.cublasSgemv;

import dev.jcnn.backend.DenseOps;
import jcuda.Pointer;
import jcuda.jcublas.cublasOperation;

/**
 * The fully connected layer with cuBLAS: y = x·wᵀ + b, its input gradient and its weight
 * gradient as SGEMMs, the bias (broadcast) as a rank-1 SGEMM with a vector of ones and the
 * bias gradient as an SGEMV with it. The row-major to column-major mapping is
 * {@link GemmCall}'s.
 */
final class Dense extends DenseOps<CudaTensor> {

    private static final Pointer ONE = Pointer.to(new float[] {1f});
    private static final Pointer ZERO = Pointer.to(new float[] {0f});

    private final Gpu gpu;
    private final Elementwise elementwise;

    Dense(CudaBackend backend, Gpu gpu, Elementwise elementwise) {
        super(backend, CudaTensor.class);
        this.gpu = gpu;
        this.elementwise = elementwise;
    }

    @Override
    protected void computeForward(CudaTensor x, CudaTensor w, CudaTensor b, CudaTensor y) {
        forward(x, w, b, y, x.shape().batch(), w.shape().dim(1), w.shape().dim(0));
    }

    @Override
    protected void computeBackwardData(CudaTensor dy, CudaTensor w, CudaTensor dx) {
        backwardData(dy, w, dx, dx.shape().batch(), w.shape().dim(1), w.shape().dim(0));
    }

    @Override
    protected void computeBackwardWeights(CudaTensor x, CudaTensor dy, CudaTensor dw) {
        backwardWeights(x, dy, dw, x.shape().batch(), dw.shape().dim(1), dw.shape().dim(0));
    }

    private void forward(CudaTensor x, CudaTensor w, CudaTensor b, CudaTensor y, int batch, int in, int out) {
        Pointer beta = ZERO;
        if (b != null) {
            gemm(GemmCall.biasBroadcast(batch, out), b, ones(batch), ZERO, y, "bias of dense forward");
            beta = ONE;
        }
        gemm(GemmCall.forward(batch, in, out), w, x, beta, y, "dense forward");
    }

    private void backwardData(CudaTensor dy, CudaTensor w, CudaTensor dx, int batch, int in, int out) {
        gemm(GemmCall.backwardData(batch, in, out), w, dy, ZERO, dx, "dense backward data");
    }

    private void backwardWeights(CudaTensor x, CudaTensor dy, CudaTensor dw, int batch, int in, int out) {
        gemm(GemmCall.backwardWeights(batch, in, out), x, dy, ZERO, dw, "dense backward weights");
    }

    /** db = the column sums of dy (batch × out). */
    void biasBackward(CudaTensor dy, CudaTensor db, int batch, int out) {
        GemmCall.Gemv g = GemmCall.Gemv.biasGradient(batch, out);
        Status.cublas(cublasSgemv(gpu.cublas, cublasOperation.CUBLAS_OP_N, g.m(), g.n(), ONE, dy.pointer(), g.lda(),
                ones(batch).pointer(), 1, ZERO, db.pointer(), 1), "cublasSgemv(bias gradient of dy (" + batch + ", "
                + out + "))");
    }

    private void gemm(GemmCall g, DevicePointer a, DevicePointer b, Pointer beta, DevicePointer c, String what) {
        Status.cublas(cublasSgemm(gpu.cublas, g.transA() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
                g.transB() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N, g.m(), g.n(), g.k(), ONE,
                a.pointer(), g.lda(), b.pointer(), g.ldb(), beta, c.pointer(), g.ldc()), "cublasSgemm(" + what + ", "
                + g + ")");
    }

    /** A device vector of at least n ones, kept in scratch and refilled only when it grows. */
    private DevicePointer ones(int n) {
        boolean ready = gpu.scratch.has(Scratch.Purpose.ONES, 4L * n);
        Scratch.Buffer buf = gpu.scratch.get(Scratch.Purpose.ONES, 4L * n);
        if (!ready) {
            elementwise.fill(buf, (int) (buf.bytes() / 4), 1f);
        }
        return buf;
    }
}
