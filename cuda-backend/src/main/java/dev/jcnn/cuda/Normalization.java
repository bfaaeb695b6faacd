package dev.jcnn.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.jcudnn.JCudnn.cudnnBatchNormalizationBackward;
import static jcuda.jcudnn.JCudnn.cudnnBatchNormalizationForwardInference;
import static jcuda.jcudnn.JCudnn.cudnnBatchNormalizationForwardTraining;
import static jcuda.jcudnn.JCudnn.cudnnCreateLRNDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnDestroyLRNDescriptor;
import static jcuda.jcudnn.JCudnn.cudnnLRNCrossChannelBackward;
import static jcuda.jcudnn.JCudnn.cudnnLRNCrossChannelForward;
import static jcuda.jcudnn.JCudnn.cudnnSetLRNDescriptor;

import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.LrnSpec;
import dev.jcnn.backend.NormalizationOps;
import dev.jcnn.tensor.Shape;
import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnBatchNormMode;
import jcuda.jcudnn.cudnnLRNDescriptor;
import jcuda.jcudnn.cudnnLRNMode;
import jcuda.jcudnn.cudnnTensorDescriptor;

/**
 * Batch normalization per channel through cuDNN in {@code CUDNN_BATCHNORM_SPATIAL} mode:
 * statistics per channel over N·H·W values, as {@code dev.jcnn.cpu.Normalization} computes
 * them. (N, C) features are described as (N, C, 1, 1), where spatial mode reduces over N,
 * and other ranks as (N, C, rest, 1). cuDNN matches the backend's contract term by term:
 * its exponentialAverageFactor is {@link BatchNormSpec#averageFactor()}, it keeps the running
 * variance unbiased (σ²·m/(m − 1)), and its resultSaveMean and resultSaveInvVariance are the
 * batch mean and 1/sqrt(σ² + ε), which the backward pass takes back. cuDNN accumulates in
 * float, the CPU reference in double. The family checks the shapes; cuDNN's limit on epsilon is checked here.
 *
 * <p>Local response normalization goes through cuDNN's cross-channel LRN, whose descriptor takes
 * alpha in the same convention as {@link LrnSpec} (cuDNN divides it by the window size too);
 * cuDNN's limits on the window, k and beta are checked here.
 */
final class Normalization extends NormalizationOps<CudaTensor> {

    private static final int MODE = cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL;
    private static final Pointer ONE = Pointer.to(new float[] {1f});
    private static final Pointer ZERO = Pointer.to(new float[] {0f});

    /**
     * The epsilon handed to the backward pass, which takes the saved mean and inverse standard
     * deviation (ε included) and so never uses it; cuDNN still checks it against its minimum.
     */
    private static final double UNUSED_EPSILON = 1e-5;

    private final Gpu gpu;

    Normalization(CudaBackend backend, Gpu gpu) {
        super(backend, CudaTensor.class);
        this.gpu = gpu;
    }

    @Override
    protected void computeForwardTraining(CudaTensor x, CudaTensor gamma, CudaTensor beta, BatchNormSpec spec,
            CudaTensor runningMean, CudaTensor runningVar, CudaTensor y, CudaTensor savedMean,
            CudaTensor savedInvStd) {
        double epsilon = epsilon("batchNormForwardTraining", spec);
        cudnnTensorDescriptor xd = gpu.descriptors.tensor(Descriptors.nchw(x.shape()));
        cudnnTensorDescriptor cd = gpu.descriptors.tensor(perChannel(x.shape()));
        Status.cudnn(cudnnBatchNormalizationForwardTraining(gpu.cudnn, MODE, ONE, ZERO, xd, x.pointer(), xd,
                y.pointer(), cd, gamma.pointer(), beta.pointer(), spec.averageFactor(), runningMean.pointer(),
                runningVar.pointer(), epsilon, savedMean.pointer(), savedInvStd.pointer()),
                "cudnnBatchNormalizationForwardTraining(spatial, " + x.shape() + ", epsilon " + epsilon
                        + ", averageFactor " + spec.averageFactor() + ")");
    }

    /** y may be x: cuDNN does not promise in-place inference, so x is copied aside first. */
    @Override
    protected void computeForwardInference(CudaTensor x, CudaTensor gamma, CudaTensor beta, CudaTensor runningMean,
            CudaTensor runningVar, BatchNormSpec spec, CudaTensor y) {
        double epsilon = epsilon("batchNormForwardInference", spec);
        cudnnTensorDescriptor xd = gpu.descriptors.tensor(Descriptors.nchw(x.shape()));
        cudnnTensorDescriptor cd = gpu.descriptors.tensor(perChannel(x.shape()));
        DevicePointer input = x;
        if (x == y) {
            input = gpu.scratch.get(Scratch.Purpose.NORMALIZATION_INPUT, x.bytes());
            Status.cu(cuMemcpyDtoD(input.pointer(), x.pointer(), x.bytes()),
                    "cuMemcpyDtoD(batch normalization in place: x " + x.shape() + " to scratch)");
        }
        Status.cudnn(cudnnBatchNormalizationForwardInference(gpu.cudnn, MODE, ONE, ZERO, xd, input.pointer(), xd,
                y.pointer(), cd, gamma.pointer(), beta.pointer(), runningMean.pointer(), runningVar.pointer(),
                epsilon), "cudnnBatchNormalizationForwardInference(spatial, " + x.shape() + ", epsilon " + epsilon + ")");
    }

    /** dx, and dgamma and dbeta overwritten (cuDNN's beta factors 0), from the saved statistics. */
    @Override
    protected void computeBackward(CudaTensor x, CudaTensor dy, CudaTensor gamma, CudaTensor savedMean,
            CudaTensor savedInvStd, CudaTensor dx, CudaTensor dgamma, CudaTensor dbeta) {
        cudnnTensorDescriptor xd = gpu.descriptors.tensor(Descriptors.nchw(x.shape()));
        cudnnTensorDescriptor cd = gpu.descriptors.tensor(perChannel(x.shape()));
        Status.cudnn(cudnnBatchNormalizationBackward(gpu.cudnn, MODE, ONE, ZERO, ONE, ZERO, xd, x.pointer(), xd,
                dy.pointer(), xd, dx.pointer(), cd, gamma.pointer(), dgamma.pointer(), dbeta.pointer(), UNUSED_EPSILON,
                savedMean.pointer(), savedInvStd.pointer()),
                "cudnnBatchNormalizationBackward(spatial, " + x.shape() + ")");
    }

    /** The (1, C, 1, 1) descriptor of gamma, beta and the statistics. */
    static int[] perChannel(Shape x) {
        return new int[] {1, x.dim(1), 1, 1};
    }

    /**
     * The spec's epsilon for cuDNN, which refuses one below CUDNN_BN_MIN_EPSILON (0 in the
     * cuDNN 8 and 9 headers JCuda 11.7 follows, 1e-5 in cuDNN 7's): refused here with a message
     * rather than as CUDNN_STATUS_BAD_PARAM.
     */
    static double epsilon(String op, BatchNormSpec spec) {
        double epsilon = spec.epsilon();
        if (epsilon < JCudnn.CUDNN_BN_MIN_EPSILON) {
            throw new IllegalArgumentException(op + ": epsilon " + spec.epsilon() + " is below cuDNN's minimum "
                    + "CUDNN_BN_MIN_EPSILON = " + JCudnn.CUDNN_BN_MIN_EPSILON + " for batch normalization");
        }
        return epsilon;
    }

    /** cuDNN's bounds from cudnn.h (CUDNN_LRN_MIN_N, _MAX_N, _MIN_K, _MIN_BETA), which JCudnn does not export. */
    static final int LRN_MIN_N = 1;
    static final int LRN_MAX_N = 16;
    static final double LRN_MIN_K = 1e-5;
    static final double LRN_MIN_BETA = 0.01;

    @Override
    protected void computeLrnForward(CudaTensor x, LrnSpec spec, CudaTensor y) {
        cudnnTensorDescriptor xd = gpu.descriptors.tensor(Descriptors.nchw(x.shape()));
        cudnnLRNDescriptor ld = lrnDescriptor("lrnForward", spec);
        try {
            Status.cudnn(cudnnLRNCrossChannelForward(gpu.cudnn, ld, cudnnLRNMode.CUDNN_LRN_CROSS_CHANNEL_DIM1, ONE, xd,
                    x.pointer(), ZERO, xd, y.pointer()), "cudnnLRNCrossChannelForward(" + x.shape() + ", " + spec + ")");
        } finally {
            Status.cudnn(cudnnDestroyLRNDescriptor(ld), "cudnnDestroyLRNDescriptor");
        }
    }

    @Override
    protected void computeLrnBackward(CudaTensor x, CudaTensor y, CudaTensor dy, LrnSpec spec, CudaTensor dx) {
        cudnnTensorDescriptor xd = gpu.descriptors.tensor(Descriptors.nchw(x.shape()));
        cudnnLRNDescriptor ld = lrnDescriptor("lrnBackward", spec);
        try {
            Status.cudnn(cudnnLRNCrossChannelBackward(gpu.cudnn, ld, cudnnLRNMode.CUDNN_LRN_CROSS_CHANNEL_DIM1, ONE, xd,
                    y.pointer(), xd, dy.pointer(), xd, x.pointer(), ZERO, xd, dx.pointer()),
                    "cudnnLRNCrossChannelBackward(" + x.shape() + ", " + spec + ")");
        } finally {
            Status.cudnn(cudnnDestroyLRNDescriptor(ld), "cudnnDestroyLRNDescriptor");
        }
    }

    /** A new descriptor of the spec, after checking cuDNN's limits; the caller destroys it. */
    private static cudnnLRNDescriptor lrnDescriptor(String op, LrnSpec spec) {
        checkLrnLimits(op, spec);
        cudnnLRNDescriptor ld = new cudnnLRNDescriptor();
        Status.cudnn(cudnnCreateLRNDescriptor(ld), "cudnnCreateLRNDescriptor");
        try {
            Status.cudnn(cudnnSetLRNDescriptor(ld, spec.size(), spec.alpha(), spec.beta(), spec.k()),
                    "cudnnSetLRNDescriptor(" + spec + ")");
        } catch (RuntimeException e) {
            Status.cudnn(cudnnDestroyLRNDescriptor(ld), "cudnnDestroyLRNDescriptor");
            throw e;
        }
        return ld;
    }

    /** cuDNN's limits on LRN, refused with a message rather than as CUDNN_STATUS_BAD_PARAM. */
    static void checkLrnLimits(String op, LrnSpec spec) {
        if (spec.size() < LRN_MIN_N || spec.size() > LRN_MAX_N) {
            throw new IllegalArgumentException(op + ": size " + spec.size() + " is outside cuDNN's LRN window range ["
                    + LRN_MIN_N + ", " + LRN_MAX_N + "]");
        }
        if (spec.k() < LRN_MIN_K) {
            throw new IllegalArgumentException(op + ": k " + spec.k() + " is below cuDNN's minimum CUDNN_LRN_MIN_K = "
                    + LRN_MIN_K);
        }
        if (spec.beta() < LRN_MIN_BETA) {
            throw new IllegalArgumentException(op + ": beta " + spec.beta()
                    + " is below cuDNN's minimum CUDNN_LRN_MIN_BETA = " + LRN_MIN_BETA);
        }
    }
}
