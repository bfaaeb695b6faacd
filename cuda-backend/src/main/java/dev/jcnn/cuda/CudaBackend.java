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
 * <p>This class checks the arguments (ownership, open tensors, shapes, aliasing) exactly as
 * the CPU reference does, with the same messages, then hands device buffers to one class per
 * op family. Not thread-safe: one thread at a time, as for the CPU backend; each op makes
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
        if (shape == null) {
            throw new IllegalArgumentException(op + ": shape is null");
        }
        if (source != null && source.length != shape.size()) {
            throw new IllegalArgumentException(op + ": array holds " + source.length + " values, shape " + shape
                    + " needs exactly " + shape.size());
        }
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
        Checks.sameSize(op, "src", src, "dst", dst);
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
        Checks.shape(op, "b", b, a.shape());
        Checks.shape(op, "out", out, a.shape());
        elementwise.add(ta, tb, to);
        gpu.done(op);
    }

    @Override
    public void scale(Tensor a, float s, Tensor out) {
        String op = "scale";
        CudaTensor ta = tensor(op, "a", a);
        CudaTensor to = tensor(op, "out", out);
        Checks.shape(op, "out", out, a.shape());
        elementwise.scale(ta, s, to, ta.shape().size());
        gpu.done(op);
    }

    @Override
    public void zeroPad(Tensor x, Padding2D padding, Tensor y) {
        String op = "zeroPad";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ty = tensor(op, "y", y);
        Checks.rank(op, "x", x, 4);
        requireNonNull(op, "padding", padding);
        Checks.shape(op, "y", y, padded(x.shape(), padding));
        distinct(op, "y", y, "x", x);
        elementwise.pad(tx, tx.shape(), padding, 0f, ty);
        gpu.done(op);
    }

    @Override
    public void zeroPadBackward(Tensor dy, Padding2D padding, Tensor dx) {
        String op = "zeroPadBackward";
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdx = tensor(op, "dx", dx);
        Checks.rank(op, "dx", dx, 4);
        requireNonNull(op, "padding", padding);
        Checks.shape(op, "dy", dy, padded(dx.shape(), padding));
        distinct(op, "dx", dx, "dy", dy);
        elementwise.crop(tdy, padding, tdx, tdx.shape());
        gpu.done(op);
    }

    private static Shape padded(Shape s, Padding2D p) {
        return Shape.of(s.dim(0), s.dim(1), s.dim(2) + p.top() + p.bottom(), s.dim(3) + p.left() + p.right());
    }

    // ---- convolution --------------------------------------------------------------------

    @Override
    public void convForward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y) {
        String op = "convForward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tw = tensor(op, "w", w);
        CudaTensor tb = b == null ? null : tensor(op, "b", b);
        CudaTensor ty = tensor(op, "y", y);
        Shape out = convOutput(op, x, w, spec);
        if (b != null) {
            Checks.shape(op, "b", b, Shape.of(w.shape().dim(0)));
        }
        Checks.shape(op, "y", y, out);
        distinct(op, "y", y, "x", x, "w", w, "b", b);
        convolution.forward(tx, tw, tb, spec, ty);
        gpu.done(op);
    }

    @Override
    public void convBackwardData(Tensor dy, Tensor w, ConvSpec spec, Tensor dx) {
        String op = "convBackwardData";
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tw = tensor(op, "w", w);
        CudaTensor tdx = tensor(op, "dx", dx);
        Shape out = convOutput(op, dx, w, spec);
        Checks.shape(op, "dy", dy, out);
        distinct(op, "dx", dx, "dy", dy, "w", w);
        convolution.backwardData(tdy, tw, spec, tdx);
        gpu.done(op);
    }

    @Override
    public void convBackwardFilter(Tensor x, Tensor dy, ConvSpec spec, Tensor dw) {
        String op = "convBackwardFilter";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdw = tensor(op, "dw", dw);
        Shape out = convOutput(op, x, dw, spec);
        Checks.shape(op, "dy", dy, out);
        distinct(op, "dw", dw, "x", x, "dy", dy);
        convolution.backwardFilter(tx, tdy, spec, tdw);
        gpu.done(op);
    }

    /** Checks an image x against weights w and the spec; returns the output shape. */
    private static Shape convOutput(String op, Tensor x, Tensor w, ConvSpec spec) {
        requireNonNull(op, "spec", spec);
        Checks.rank(op, "x", x, 4);
        Checks.rank(op, "w", w, 4);
        int channels = x.shape().dim(1);
        int filters = w.shape().dim(0);
        if (w.shape().dim(1) != channels) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " has " + channels
                    + " channels but the weights " + w.shape() + " expect " + w.shape().dim(1));
        }
        Checks.shape(op, "w", w, spec.weightShape(channels, filters));
        try {
            return spec.outputShape(x.shape(), filters);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void biasBackward(Tensor dy, Tensor db) {
        String op = "biasBackward";
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdb = tensor(op, "db", db);
        Shape s = dy.shape();
        if (s.rank() < 2) {
            throw new IllegalArgumentException(op + ": dy has shape " + s + ", expected (N, C) or (N, C, H, W)");
        }
        Checks.shape(op, "db", db, Shape.of(s.dim(1)));
        distinct(op, "db", db, "dy", dy);
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
        Shape out = poolOutput(op, x, spec);
        Checks.shape(op, "y", y, out);
        distinct(op, "y", y, "x", x);
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
        Shape out = poolOutput(op, x, spec);
        Checks.shape(op, "y", y, out);
        Checks.shape(op, "dy", dy, out);
        Checks.shape(op, "dx", dx, x.shape());
        distinct(op, "dx", dx, "x", x, "y", y, "dy", dy);
        pooling.backward(tx, ty, tdy, spec, tdx);
        gpu.done(op);
    }

    private static Shape poolOutput(String op, Tensor x, PoolSpec spec) {
        requireNonNull(op, "spec", spec);
        Checks.rank(op, "x", x, 4);
        try {
            return spec.outputShape(x.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    // ---- dense --------------------------------------------------------------------------

    @Override
    public void denseForward(Tensor x, Tensor w, Tensor b, Tensor y) {
        String op = "denseForward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tw = tensor(op, "w", w);
        CudaTensor tb = b == null ? null : tensor(op, "b", b);
        CudaTensor ty = tensor(op, "y", y);
        int[] io = denseSizes(op, "x", x, w);
        int n = x.shape().batch();
        if (b != null) {
            Checks.shape(op, "b", b, Shape.of(io[1]));
        }
        Checks.shape(op, "y", y, Shape.of(n, io[1]));
        distinct(op, "y", y, "x", x, "w", w, "b", b);
        dense.forward(tx, tw, tb, ty, n, io[0], io[1]);
        gpu.done(op);
    }

    @Override
    public void denseBackwardData(Tensor dy, Tensor w, Tensor dx) {
        String op = "denseBackwardData";
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tw = tensor(op, "w", w);
        CudaTensor tdx = tensor(op, "dx", dx);
        int[] io = denseSizes(op, "dx", dx, w);
        int n = dx.shape().batch();
        Checks.shape(op, "dy", dy, Shape.of(n, io[1]));
        distinct(op, "dx", dx, "dy", dy, "w", w);
        dense.backwardData(tdy, tw, tdx, n, io[0], io[1]);
        gpu.done(op);
    }

    @Override
    public void denseBackwardWeights(Tensor x, Tensor dy, Tensor dw) {
        String op = "denseBackwardWeights";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdw = tensor(op, "dw", dw);
        int[] io = denseSizes(op, "x", x, dw);
        int n = x.shape().batch();
        Checks.shape(op, "dy", dy, Shape.of(n, io[1]));
        distinct(op, "dw", dw, "x", x, "dy", dy);
        dense.backwardWeights(tx, tdy, tdw, n, io[0], io[1]);
        gpu.done(op);
    }

    /** {in, out} of weights (out, in), after checking that x holds in values per sample. */
    private static int[] denseSizes(String op, String xName, Tensor x, Tensor w) {
        Checks.rank(op, "w", w, 2);
        int out = w.shape().dim(0);
        int in = w.shape().dim(1);
        if (x.shape().rank() < 2) {
            throw new IllegalArgumentException(op + ": " + xName + " has shape " + x.shape() + ", expected (N, " + in
                    + ") or a batch of N samples of " + in + " values");
        }
        int perSample = x.shape().sampleSize();
        if (perSample != in) {
            throw new IllegalArgumentException(op + ": " + xName + " has shape " + x.shape() + " with " + perSample
                    + " values per sample, expected " + in + " to match the weights " + w.shape());
        }
        return new int[] {in, out};
    }

    // ---- activations --------------------------------------------------------------------

    @Override
    public void activationForward(ActivationSpec f, Tensor x, Tensor y) {
        String op = "activationForward";
        requireNonNull(op, "activation", f);
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ty = tensor(op, "y", y);
        Checks.shape(op, "y", y, x.shape());
        activations.forward(f, tx, ty);
        gpu.done(op);
    }

    @Override
    public void activationBackward(ActivationSpec f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        String op = "activationBackward";
        requireNonNull(op, "activation", f);
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ty = tensor(op, "y", y);
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdx = tensor(op, "dx", dx);
        Checks.shape(op, "y", y, x.shape());
        Checks.shape(op, "dy", dy, x.shape());
        Checks.shape(op, "dx", dx, x.shape());
        distinct(op, "dx", dx, "x", x, "y", y, "dy", dy);
        activations.backward(f, tx, ty, tdy, tdx);
        gpu.done(op);
    }

    @Override
    public void preluForward(Tensor x, Tensor alpha, Tensor y) {
        String op = "preluForward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ta = tensor(op, "alpha", alpha);
        CudaTensor ty = tensor(op, "y", y);
        int channels = channelsOf(op, x);
        Checks.shape(op, "alpha", alpha, Shape.of(channels));
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "x", x, "alpha", alpha);
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
        int channels = channelsOf(op, x);
        Checks.shape(op, "alpha", alpha, Shape.of(channels));
        Checks.shape(op, "dy", dy, x.shape());
        Checks.shape(op, "dx", dx, x.shape());
        Checks.shape(op, "dalpha", dalpha, Shape.of(channels));
        distinct(op, "dx", dx, "x", x, "alpha", alpha, "dy", dy, "dalpha", dalpha);
        distinct(op, "dalpha", dalpha, "x", x, "alpha", alpha, "dy", dy);
        activations.preluBackward(tx, ta, tdy, tdx, tda);
        gpu.done(op);
    }

    @Override
    public void softmaxForward(Tensor x, boolean log, Tensor y) {
        String op = log ? "logSoftmaxForward" : "softmaxForward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ty = tensor(op, "y", y);
        channelsOf(op, x);
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "x", x);
        softmax.forward(tx, log, ty);
        gpu.done(op);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, boolean log, Tensor dx) {
        String op = log ? "logSoftmaxBackward" : "softmaxBackward";
        CudaTensor ty = tensor(op, "y", y);
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdx = tensor(op, "dx", dx);
        channelsOf(op, y);
        Checks.shape(op, "dy", dy, y.shape());
        Checks.shape(op, "dx", dx, y.shape());
        distinct(op, "dx", dx, "y", y, "dy", dy);
        softmax.backward(ty, tdy, log, tdx);
        gpu.done(op);
    }

    /** The size of axis 1, the channels of (N, C, ...) or the features of (N, F). */
    private static int channelsOf(String op, Tensor x) {
        if (x.shape().rank() < 2) {
            throw new IllegalArgumentException(op + ": x has shape " + x.shape()
                    + ", expected (N, C) or (N, C, H, W) with channels on axis 1");
        }
        return x.shape().dim(1);
    }

    // ---- channels, resampling, normalization -------------------------------------------

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        String op = "multiply";
        CudaTensor ta = tensor(op, "a", a);
        CudaTensor tb = tensor(op, "b", b);
        CudaTensor to = tensor(op, "out", out);
        Checks.shape(op, "b", b, a.shape());
        Checks.shape(op, "out", out, a.shape());
        elementwise.multiply(ta, tb, to, ta.shape().size());
        gpu.done(op);
    }

    @Override
    public void addBias(Tensor x, Tensor b, Tensor y) {
        String op = "addBias";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tb = tensor(op, "b", b);
        CudaTensor ty = tensor(op, "y", y);
        int c = channelsOf(op, x);
        Checks.shape(op, "b", b, Shape.of(c));
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "b", b);
        channels.addBias(tx, tb, ty);
        gpu.done(op);
    }

    @Override
    public void concatChannels(List<Tensor> xs, Tensor y) {
        String op = "concatChannels";
        CudaTensor ty = tensor(op, "y", y);
        List<CudaTensor> parts = stackedChannels(op, "xs", xs, "y", y);
        for (int i = 0; i < parts.size(); i++) {
            distinct(op, "y", y, "xs[" + i + "]", xs.get(i));
        }
        channels.concat(parts, ty);
        gpu.done(op);
    }

    @Override
    public void splitChannels(Tensor dy, List<Tensor> dxs) {
        String op = "splitChannels";
        CudaTensor tdy = tensor(op, "dy", dy);
        List<CudaTensor> parts = stackedChannels(op, "dxs", dxs, "dy", dy);
        for (int i = 0; i < parts.size(); i++) {
            distinct(op, "dxs[" + i + "]", dxs.get(i), "dy", dy);
            for (int j = 0; j < i; j++) {
                distinct(op, "dxs[" + i + "]", dxs.get(i), "dxs[" + j + "]", dxs.get(j));
            }
        }
        channels.split(tdy, parts);
        gpu.done(op);
    }

    /**
     * Checks that the parts stack along axis 1 into whole (same rank, same other axes, channels
     * adding up) and returns them as this backend's tensors.
     */
    private List<CudaTensor> stackedChannels(String op, String partsName, List<Tensor> parts, String wholeName,
            Tensor whole) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException(op + ": " + partsName + " is " + (parts == null ? "null" : "empty")
                    + ", expected at least one tensor");
        }
        channelsOf(op, whole);
        Shape w = whole.shape();
        List<CudaTensor> out = new ArrayList<>(parts.size());
        int total = 0;
        for (int i = 0; i < parts.size(); i++) {
            String name = partsName + "[" + i + "]";
            out.add(tensor(op, name, parts.get(i)));
            Shape s = parts.get(i).shape();
            boolean fits = s.rank() == w.rank() && s.dim(0) == w.dim(0);
            for (int a = 2; fits && a < s.rank(); a++) {
                fits = s.dim(a) == w.dim(a);
            }
            if (!fits) {
                throw new IllegalArgumentException(op + ": " + name + " has shape " + s + ", expected the axes of "
                        + wholeName + " " + w + " except axis 1");
            }
            total += s.dim(1);
        }
        if (total != w.dim(1)) {
            throw new IllegalArgumentException(op + ": the channels of " + partsName + " add up to " + total + ", but "
                    + wholeName + " " + w + " has " + w.dim(1));
        }
        return out;
    }

    @Override
    public void upsampleForward(Tensor x, UpsampleSpec spec, Tensor y) {
        String op = "upsampleForward";
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor ty = tensor(op, "y", y);
        upsampleInput(op, "x", x, spec);
        Checks.shape(op, "y", y, spec.outputShape(x.shape()));
        distinct(op, "y", y, "x", x);
        resampling.forward(tx, spec, ty);
        gpu.done(op);
    }

    @Override
    public void upsampleBackward(Tensor dy, UpsampleSpec spec, Tensor dx) {
        String op = "upsampleBackward";
        CudaTensor tdy = tensor(op, "dy", dy);
        CudaTensor tdx = tensor(op, "dx", dx);
        upsampleInput(op, "dx", dx, spec);
        Checks.shape(op, "dy", dy, spec.outputShape(dx.shape()));
        distinct(op, "dx", dx, "dy", dy);
        resampling.backward(tdy, spec, tdx);
        gpu.done(op);
    }

    /** Checks the image (x, or dx for the backward pass) and the spec. */
    private static void upsampleInput(String op, String name, Tensor x, UpsampleSpec spec) {
        requireNonNull(op, "spec", spec);
        Checks.rank(op, name, x, 4);
        try {
            spec.outputShape(x.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, BatchNormSpec spec, Tensor runningMean,
            Tensor runningVar, Tensor y, Tensor savedMean, Tensor savedInvStd) {
        String op = "batchNormForwardTraining";
        requireNonNull(op, "spec", spec);
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tg = tensor(op, "gamma", gamma);
        CudaTensor tb = tensor(op, "beta", beta);
        CudaTensor trm = tensor(op, "runningMean", runningMean);
        CudaTensor trv = tensor(op, "runningVar", runningVar);
        CudaTensor ty = tensor(op, "y", y);
        CudaTensor tsm = tensor(op, "savedMean", savedMean);
        CudaTensor tsi = tensor(op, "savedInvStd", savedInvStd);
        int c = channelsOf(op, x);
        int count = x.shape().size() / c;
        Shape perChannel = Shape.of(c);
        Checks.shape(op, "gamma", gamma, perChannel);
        Checks.shape(op, "beta", beta, perChannel);
        Checks.shape(op, "runningMean", runningMean, perChannel);
        Checks.shape(op, "runningVar", runningVar, perChannel);
        Checks.shape(op, "savedMean", savedMean, perChannel);
        Checks.shape(op, "savedInvStd", savedInvStd, perChannel);
        Checks.shape(op, "y", y, x.shape());
        if (count < 2) {
            throw new IllegalArgumentException(op + ": x " + x.shape() + " has " + count
                    + " value per channel, expected more than one to estimate a variance in training");
        }
        distinct(op, "y", y, "x", x, "gamma", gamma, "beta", beta, "runningMean", runningMean, "runningVar", runningVar);
        distinct(op, "savedMean", savedMean, "x", x, "y", y, "savedInvStd", savedInvStd, "runningMean", runningMean);
        distinct(op, "savedInvStd", savedInvStd, "x", x, "y", y, "runningVar", runningVar);
        normalization.forwardTraining(op, tx, tg, tb, spec, trm, trv, ty, tsm, tsi);
        gpu.done(op);
    }

    @Override
    public void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            BatchNormSpec spec, Tensor y) {
        String op = "batchNormForwardInference";
        requireNonNull(op, "spec", spec);
        CudaTensor tx = tensor(op, "x", x);
        CudaTensor tg = tensor(op, "gamma", gamma);
        CudaTensor tb = tensor(op, "beta", beta);
        CudaTensor trm = tensor(op, "runningMean", runningMean);
        CudaTensor trv = tensor(op, "runningVar", runningVar);
        CudaTensor ty = tensor(op, "y", y);
        Shape perChannel = Shape.of(channelsOf(op, x));
        Checks.shape(op, "gamma", gamma, perChannel);
        Checks.shape(op, "beta", beta, perChannel);
        Checks.shape(op, "runningMean", runningMean, perChannel);
        Checks.shape(op, "runningVar", runningVar, perChannel);
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "gamma", gamma, "beta", beta, "runningMean", runningMean, "runningVar", runningVar);
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
        Shape perChannel = Shape.of(channelsOf(op, x));
        Checks.shape(op, "dy", dy, x.shape());
        Checks.shape(op, "dx", dx, x.shape());
        Checks.shape(op, "gamma", gamma, perChannel);
        Checks.shape(op, "savedMean", savedMean, perChannel);
        Checks.shape(op, "savedInvStd", savedInvStd, perChannel);
        Checks.shape(op, "dgamma", dgamma, perChannel);
        Checks.shape(op, "dbeta", dbeta, perChannel);
        distinct(op, "dx", dx, "x", x, "dy", dy);
        distinct(op, "dgamma", dgamma, "gamma", gamma, "savedMean", savedMean, "savedInvStd", savedInvStd, "dbeta", dbeta);
        distinct(op, "dbeta", dbeta, "gamma", gamma, "savedMean", savedMean, "savedInvStd", savedInvStd);
        normalization.backward(tx, tdy, tg, tsm, tsi, tdx, tdg, tdb);
        gpu.done(op);
    }

    // ---- losses -------------------------------------------------------------------------

    @Override
    public float softmaxCrossEntropy(Tensor logits, int[] labels, Tensor dlogits) {
        String op = "softmaxCrossEntropy";
        CudaTensor tl = tensor(op, "logits", logits);
        CudaTensor td = dlogits == null ? null : tensor(op, "dlogits", dlogits);
        Checks.rank(op, "logits", logits, 2);
        int n = logits.shape().dim(0);
        int classes = logits.shape().dim(1);
        Checks.labels(op, labels, n, classes);
        if (dlogits != null) {
            Checks.shape(op, "dlogits", dlogits, logits.shape());
            distinct(op, "dlogits", dlogits, "logits", logits);
        }
        float loss = losses.softmaxCrossEntropy(tl, labels, td, n, classes);
        gpu.done(op);
        return loss;
    }

    @Override
    public float sigmoidCrossEntropy(Tensor logits, Tensor targets, Tensor dlogits) {
        String op = "sigmoidCrossEntropy";
        CudaTensor tl = tensor(op, "logits", logits);
        CudaTensor tt = tensor(op, "targets", targets);
        CudaTensor td = dlogits == null ? null : tensor(op, "dlogits", dlogits);
        Checks.shape(op, "targets", targets, logits.shape());
        float[] host = new float[tt.shape().size()];
        read(tt, host);
        for (int i = 0; i < host.length; i++) {
            if (!(host[i] >= 0f && host[i] <= 1f)) {
                throw new IllegalArgumentException(op + ": target " + host[i] + " at index " + i + " of targets "
                        + targets.shape() + " is outside [0, 1]");
            }
        }
        if (dlogits != null) {
            Checks.shape(op, "dlogits", dlogits, logits.shape());
            distinct(op, "dlogits", dlogits, "logits", logits, "targets", targets);
        }
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
        Checks.shape(op, "targets", targets, predictions.shape());
        if (dpredictions != null) {
            Checks.shape(op, "dpredictions", dpredictions, predictions.shape());
            distinct(op, "dpredictions", dpredictions, "predictions", predictions, "targets", targets);
        }
        float loss = losses.meanSquaredError(tp, tt, td);
        gpu.done(op);
        return loss;
    }

    // ---- optimizers ---------------------------------------------------------------------

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, SgdSpec spec) {
        String op = "sgdUpdate";
        requireNonNull(op, "spec", spec);
        CudaTensor tp = tensor(op, "param", param);
        CudaTensor tg = tensor(op, "grad", grad);
        Checks.shape(op, "grad", grad, param.shape());
        CudaTensor tv = null;
        if (spec.momentum() != 0f) {
            if (velocity == null) {
                throw new IllegalArgumentException(op + ": momentum " + spec.momentum()
                        + " needs a velocity tensor of shape " + param.shape() + ", got null");
            }
            tv = tensor(op, "velocity", velocity);
            Checks.shape(op, "velocity", velocity, param.shape());
            distinct(op, "velocity", velocity, "param", param, "grad", grad);
        }
        distinct(op, "param", param, "grad", grad);
        optimizers.sgd(tp, tg, tv, spec);
        gpu.done(op);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamSpec spec, int step) {
        String op = "adamUpdate";
        requireNonNull(op, "spec", spec);
        if (step < 1) {
            throw new IllegalArgumentException(op + ": step " + step + " is not a valid step, steps count from 1");
        }
        CudaTensor tp = tensor(op, "param", param);
        CudaTensor tg = tensor(op, "grad", grad);
        CudaTensor tm = tensor(op, "m", m);
        CudaTensor tv = tensor(op, "v", v);
        Checks.shape(op, "grad", grad, param.shape());
        Checks.shape(op, "m", m, param.shape());
        Checks.shape(op, "v", v, param.shape());
        distinct(op, "param", param, "grad", grad, "m", m, "v", v);
        distinct(op, "m", m, "grad", grad, "v", v);
        distinct(op, "v", v, "grad", grad);
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

    private static void requireNonNull(String op, String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
    }

    /** Throws when the output is the same tensor as one of the inputs, which the op does not allow. */
    private static void distinct(String op, String outName, Tensor out, Object... namesAndInputs) {
        for (int i = 0; i < namesAndInputs.length; i += 2) {
            if (namesAndInputs[i + 1] == out) {
                throw new IllegalArgumentException(op + ": output " + outName + " must not be the same tensor as input "
                        + namesAndInputs[i]);
            }
        }
    }
}
