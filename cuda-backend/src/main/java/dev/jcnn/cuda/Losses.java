package dev.jcnn.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

import dev.jcnn.backend.LossOps;
import jcuda.Pointer;

/**
 * Losses with the backend's kernels. Each block of a reducing kernel writes the sum of its
 * items' losses (in double) to a partial buffer; the host adds the partials in block order,
 * so the result does not depend on timing. The per-item gradient is written in the same pass.
 */
final class Losses extends LossOps<CudaTensor> {

    private final Gpu gpu;

    Losses(CudaBackend backend, Gpu gpu) {
        super(backend, CudaTensor.class);
        this.gpu = gpu;
    }

    /** Mean over the batch of −log softmax(logits)[label]; labels already checked. */
    @Override
    protected float computeSoftmaxCrossEntropy(CudaTensor logits, int[] labels, CudaTensor dlogits) {
        int n = logits.shape().dim(0);
        int classes = logits.shape().dim(1);
        Scratch.Buffer labelBuf = gpu.scratch.get(Scratch.Purpose.LABELS, 4L * n);
        Status.cu(cuMemcpyHtoD(labelBuf.pointer(), Pointer.to(labels), 4L * n), "cuMemcpyHtoD(" + n + " labels)");
        int blocks = Kernels.reduceBlocksFor(n);
        Scratch.Buffer partial = gpu.scratch.get(Scratch.Purpose.LOSS_PARTIALS, 8L * blocks);
        gpu.kernels.launchGrid(Kernel.SOFTMAX_CROSS_ENTROPY, blocks, logits, labelBuf, dlogits, partial, n, classes);
        return (float) (sum(partial, blocks, "softmax cross-entropy") / n);
    }

    /** Mean over all elements of the binary cross-entropy of sigmoid(logits) against targets. */
    @Override
    protected float computeSigmoidCrossEntropy(CudaTensor logits, CudaTensor targets, CudaTensor dlogits) {
        int n = logits.shape().size();
        int blocks = Kernels.reduceBlocksFor(n);
        Scratch.Buffer partial = gpu.scratch.get(Scratch.Purpose.LOSS_PARTIALS, 8L * blocks);
        gpu.kernels.launchGrid(Kernel.SIGMOID_CROSS_ENTROPY, blocks, logits, targets, dlogits, partial, n);
        return (float) (sum(partial, blocks, "sigmoid cross-entropy") / n);
    }

    /** Mean over all elements of (p − t)². */
    @Override
    protected float computeMeanSquaredError(CudaTensor predictions, CudaTensor targets, CudaTensor dpredictions) {
        int n = predictions.shape().size();
        int blocks = Kernels.reduceBlocksFor(n);
        Scratch.Buffer partial = gpu.scratch.get(Scratch.Purpose.LOSS_PARTIALS, 8L * blocks);
        gpu.kernels.launchGrid(Kernel.SQUARED_ERROR, blocks, predictions, targets, dpredictions, partial, n);
        return (float) (sum(partial, blocks, "mean squared error") / n);
    }

    /** Copies the partial sums back (this waits for the kernel) and adds them in order. */
    private static double sum(Scratch.Buffer partial, int blocks, String what) {
        double[] host = new double[blocks];
        Status.cu(cuMemcpyDtoH(Pointer.to(host), partial.pointer(), 8L * blocks), "cuMemcpyDtoH(partial sums of "
                + what + ")");
        double s = 0.0;
        for (double v : host) {
            s += v;
        }
        return s;
    }
}
