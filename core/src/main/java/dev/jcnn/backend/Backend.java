package dev.jcnn.backend;

import dev.jcnn.tensor.Shape;

/**
 * A device: its memory, its lifecycle and its ops, one {@link OpFamily} per kind of op
 * ({@link #convolution()}, {@link #pooling()}, …). Layers own shapes and parameters and call
 * these ops; a backend never sees a layer.
 *
 * <p>Every public op, here and in the families, is final: it checks that the backend is open
 * and that each tensor is non-null, open and this backend's, then the op's own arguments, and
 * only then calls the protected method that a backend implements. A backend supplies storage
 * ({@link #newTensor}, {@link #copyToHost}, {@link #copyFromHost}, {@link #release}) and one
 * class per family; it cannot skip a check.
 *
 * <p>Conventions, the same for every implementation:
 * <ul>
 *   <li>Every op writes (overwrites) its output tensors, which the caller allocated with
 *       {@link #allocate}; outputs are reused across training steps. An output may not alias
 *       an input unless the op says so.</li>
 *   <li>Images are NCHW float32; convolution weights (K, C, kh, kw); dense weights
 *       (out, in), applied to each sample's values flattened in row-major order.</li>
 *   <li>Shapes are checked: a mismatch throws {@link IllegalArgumentException} naming the op,
 *       the tensor, what was expected and what came. A closed backend or tensor throws
 *       {@link IllegalStateException}.</li>
 *   <li>Losses return the mean over the batch (or over all elements, where said) and write
 *       the gradient of that mean.</li>
 * </ul>
 */
public abstract class Backend implements AutoCloseable {

    private final Backend tensorOwner;
    private volatile boolean closed;

    /** A backend that owns the tensors it allocates. */
    protected Backend() {
        this.tensorOwner = this;
    }

    /**
     * A backend that runs on the tensors of {@code tensorOwner}, such as a decorator that
     * forwards to it: its ops accept exactly the tensors that {@code tensorOwner}'s accept.
     */
    protected Backend(Backend tensorOwner) {
        if (tensorOwner == null) {
            throw new IllegalArgumentException("tensorOwner is null");
        }
        this.tensorOwner = tensorOwner;
    }

    /** The name {@link Backends#create(String)} knows it by, e.g. "cpu" or "cuda". */
    public abstract String name();

    /** A one-line description of the device: processor or GPU name, threads, library versions. */
    public abstract String device();

    // ---- op families --------------------------------------------------------------------

    /** fill, copy, add, scale, multiply and zero padding. */
    public abstract ElementwiseOps<?> elementwise();

    /** Convolution forward, its input, filter and bias gradients. */
    public abstract ConvolutionOps<?> convolution();

    /** Max, average and sum pooling and their gradients. */
    public abstract PoolingOps<?> pooling();

    /** Fully connected layers and their gradients. */
    public abstract DenseOps<?> dense();

    /** Elementwise activations and PReLU. */
    public abstract ActivationOps<?> activations();

    /** Softmax and log-softmax over axis 1. */
    public abstract SoftmaxOps<?> softmax();

    /** Per-channel ops: adding a bias, concatenating and splitting along axis 1. */
    public abstract ChannelOps<?> channels();

    /** Upsampling by whole factors and its gradient. */
    public abstract ResamplingOps<?> resampling();

    /** Batch normalization in training and inference, and its gradient. */
    public abstract NormalizationOps<?> normalization();

    /** Softmax cross-entropy, sigmoid cross-entropy and mean squared error. */
    public abstract LossOps<?> losses();

    /** SGD and Adam steps. */
    public abstract OptimizerOps<?> optimizers();

    // ---- memory -------------------------------------------------------------------------

    /** A new zero-filled tensor. */
    public final Tensor allocate(Shape shape) {
        String op = "allocate";
        requireOpen(op);
        Checks.notNull(op, "shape", shape);
        opStarting(op);
        Tensor t = newTensor(shape, null);
        opFinished(op);
        return t;
    }

    /** A new tensor holding a copy of {@code data} (row-major, exactly shape.size() values). */
    public final Tensor upload(Shape shape, float[] data) {
        String op = "upload";
        requireOpen(op);
        Checks.notNull(op, "shape", shape);
        Checks.notNull(op, "data", data);
        if (data.length != shape.size()) {
            throw new IllegalArgumentException(op + ": array holds " + data.length + " values, shape " + shape
                    + " needs exactly " + shape.size());
        }
        opStarting(op);
        Tensor t = newTensor(shape, data);
        opFinished(op);
        return t;
    }

    /** Copies the tensor's values into {@code dst}, which holds at least shape.size() values. */
    public final void read(Tensor t, float[] dst) {
        String op = "read";
        checkOwned(op, "t", t);
        Checks.length(op, dst, t.shape().size());
        opStarting(op);
        copyToHost(t, dst);
        opFinished(op);
    }

    /** Overwrites the tensor's values from {@code src}, which holds at least shape.size() values. */
    public final void write(Tensor t, float[] src) {
        String op = "write";
        checkOwned(op, "t", t);
        Checks.length(op, src, t.shape().size());
        opStarting(op);
        copyFromHost(src, t);
        opFinished(op);
    }

    /**
     * Releases everything the backend holds (handles, workspaces, caches); its tensors should be
     * closed first. Closing twice does nothing; after it every op throws {@link IllegalStateException}.
     */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
    }

    /**
     * Whether ops may run on several threads at once, each on tensors of its own (the weights
     * shared and only read). False by default, for a backend whose device state (a CUDA context,
     * a cuDNN handle and its workspace) serves one caller at a time: a
     * {@link dev.jcnn.model.Predictor} on it then runs one prediction at a time.
     */
    public boolean supportsConcurrentCalls() {
        return false;
    }

    /** Whether {@link #close()} has been called. */
    public final boolean isClosed() {
        return closed;
    }

    // ---- what a backend implements --------------------------------------------------------

    /**
     * A new tensor of this backend: zeros when {@code source} is null, else a copy of its
     * shape.size() values (the length is checked).
     */
    protected abstract Tensor newTensor(Shape shape, float[] source);

    /** Copies the values of t, one of this backend's open tensors, into dst (long enough). */
    protected abstract void copyToHost(Tensor t, float[] dst);

    /** Overwrites the values of t, one of this backend's open tensors, from src (long enough). */
    protected abstract void copyFromHost(float[] src, Tensor t);

    /** Frees what the backend holds; called once, by {@link #close()}, after the backend counts as closed. */
    protected abstract void release();

    /** Called after an op's checks, before its work (the CUDA backend makes its context current). */
    protected void opStarting(String op) {
    }

    /** Called after an op's work returned (the CUDA backend can synchronise here to report errors). */
    protected void opFinished(String op) {
    }

    // ---- checks ---------------------------------------------------------------------------

    /** Throws {@link IllegalStateException} once the backend is closed. */
    final void requireOpen(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": the " + name() + " backend is closed");
        }
    }

    /**
     * The check before every op: the backend is open, t is not null, belongs to this backend
     * (or to the backend whose tensors this one runs on) and is open.
     *
     * @param name the tensor's name in the op, for the message
     */
    final void checkOwned(String op, String name, Tensor t) {
        requireOpen(op);
        if (t == null) {
            throw new IllegalArgumentException(op + ": tensor " + name + " is null");
        }
        Backend owner = t.backend();
        if (owner != tensorOwner) {
            String whose = owner == null ? "no backend"
                    : owner.name().equals(tensorOwner.name()) ? "another " + owner.name() + " backend"
                    : "backend '" + owner.name() + "'";
            throw new IllegalArgumentException(op + ": tensor " + name + " " + t.shape() + " belongs to " + whose
                    + ", not to this " + tensorOwner.name() + " backend");
        }
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": tensor " + name + " " + t.shape() + " is closed");
        }
    }
}
