package dev.jcnn.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.CrossEntropySpec;
import dev.jcnn.backend.LossOps;
import dev.jcnn.tensor.Shape;
import jcuda.Pointer;

/**
 * Losses with the backend's kernels. Each block of a reducing kernel writes the sum of its
 * items' losses (in double) to a partial buffer; the host adds the partials in block order,
 * so the result does not depend on timing. The per-item gradient is written in the same pass,
 * except for Dice, whose gradient needs the whole batch's sums: a second kernel writes it
 * from coefficients the host works out from those sums. The logits never leave the device;
 * labels and class weights are uploaded, partial sums read back.
 */
final class Losses extends LossOps<CudaTensor> {

    /**
     * What the loss kernels need of the device: launches (reducing ones with a block count the
     * device chooses), scratch buffers filled from the host, and partial sums read back. The
     * GPU's is {@link OnGpu}; the host tests run the same kernels on the CPU through theirs.
     */
    interface Device extends KernelLauncher {

        /** Blocks of a reducing launch over work items: the length of its partial-sum buffer. */
        int reduceBlocks(long work);

        /** Launches a reducing kernel with exactly blocks blocks. */
        void launchReducing(Kernel k, int blocks, Object... args);

        /** A scratch buffer of at least bytes for this purpose. */
        DevicePointer buffer(Scratch.Purpose purpose, long bytes);

        /** A scratch buffer for this purpose holding values. */
        DevicePointer upload(Scratch.Purpose purpose, int[] values);

        /** A scratch buffer for this purpose holding values. */
        DevicePointer upload(Scratch.Purpose purpose, float[] values);

        /** A scratch buffer for this purpose holding values. */
        DevicePointer upload(Scratch.Purpose purpose, double[] values);

        /** The first count doubles of a buffer (this waits for the kernels before it). */
        double[] read(DevicePointer buffer, int count, String what);
    }

    private final Device device;

    Losses(CudaBackend backend, Gpu gpu) {
        this(backend, new OnGpu(gpu));
    }

    /** The losses of backend on device (the host tests' device runs the kernels on the CPU). */
    Losses(Backend backend, Device device) {
        super(backend, CudaTensor.class);
        this.device = device;
    }

    /** See {@link CrossEntropySpec}; one thread per (sample, position), the terms in double. */
    @Override
    protected float computeSoftmaxCrossEntropy(CudaTensor logits, int[] labels, CrossEntropySpec spec, double weightSum,
            CudaTensor dlogits) {
        Shape s = logits.shape();
        int n = s.dim(0);
        int classes = s.dim(1);
        int positions = s.size() / (n * classes);
        int count = n * positions;
        DevicePointer labelBuf = device.upload(Scratch.Purpose.LABELS, labels);
        DevicePointer weights = spec.hasClassWeights()
                ? device.upload(Scratch.Purpose.CLASS_WEIGHTS, spec.classWeights()) : null;
        int blocks = device.reduceBlocks(count);
        DevicePointer partial = device.buffer(Scratch.Purpose.LOSS_PARTIALS, 8L * blocks);
        device.launchReducing(Kernel.SOFTMAX_CROSS_ENTROPY, blocks, logits, labelBuf, weights, dlogits, partial, n,
                classes, positions, spec.onTargetShare(), spec.offTargetShare(classes), spec.smoothingWeight(classes),
                weightSum, spec.skippedLabel());
        return (float) (sum(device.read(partial, blocks, "partial sums of softmax cross-entropy")) / weightSum);
    }

    /**
     * Per class, Σ p_c t_c and Σ (p_c + t_c) as partial sums per block (after one kernel writes
     * each position's log-sum-exp); the loss and dL/dp_c for t_c = 0 and 1 on the host, in the
     * CPU reference's expressions; then the gradient through the softmax on the device.
     */
    @Override
    protected float computeSoftmaxDice(CudaTensor logits, int[] labels, double epsilon, CudaTensor dlogits) {
        Shape s = logits.shape();
        int n = s.dim(0);
        int classes = s.dim(1);
        int positions = s.size() / (n * classes);
        int count = n * positions;
        DevicePointer labelBuf = device.upload(Scratch.Purpose.LABELS, labels);
        DevicePointer logSum = device.buffer(Scratch.Purpose.LOG_SUM_EXP, 8L * count);
        device.launch(Kernel.SOFTMAX_LOG_SUM_EXP, count, logits, logSum, n, classes, positions);
        int blocks = device.reduceBlocks(count);
        DevicePointer partial = device.buffer(Scratch.Purpose.LOSS_PARTIALS, 16L * classes * blocks);
        device.launchReducing(Kernel.SOFTMAX_DICE_SUMS, blocks, logits, labelBuf, logSum, partial, n, classes,
                positions);
        double[] parts = device.read(partial, 2 * classes * blocks, "partial sums of soft Dice");
        double meanDice = 0;
        double[] dp = new double[2 * classes];
        for (int c = 0; c < classes; c++) {
            double intersection = 0;
            double sum = 0;
            for (int b = 0; b < blocks; b++) {
                intersection += parts[(c * blocks + b) * 2];
                sum += parts[(c * blocks + b) * 2 + 1];
            }
            double denominator = sum + epsilon;
            double numerator = 2 * intersection + epsilon;
            meanDice += numerator / denominator / classes;
            for (int t = 0; t <= 1; t++) {
                dp[2 * c + t] = -((t == 1 ? 2 : 0) * denominator - numerator) / (denominator * denominator) / classes;
            }
        }
        if (dlogits != null) {
            DevicePointer coefficients = device.upload(Scratch.Purpose.LOSS_COEFFICIENTS, dp);
            device.launch(Kernel.SOFTMAX_DICE_GRADIENT, count, logits, labelBuf, logSum, coefficients, dlogits, n,
                    classes, positions);
        }
        return (float) (1 - meanDice);
    }

    /** Σ p t and Σ (p + t) as partial sums per block; the gradient from the totals in a second kernel. */
    @Override
    protected float computeSigmoidDice(CudaTensor logits, CudaTensor targets, double epsilon, CudaTensor dlogits) {
        int n = logits.shape().size();
        int blocks = device.reduceBlocks(n);
        DevicePointer partial = device.buffer(Scratch.Purpose.LOSS_PARTIALS, 16L * blocks);
        device.launchReducing(Kernel.SIGMOID_DICE_SUMS, blocks, logits, targets, partial, n);
        double[] parts = device.read(partial, 2 * blocks, "partial sums of binary soft Dice");
        double intersection = 0;
        double sum = 0;
        for (int b = 0; b < blocks; b++) {
            intersection += parts[2 * b];
            sum += parts[2 * b + 1];
        }
        double denominator = sum + epsilon;
        double numerator = 2 * intersection + epsilon;
        if (dlogits != null) {
            device.launch(Kernel.SIGMOID_DICE_GRADIENT, n, logits, targets, dlogits, numerator, denominator, n);
        }
        return (float) (1 - numerator / denominator);
    }

    /** Mean over all elements of the binary cross-entropy of sigmoid(logits) against targets. */
    @Override
    protected float computeSigmoidCrossEntropy(CudaTensor logits, CudaTensor targets, CudaTensor dlogits) {
        int n = logits.shape().size();
        int blocks = device.reduceBlocks(n);
        DevicePointer partial = device.buffer(Scratch.Purpose.LOSS_PARTIALS, 8L * blocks);
        device.launchReducing(Kernel.SIGMOID_CROSS_ENTROPY, blocks, logits, targets, dlogits, partial, n);
        return (float) (sum(device.read(partial, blocks, "partial sums of sigmoid cross-entropy")) / n);
    }

    /** Mean over all elements of (p − t)². */
    @Override
    protected float computeMeanSquaredError(CudaTensor predictions, CudaTensor targets, CudaTensor dpredictions) {
        int n = predictions.shape().size();
        int blocks = device.reduceBlocks(n);
        DevicePointer partial = device.buffer(Scratch.Purpose.LOSS_PARTIALS, 8L * blocks);
        device.launchReducing(Kernel.SQUARED_ERROR, blocks, predictions, targets, dpredictions, partial, n);
        return (float) (sum(device.read(partial, blocks, "partial sums of mean squared error")) / n);
    }

    /** The partial sums added in block order. */
    private static double sum(double[] partials) {
        double s = 0.0;
        for (double v : partials) {
            s += v;
        }
        return s;
    }

    /** The GPU: the backend's kernels and scratch buffers, copies through the driver API. */
    private static final class OnGpu implements Device {

        private final Gpu gpu;

        OnGpu(Gpu gpu) {
            this.gpu = gpu;
        }

        @Override
        public void launch(Kernel k, long work, Object... args) {
            gpu.kernels.launch(k, work, args);
        }

        @Override
        public int reduceBlocks(long work) {
            return Kernels.reduceBlocksFor(work);
        }

        @Override
        public void launchReducing(Kernel k, int blocks, Object... args) {
            gpu.kernels.launchGrid(k, blocks, args);
        }

        @Override
        public DevicePointer buffer(Scratch.Purpose purpose, long bytes) {
            return gpu.scratch.get(purpose, bytes);
        }

        @Override
        public DevicePointer upload(Scratch.Purpose purpose, int[] values) {
            return copy(purpose, Pointer.to(values), 4L * values.length, values.length + " ints");
        }

        @Override
        public DevicePointer upload(Scratch.Purpose purpose, float[] values) {
            return copy(purpose, Pointer.to(values), 4L * values.length, values.length + " floats");
        }

        @Override
        public DevicePointer upload(Scratch.Purpose purpose, double[] values) {
            return copy(purpose, Pointer.to(values), 8L * values.length, values.length + " doubles");
        }

        private DevicePointer copy(Scratch.Purpose purpose, Pointer host, long bytes, String what) {
            Scratch.Buffer b = gpu.scratch.get(purpose, bytes);
            Status.cu(cuMemcpyHtoD(b.pointer(), host, bytes), "cuMemcpyHtoD(" + what + " for " + purpose + ")");
            return b;
        }

        @Override
        public double[] read(DevicePointer buffer, int count, String what) {
            double[] host = new double[count];
            Status.cu(cuMemcpyDtoH(Pointer.to(host), buffer.pointer(), 8L * count), "cuMemcpyDtoH(" + what + ")");
            return host;
        }
    }
}
