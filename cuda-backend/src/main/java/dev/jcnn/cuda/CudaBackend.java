package dev.jcnn.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.Checks;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Numerics;
import dev.jcnn.backend.OpChecks;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;
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
 * <p>This class checks that tensors are open and its own, leaves the other argument checks to
 * {@link OpChecks} (the CPU reference's too, so the messages are the same), then hands device
 * buffers to one class per op family; limits of cuDNN are checked there. Not thread-safe: one thread at a time, as for the CPU backend; each op makes
 * the GPU's context current on the calling thread first.
 */
public final class CudaBackend implements Backend {

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
    private boolean closed;

    /**
     * Starts the backend on the GPU {@code options.device()}; the native libraries must be
     * loaded already (see {@link CudaBackendProvider}).
     *
     * @param libraries a description of the cuBLAS and cuDNN in use, for {@link #device()}
     */
    CudaBackend(BackendOptions options, String libraries) {
        gpu = new Gpu(options.device(), options.numerics());
        elementwise = new Elementwise(gpu);
        convolution = new Convolution(gpu, elementwise);
        pooling = new Pooling(gpu, elementwise);
        dense = new Dense(gpu, elementwise);
        activations = new Activations(gpu, elementwise);
        softmax = new Softmax(gpu);
        channels = new Channels(gpu.kernels);
        resampling = new Resampling(gpu.kernels);
        normalization = new Normalization(gpu);
        losses = new Losses(gpu);
        optimizers = new Optimizers(gpu);
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
    public Tensor allocate(Shape shape) {
        return newTensor("allocate", shape, null);
    }

    @Override
    public Tensor upload(Shape shape, float[] data) {
        return newTensor("upload", shape, data);
    }

    private CudaTensor newTensor(String op, Shape shape, float[] source) {
        begin(op);
        OpChecks.newTensor(op, shape, source);
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
    void release(CudaTensor t, CUdeviceptr p) {
        if (live.remove(t) != null && !closed) {
            gpu.device.makeCurrent();
            gpu.device.free(p, "tensor " + t.shape());
        }
    }

    @Override
    public void read(Tensor t, float[] dst) {
        CudaTensor c = tensor("read", "t", t);
        Checks.length("read", dst, c.shape().size());
        Status.cu(cuMemcpyDtoH(Pointer.to(dst), c.pointer(), c.bytes()), "cuMemcpyDtoH(read " + c.shape() + ")");
    }

    @Override
    public void write(Tensor t, float[] src) {
        CudaTensor c = tensor("write", "t", t);
        Checks.length("write", src, c.shape().size());
        Status.cu(cuMemcpyHtoD(c.pointer(), Pointer.to(src), c.bytes()), "cuMemcpyHtoD(write " + c.shape() + ")");
    }

    @Override
    public void fill(Tensor t, float value) {
        CudaTensor c = tensor("fill", "t", t);
        elementwise.fill(c, c.shape().size(), value);
        gpu.done("fill");
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        String op = "copy";
        CudaTensor s = tensor(op, "src", src);
        CudaTensor d = tensor(op, "dst", dst);
        OpChecks.copy(src, dst);
        if (s != d) {
            elementwise.copy(s.pointer(), d.pointer(), s.bytes(), "copy " + s.shape() + " to " + d.shape());
        }
        gpu.done(op);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        String op = "add";
        CudaTensor ta = tensor(op, "a", a);
        CudaTensor tb = tensor(op, "b", b);
        CudaTensor to = tensor(op, "out", out);
        OpChecks.add(a, b, out);
        elementwise.add(ta, tb, to);
        gpu.done(op);
    }

    @Override
    public void scale(Tensor a, float s, Tensor out) {
        String op = "scale";
        CudaTensor ta = tensor(op, "a", a);
        CudaTensor to = tensor(op, "out", out);
        OpChecks.scale(a, out);
        elementwise.scale(ta, s, to, ta.shape().size());
        gpu.done(op);
    }

    @Override
    public void zeroPad(Tensor x, Padding2D padding, Tensor y) {
        String op = "zeroPad";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ty = tensor(op, "y", y);
        OpChecks.zeroPad(x, padding, y);
        elementwise.pad(tx, tx.shape(), padding, 0f, ty);
        gpu.done(op);
    }

    @Override
    public void zeroPadBackward(Tensor dy, Padding2D padding, Tensor dx) {
        String op = "zeroPadBackward";
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdx = tensor(op, "dx", dx);
        OpChecks.zeroPadBackward(dy, padding, dx);
        elementwise.crop(tdy, padding, tdx, tdx.shape());
        gpu.done(op);
    }

    // ---- convolution --------------------------------------------------------------------

    @Override
    public void convForward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y) {
        String op = "convForward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tw = tensor(op, "w", w);
        CudaTensor tb = b == null ? null : tensor(op, "b", b);
        CudaTensor ty = tensor(op, "y", y);
        OpChecks.convForward(x, w, b, spec, y);
        convolution.forward(tx, tw, tb, spec, ty);
        gpu.done(op);
    }

    @Override
    public void convBackwardData(Tensor dy, Tensor w, ConvSpec spec, Tensor dx) {
        String op = "convBackwardData";
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tw = tensor(op, "w", w);
        CudaTensor tdx = tensor(op, "dx", dx);
        OpChecks.convBackwardData(dy, w, spec, dx);
        convolution.backwardData(tdy, tw, spec, tdx);
        gpu.done(op);
    }

    @Override
    public void convBackwardFilter(Tensor x, Tensor dy, ConvSpec spec, Tensor dw) {
        String op = "convBackwardFilter";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdw = tensor(op, "dw", dw);
        OpChecks.convBackwardFilter(x, dy, spec, dw);
        convolution.backwardFilter(tx, tdy, spec, tdw);
        gpu.done(op);
    }

    @Override
    public void biasBackward(Tensor dy, Tensor db) {
        String op = "biasBackward";
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdb = tensor(op, "db", db);
        OpChecks.biasBackward(dy, db);
        Shape s = dy.shape();
        if (s.rank() == 2) {
            dense.biasBackward(tdy, tdb, s.dim(0), s.dim(1));
        } else {
            convolution.biasBackward(tdy, tdb);
        }
        gpu.done(op);
    }

    // ---- pooling ------------------------------------------------------------------------

    @Override
    public void poolForward(Tensor x, PoolSpec spec, Tensor y) {
        String op = "poolForward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ty = tensor(op, "y", y);
        OpChecks.poolForward(x, spec, y);
        pooling.forward(tx, spec, ty);
        gpu.done(op);
    }

    @Override
    public void poolBackward(Tensor x, Tensor y, Tensor dy, PoolSpec spec, Tensor dx) {
        String op = "poolBackward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ty = tensor(op, "y", y);
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdx = tensor(op, "dx", dx);
        OpChecks.poolBackward(x, y, dy, spec, dx);
        pooling.backward(tx, ty, tdy, spec, tdx);
        gpu.done(op);
    }

    // ---- dense --------------------------------------------------------------------------

    @Override
    public void denseForward(Tensor x, Tensor w, Tensor b, Tensor y) {
        String op = "denseForward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tw = tensor(op, "w", w);
        CudaTensor tb = b == null ? null : tensor(op, "b", b);
        CudaTensor ty = tensor(op, "y", y);
        OpChecks.DenseSizes d = OpChecks.denseForward(x, w, b, y);
        dense.forward(tx, tw, tb, ty, d.n(), d.in(), d.out());
        gpu.done(op);
    }

    @Override
    public void denseBackwardData(Tensor dy, Tensor w, Tensor dx) {
        String op = "denseBackwardData";
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tw = tensor(op, "w", w);
        CudaTensor tdx = tensor(op, "dx", dx);
        OpChecks.DenseSizes d = OpChecks.denseBackwardData(dy, w, dx);
        dense.backwardData(tdy, tw, tdx, d.n(), d.in(), d.out());
        gpu.done(op);
    }

    @Override
    public void denseBackwardWeights(Tensor x, Tensor dy, Tensor dw) {
        String op = "denseBackwardWeights";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdw = tensor(op, "dw", dw);
        OpChecks.DenseSizes d = OpChecks.denseBackwardWeights(x, dy, dw);
        dense.backwardWeights(tx, tdy, tdw, d.n(), d.in(), d.out());
        gpu.done(op);
    }

    // ---- activations --------------------------------------------------------------------

    @Override
    public void activationForward(ActivationSpec f, Tensor x, Tensor y) {
        String op = "activationForward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ty = tensor(op, "y", y);
        OpChecks.activationForward(f, x, y);
        activations.forward(f, tx, ty);
        gpu.done(op);
    }

    @Override
    public void activationBackward(ActivationSpec f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        String op = "activationBackward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ty = tensor(op, "y", y);
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdx = tensor(op, "dx", dx);
        OpChecks.activationBackward(f, x, y, dy, dx);
        activations.backward(f, tx, ty, tdy, tdx);
        gpu.done(op);
    }

    @Override
    public void preluForward(Tensor x, Tensor alpha, Tensor y) {
        String op = "preluForward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ta = tensor(op, "alpha", alpha);
        CudaTensor ty = tensor(op, "y", y);
        OpChecks.preluForward(x, alpha, y);
        activations.preluForward(tx, ta, ty);
        gpu.done(op);
    }

    @Override
    public void preluBackward(Tensor x, Tensor alpha, Tensor dy, Tensor dx, Tensor dalpha) {
        String op = "preluBackward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ta = tensor(op, "alpha", alpha);
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdx = tensor(op, "dx", dx);
        CudaTensor tda = tensor(op, "dalpha", dalpha);
        OpChecks.preluBackward(x, alpha, dy, dx, dalpha);
        activations.preluBackward(tx, ta, tdy, tdx, tda);
        gpu.done(op);
    }

    @Override
    public void softmaxForward(Tensor x, boolean log, Tensor y) {
        String op = OpChecks.softmaxForwardName(log);
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ty = tensor(op, "y", y);
        OpChecks.softmaxForward(x, log, y);
        softmax.forward(tx, log, ty);
        gpu.done(op);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, boolean log, Tensor dx) {
        String op = OpChecks.softmaxBackwardName(log);
        CudaTensor ty = tensor(op, "y", y);
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdx = tensor(op, "dx", dx);
        OpChecks.softmaxBackward(y, dy, log, dx);
        softmax.backward(ty, tdy, log, tdx);
        gpu.done(op);
    }

    // ---- channels, resampling, normalization -------------------------------------------

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        String op = "multiply";
        CudaTensor ta = tensor(op, "a", a);
        CudaTensor tb = tensor(op, "b", b);
        CudaTensor to = tensor(op, "out", out);
        OpChecks.multiply(a, b, out);
        elementwise.multiply(ta, tb, to, ta.shape().size());
        gpu.done(op);
    }

    @Override
    public void addBias(Tensor x, Tensor b, Tensor y) {
        String op = "addBias";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tb = tensor(op, "b", b);
        CudaTensor ty = tensor(op, "y", y);
        OpChecks.addBias(x, b, y);
        channels.addBias(tx, tb, ty);
        gpu.done(op);
    }

    @Override
    public void concatChannels(List<Tensor> xs, Tensor y) {
        String op = "concatChannels";
        CudaTensor ty = tensor(op, "y", y);
        List<CudaTensor> parts = new ArrayList<>();
        OpChecks.concatChannels(xs, y, (name, part) -> parts.add(tensor(op, name, part)));
        channels.concat(parts, ty);
        gpu.done(op);
    }

    @Override
    public void splitChannels(Tensor dy, List<Tensor> dxs) {
        String op = "splitChannels";
        CudaTensor tdy = tensor(op, "dy", dy);
        List<CudaTensor> parts = new ArrayList<>();
        OpChecks.splitChannels(dy, dxs, (name, part) -> parts.add(tensor(op, name, part)));
        channels.split(tdy, parts);
        gpu.done(op);
    }

    @Override
    public void upsampleForward(Tensor x, UpsampleSpec spec, Tensor y) {
        String op = "upsampleForward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ty = tensor(op, "y", y);
        OpChecks.upsampleForward(x, spec, y);
        resampling.forward(tx, spec, ty);
        gpu.done(op);
    }

    @Override
    public void upsampleBackward(Tensor dy, UpsampleSpec spec, Tensor dx) {
        String op = "upsampleBackward";
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdx = tensor(op, "dx", dx);
        OpChecks.upsampleBackward(dy, spec, dx);
        resampling.backward(tdy, spec, tdx);
        gpu.done(op);
    }

    @Override
    public void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, BatchNormSpec spec, Tensor runningMean,
            Tensor runningVar, Tensor y, Tensor savedMean, Tensor savedInvStd) {
        String op = "batchNormForwardTraining";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tg = tensor(op, "gamma", gamma);
        CudaTensor tb = tensor(op, "beta", beta);
        CudaTensor trm = tensor(op, "runningMean", runningMean);
        CudaTensor trv = tensor(op, "runningVar", runningVar);
        CudaTensor ty = tensor(op, "y", y);
        CudaTensor tsm = tensor(op, "savedMean", savedMean);
        CudaTensor tsi = tensor(op, "savedInvStd", savedInvStd);
        OpChecks.batchNormForwardTraining(x, gamma, beta, spec, runningMean, runningVar, y, savedMean, savedInvStd);
        normalization.forwardTraining(op, tx, tg, tb, spec, trm, trv, ty, tsm, tsi);
        gpu.done(op);
    }

    @Override
    public void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            BatchNormSpec spec, Tensor y) {
        String op = "batchNormForwardInference";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tg = tensor(op, "gamma", gamma);
        CudaTensor tb = tensor(op, "beta", beta);
        CudaTensor trm = tensor(op, "runningMean", runningMean);
        CudaTensor trv = tensor(op, "runningVar", runningVar);
        CudaTensor ty = tensor(op, "y", y);
        OpChecks.batchNormForwardInference(x, gamma, beta, runningMean, runningVar, spec, y);
        normalization.forwardInference(op, tx, tg, tb, trm, trv, spec, ty);
        gpu.done(op);
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor savedMean, Tensor savedInvStd, Tensor dx,
            Tensor dgamma, Tensor dbeta) {
        String op = "batchNormBackward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tg = tensor(op, "gamma", gamma);
        CudaTensor tsm = tensor(op, "savedMean", savedMean);
        CudaTensor tsi = tensor(op, "savedInvStd", savedInvStd);
        CudaTensor tdx = tensor(op, "dx", dx);
        CudaTensor tdg = tensor(op, "dgamma", dgamma);
        CudaTensor tdb = tensor(op, "dbeta", dbeta);
        OpChecks.batchNormBackward(x, dy, gamma, savedMean, savedInvStd, dx, dgamma, dbeta);
        normalization.backward(tx, tdy, tg, tsm, tsi, tdx, tdg, tdb);
        gpu.done(op);
    }

    // ---- losses -------------------------------------------------------------------------

    @Override
    public float softmaxCrossEntropy(Tensor logits, int[] labels, Tensor dlogits) {
        String op = "softmaxCrossEntropy";
        CudaTensor tl = tensor(op, "logits", logits);
        CudaTensor td = dlogits == null ? null : tensor(op, "dlogits", dlogits);
        OpChecks.softmaxCrossEntropy(logits, labels, dlogits);
        float loss = losses.softmaxCrossEntropy(tl, labels, td, logits.shape().dim(0), logits.shape().dim(1));
        gpu.done(op);
        return loss;
    }

    @Override
    public float sigmoidCrossEntropy(Tensor logits, Tensor targets, Tensor dlogits) {
        String op = "sigmoidCrossEntropy";
        CudaTensor tl = tensor(op, "logits", logits);
        CudaTensor tt = tensor(op, "targets", targets);
        CudaTensor td = dlogits == null ? null : tensor(op, "dlogits", dlogits);
        float[] host = new float[tt.shape().size()];
        read(tt, host);
        OpChecks.sigmoidCrossEntropy(logits, targets, host, dlogits);
        float loss = losses.sigmoidCrossEntropy(tl, tt, td);
        gpu.done(op);
        return loss;
    }

    @Override
    public float meanSquaredError(Tensor predictions, Tensor targets, Tensor dpredictions) {
        String op = "meanSquaredError";
        CudaTensor tp = tensor(op, "predictions", predictions);
        CudaTensor tt = tensor(op, "targets", targets);
        CudaTensor td = dpredictions == null ? null : tensor(op, "dpredictions", dpredictions);
        OpChecks.meanSquaredError(predictions, targets, dpredictions);
        float loss = losses.meanSquaredError(tp, tt, td);
        gpu.done(op);
        return loss;
    }

    // ---- optimizers ---------------------------------------------------------------------

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, SgdSpec spec) {
        String op = "sgdUpdate";
        CudaTensor tp = tensor(op, "param", param);
        CudaTensor tg = tensor(op, "grad", grad);
        CudaTensor tv = OpChecks.sgdUpdate(param, grad, velocity, spec) ? tensor(op, "velocity", velocity) : null;
        optimizers.sgd(tp, tg, tv, spec);
        gpu.done(op);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamSpec spec, int step) {
        String op = "adamUpdate";
        CudaTensor tp = tensor(op, "param", param);
        CudaTensor tg = tensor(op, "grad", grad);
        CudaTensor tm = tensor(op, "m", m);
        CudaTensor tv = tensor(op, "v", v);
        OpChecks.adamUpdate(param, grad, m, v, spec, step);
        optimizers.adam(tp, tg, tm, tv, spec, step);
        gpu.done(op);
    }

    // ---- lifecycle and checks -----------------------------------------------------------

    /** Plans (descriptors and chosen algorithms) cached for convolution and pooling, for tests and logs. */
    int cachedPlans() {
        return convolution.cachedPlans() + pooling.cachedPlans();
    }

    /**
     * Releases the caches, handles and the context. Tensors still open are freed with a
     * warning (their memory would otherwise stay taken until the process ends).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
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
        closed = true;
        try {
            Descriptors.closeAll(parts);
        } finally {
            live.clear();
            gpu.close();
        }
    }

    private void begin(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": the cuda backend is closed");
        }
        gpu.device.makeCurrent();
    }

    /** The tensor as this backend's, after checking that it is open and belongs here. */
    private CudaTensor tensor(String op, String name, Tensor t) {
        begin(op);
        if (t == null) {
            throw new IllegalArgumentException(op + ": tensor " + name + " is null");
        }
        if (!(t instanceof CudaTensor c) || c.backend() != this) {
            String owner = t instanceof CudaTensor ? "another cuda backend" : "backend '" + t.backend().name() + "'";
            throw new IllegalArgumentException(op + ": tensor " + name + " " + t.shape() + " belongs to " + owner
                    + ", not to this cuda backend");
        }
        c.pointer(op, name);
        return c;
    }
}
