package dev.jcnn.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;

import dev.jcnn.backend.ActivationOps;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.ChannelOps;
import dev.jcnn.backend.ConvolutionOps;
import dev.jcnn.backend.DenseOps;
import dev.jcnn.backend.ElementwiseOps;
import dev.jcnn.backend.LossOps;
import dev.jcnn.backend.NormalizationOps;
import dev.jcnn.backend.Numerics;
import dev.jcnn.backend.OptimizerOps;
import dev.jcnn.backend.PoolingOps;
import dev.jcnn.backend.ResamplingOps;
import dev.jcnn.backend.SoftmaxOps;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The CUDA backend: cuDNN for convolution, pooling, activations, softmax, tensor add and
 * batch normalization; cuBLAS for the dense layer; the backend's own kernels for the rest. Tensors live in GPU
 * memory; everything runs in order on the default stream, and the results a caller reads
 * back are complete.
 *
 * <p>This class holds the device memory, the GPU's handles and one class per op family
 * ({@link Convolution}, {@link Pooling}, …); the families in core check every op's tensors and
 * arguments, as for the CPU reference, so the messages are the same, and limits of cuDNN are
 * checked in the families here. Not thread-safe: one thread at a time, as for the CPU backend;
 * each op makes the GPU's context current on the calling thread first.
 */
public final class CudaBackend extends Backend {

    private static final Logger LOG = LogManager.getLogger(CudaBackend.class);

    private final Gpu gpu;
    private final String description;
    private final Elementwise elementwise;
    private final Convolution convolution;
    private final Pooling pooling;
    private final Dense dense;
    private final Activations activations;
    private final Softmax softmax;
    private final Channels channels;
    private final Resampling resampling;
    private final Normalization normalization;
    private final Losses losses;
    private final Optimizers optimizers;
    private final Map<CudaTensor, CUdeviceptr> live = new IdentityHashMap<>();

    /**
     * Starts the backend on the GPU {@code options.device()}; the native libraries must be
     * loaded already (see {@link CudaBackendProvider}).
     *
     * @param libraries a description of the cuBLAS and cuDNN in use, for {@link #device()}
     */
    CudaBackend(BackendOptions options, String libraries) {
        gpu = new Gpu(options.device(), options.numerics());
        elementwise = new Elementwise(this, gpu);
        dense = new Dense(this, gpu, elementwise);
        convolution = new Convolution(this, gpu, elementwise, dense);
        pooling = new Pooling(this, gpu, elementwise);
        activations = new Activations(this, gpu, gpu.kernels, elementwise);
        softmax = new Softmax(this, gpu);
        channels = new Channels(this, gpu.kernels);
        resampling = new Resampling(this, gpu.kernels);
        normalization = new Normalization(this, gpu);
        losses = new Losses(this, gpu);
        optimizers = new Optimizers(this, gpu);
        description = gpu.device.name() + " (" + gpu.device.computeCapability() + ", "
                + CudaDevice.bytes(gpu.device.totalMemory()) + ", device " + gpu.device.ordinal() + "), cuBLAS "
                + Gpu.cublasVersionString(gpu.cublasVersion) + ", cuDNN " + Gpu.cudnnVersionString(gpu.cudnnVersion)
                + ", " + options.numerics().name().toLowerCase(java.util.Locale.ROOT) + " numerics; " + libraries;
    }

    @Override
    public String name() {
        return CudaBackendProvider.NAME;
    }

    @Override
    public String device() {
        return description;
    }

    /** Exact or fast numerics, as the backend was created with. */
    public Numerics numerics() {
        return gpu.numerics;
    }

    // ---- memory -------------------------------------------------------------------------

    @Override
    protected Tensor newTensor(Shape shape, float[] source) {
        long bytes = 4L * shape.size();
        CUdeviceptr p = gpu.device.allocate(bytes, "tensor " + shape);
        try {
            if (source == null) {
                Status.cu(cuMemsetD32(p, 0, shape.size()), "cuMemsetD32(zeroing tensor " + shape + ")");
            } else {
                Status.cu(cuMemcpyHtoD(p, Pointer.to(source), bytes), "cuMemcpyHtoD(upload " + shape + ")");
            }
        } catch (RuntimeException e) {
            gpu.device.free(p, "tensor " + shape);
            throw e;
        }
        CudaTensor t = new CudaTensor(this, shape, p);
        live.put(t, p);
        return t;
    }

    /** Called once by each tensor when it is closed. */
    void released(CudaTensor t, CUdeviceptr p) {
        if (live.remove(t) != null && !isClosed()) {
            gpu.device.makeCurrent();
            gpu.device.free(p, "tensor " + t.shape());
        }
    }

    @Override
    protected void copyToHost(Tensor t, float[] dst) {
        CudaTensor c = (CudaTensor) t;
        Status.cu(cuMemcpyDtoH(Pointer.to(dst), c.pointer(), c.bytes()), "cuMemcpyDtoH(read " + c.shape() + ")");
    }

    @Override
    protected void copyFromHost(float[] src, Tensor t) {
        CudaTensor c = (CudaTensor) t;
        Status.cu(cuMemcpyHtoD(c.pointer(), Pointer.to(src), c.bytes()), "cuMemcpyHtoD(write " + c.shape() + ")");
    }

    // ---- op families ------------------------------------------------------------------------

    @Override
    public ElementwiseOps<?> elementwise() {
        return elementwise;
    }

    @Override
    public ConvolutionOps<?> convolution() {
        return convolution;
    }

    @Override
    public PoolingOps<?> pooling() {
        return pooling;
    }

    @Override
    public DenseOps<?> dense() {
        return dense;
    }

    @Override
    public ActivationOps<?> activations() {
        return activations;
    }

    @Override
    public SoftmaxOps<?> softmax() {
        return softmax;
    }

    @Override
    public ChannelOps<?> channels() {
        return channels;
    }

    @Override
    public ResamplingOps<?> resampling() {
        return resampling;
    }

    @Override
    public NormalizationOps<?> normalization() {
        return normalization;
    }

    @Override
    public LossOps<?> losses() {
        return losses;
    }

    @Override
    public OptimizerOps<?> optimizers() {
        return optimizers;
    }

    // ---- lifecycle ------------------------------------------------------------------------

    /** Plans (descriptors and chosen algorithms) cached for convolution and pooling, for tests and logs. */
    int cachedPlans() {
        return convolution.cachedPlans() + pooling.cachedPlans();
    }

    /** Every op runs with this GPU's context current on the calling thread. */
    @Override
    protected void opStarting(String op) {
        gpu.device.makeCurrent();
    }

    /** With -Djcnn.cuda.sync=true, waits for the op so that an asynchronous error names it. */
    @Override
    protected void opFinished(String op) {
        gpu.done(op);
    }

    /**
     * Releases the caches, handles and the context. Tensors still open are freed with a
     * warning (their memory would otherwise stay taken until the process ends).
     */
    @Override
    protected void release() {
        gpu.device.makeCurrent();
        // closed in reverse order: open tensors first, then the plans, then the GPU itself
        List<AutoCloseable> parts = new ArrayList<>(List.of(convolution, pooling, activations));
        if (!live.isEmpty()) {
            LOG.warn("cuda backend closed with {} tensor(s) still open; close tensors before their backend",
                    live.size());
            for (Map.Entry<CudaTensor, CUdeviceptr> e : live.entrySet()) {
                Shape shape = e.getKey().shape();
                CUdeviceptr pointer = e.getValue();
                parts.add(() -> gpu.device.free(pointer, "tensor " + shape));
            }
        }
        try {
            Descriptors.closeAll(parts);
        } finally {
            live.clear();
            gpu.close();
        }
    }
}
