package dev.jcnn.cuda;

import static jcuda.jcudnn.JCudnn.cudnnSoftmaxBackward;
import static jcuda.jcudnn.JCudnn.cudnnSoftmaxForward;

import dev.jcnn.backend.SoftmaxOps;
import jcuda.Pointer;
import jcuda.jcudnn.cudnnSoftmaxAlgorithm;
import jcuda.jcudnn.cudnnSoftmaxMode;
import jcuda.jcudnn.cudnnTensorDescriptor;

/**
 * Softmax and log-softmax over axis 1 with cuDNN's CHANNEL mode: per sample for (N, C), per
 * pixel for (N, C, H, W). The accurate algorithm subtracts the maximum first.
 */
final class Softmax extends SoftmaxOps<CudaTensor> {

    private static final Pointer ONE = Pointer.to(new float[] {1f});
    private static final Pointer ZERO = Pointer.to(new float[] {0f});

    private final Gpu gpu;

    Softmax(CudaBackend backend, Gpu gpu) {
        super(backend, CudaTensor.class);
        this.gpu = gpu;
    }

    @Override
    protected void computeForward(CudaTensor x, boolean log, CudaTensor y) {
        cudnnTensorDescriptor d = gpu.descriptors.tensor(Descriptors.nchw(x.shape()));
        Status.cudnn(cudnnSoftmaxForward(gpu.cudnn, algorithm(log), cudnnSoftmaxMode.CUDNN_SOFTMAX_MODE_CHANNEL, ONE, d,
                x.pointer(), ZERO, d, y.pointer()), "cudnnSoftmaxForward(" + (log ? "log, " : "") + x.shape() + ")");
    }

    @Override
    protected void computeBackward(CudaTensor y, CudaTensor dy, boolean log, CudaTensor dx) {
        cudnnTensorDescriptor d = gpu.descriptors.tensor(Descriptors.nchw(y.shape()));
        Status.cudnn(cudnnSoftmaxBackward(gpu.cudnn, algorithm(log), cudnnSoftmaxMode.CUDNN_SOFTMAX_MODE_CHANNEL, ONE, d,
                y.pointer(), d, dy.pointer(), ZERO, d, dx.pointer()),
                "cudnnSoftmaxBackward(" + (log ? "log, " : "") + y.shape() + ")");
    }

    private static int algorithm(boolean log) {
        return log ? cudnnSoftmaxAlgorithm.CUDNN_SOFTMAX_LOG : cudnnSoftmaxAlgorithm.CUDNN_SOFTMAX_ACCURATE;
    }
}
