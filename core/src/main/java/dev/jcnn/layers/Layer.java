package dev.jcnn.layers;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A layer: shape inference and parameters in one place, math delegated to the backend.
 * Build, then compute: {@link #build} makes the weights once the input shape is known;
 * {@link #forward} and {@link #backward} only compute. Shapes given to and returned by
 * {@link #outputShape} are per sample, without the batch dimension.
 *
 * <p>A layer's forward output and backward input gradient are buffers it owns and reuses:
 * valid until its next forward or backward call, never to be closed by the caller.
 *
 * <p>In a functional model a layer is applied to symbolic {@link Node}s:
 * {@code Node h = new Conv2D(8, 3).apply(x);}. Each layer is applied once (layers are not shared).
 *
 * <p>A layer serves one thread at a time: its fields hold the last call's input and output.
 * {@link #inferenceCopy} gives another thread a layer of its own that shares the weights.
 */
public abstract class Layer implements AutoCloseable, Cloneable {

    private String name;
    private Shape inputShape;
    private Backend backend;
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<Parameter> state = new ArrayList<>();
    private Buffers buffers = new Buffers();
    private boolean applied;
    /** The layer this one is an inference copy of, null for an original. */
    private Layer copyOf;

    protected Layer(String name) {
        this.name = name;
    }

    /** The layer's name, unique in its model: the model names unnamed layers Keras-style ("conv2d_1"). */
    public String name() {
        return name;
    }

    /** Names the layer (before it is built); returns this layer, typed as the caller needs. */
    @SuppressWarnings("unchecked")
    public <L extends Layer> L named(String newName) {
        if (backend != null) {
            throw new IllegalStateException(name + ": cannot rename a built layer");
        }
        this.name = newName;
        return (L) this;
    }

    /** The layer's kind as the summary shows it, e.g. "Conv2D". */
    public String type() {
        return getClass().getSimpleName();
    }

    /**
     * The per-sample output shape for a per-sample input shape; throws
     * {@link IllegalArgumentException} naming this layer when the input does not fit.
     */
    public abstract Shape outputShape(Shape input);

    /** The parameters this layer owns for the given per-sample input shape (none by default). */
    public List<ParamSpec> parameterSpecs(Shape input) {
        return List.of();
    }

    /** Number of parameters for this input shape: the product of each weight shape, summed. */
    public long parameterCount(Shape input) {
        return parameterSpecs(input).stream().mapToLong(p -> p.shape().size()).sum();
    }

    /**
     * Non-trainable tensors the layer keeps for this input shape, such as BatchNormalization's
     * moving mean and variance: saved in weight files, counted as non-trainable in the summary,
     * never touched by the optimizer (none by default).
     */
    public List<ParamSpec> stateSpecs(Shape input) {
        return List.of();
    }

    /**
     * Checks values about to be loaded into state tensor {@code shortName} (e.g. "variance"),
     * before any is written: a layer whose state must satisfy more than finiteness throws
     * {@link IllegalArgumentException} naming itself, the tensor and the element. Accepts
     * everything by default.
     */
    public void checkState(String shortName, float[] values) {
    }

    /** Number of non-trainable values for this input shape. */
    public long stateCount(Shape input) {
        return stateSpecs(input).stream().mapToLong(p -> p.shape().size()).sum();
    }

    /**
     * Whether the output holds the input's values unchanged, only rearranged (Flatten) or as
     * they are in inference (Dropout); false by default. A loss looks through such layers to
     * the activation below them, so that a softmax followed by Flatten is not taken for logits.
     */
    public boolean keepsValues() {
        return false;
    }

    /**
     * This layer applied to the outputs of other layers (or a model input): a symbolic node of
     * a functional model. Most layers take one input; merges such as Add take several.
     *
     * @throws IllegalArgumentException naming the layer when the inputs do not fit it
     * @throws IllegalStateException when the layer was applied before
     */
    public Node apply(Node... inputs) {
        if (applied) {
            throw new IllegalStateException((name == null ? type() : name) + ": already applied to other inputs; layers"
                    + " are not shared between nodes, make a new layer");
        }
        Node node = Node.of(this, inputs);
        applied = true;
        return node;
    }

    /**
     * Makes the weights for this per-sample input shape on this backend, drawing initial
     * values from {@code random}, and returns the per-sample output shape.
     */
    public Shape build(Shape input, Backend backend, Random random) {
        if (this.backend != null) {
            throw new IllegalStateException(name + ": already built");
        }
        Shape out = outputShape(input);
        attach(input, backend, random);
        return out;
    }

    /**
     * Makes the parameters and state for this per-sample input shape on the backend, after the
     * caller has checked the shape: {@link #build} for one input, a merge for several.
     */
    protected void attach(Shape input, Backend on, Random random) {
        if (this.backend != null) {
            throw new IllegalStateException(name + ": already built");
        }
        this.backend = on;
        this.inputShape = input;
        for (ParamSpec spec : parameterSpecs(input)) {
            Tensor value = on.upload(spec.shape(), Initializers.values(spec, random));
            Tensor grad = on.allocate(spec.shape());
            parameters.add(new Parameter(name + "/" + spec.name(), value, grad));
        }
        for (ParamSpec spec : stateSpecs(input)) {
            state.add(new Parameter(name + "/" + spec.name(), on.upload(spec.shape(), Initializers.values(spec, random)),
                    null));
        }
    }

    /** The forward pass; {@code training} switches layers such as Dropout. Keeps what backward needs. */
    public abstract Tensor forward(Tensor x, boolean training);

    /** The backward pass: writes the parameters' gradients and returns the gradient for the input. */
    public abstract Tensor backward(Tensor dy);

    /** The built parameters, in a fixed order. */
    public List<Parameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    /** The built non-trainable state (with null gradients), in a fixed order. */
    public List<Parameter> state() {
        return Collections.unmodifiableList(state);
    }

    /** A built state tensor by its short name, e.g. "moving_mean". */
    protected Tensor stateTensor(String shortName) {
        String full = name + "/" + shortName;
        for (Parameter p : state) {
            if (p.name().equals(full)) {
                return p.value();
            }
        }
        throw new IllegalStateException(name + ": no state '" + shortName + "' (is the layer built?)");
    }

    /** A built parameter by its short name, e.g. "kernel". */
    protected Parameter parameter(String shortName) {
        String full = name + "/" + shortName;
        for (Parameter p : parameters) {
            if (p.name().equals(full)) {
                return p;
            }
        }
        throw new IllegalStateException(name + ": no parameter '" + shortName + "' (is the layer built?)");
    }

    /** The backend the layer was built on. */
    protected Backend backend() {
        if (backend == null) {
            throw new IllegalStateException(name + ": not built yet; add it to a model and build the model");
        }
        return backend;
    }

    /** The per-sample input shape the layer was built for. */
    public Shape inputShape() {
        return inputShape;
    }

    /**
     * A working tensor of this shape, reused across calls while the shape stays the same. A
     * layer takes every tensor it writes from here, so that each {@link #inferenceCopy} writes
     * tensors of its own.
     */
    protected Tensor buffer(String key, Shape shape) {
        return buffers.get(backend(), key, shape);
    }

    /**
     * Checks that x's channel axis (or feature count) matches what the layer was built for;
     * spatial sizes may differ, so fully convolutional stacks take images of any size.
     */
    protected void checkChannels(Tensor x) {
        Shape s = x.shape();
        if (s.rank() != inputShape.rank() + 1 || s.dim(1) != inputShape.dim(0)) {
            throw new IllegalArgumentException(name + ": input has shape " + s + ", expected (N, "
                    + inputShape.toString().substring(1) + (inputShape.rank() > 1 ? " (or other spatial sizes)" : ""));
        }
    }

    /**
     * A copy of this built layer for inference ({@code forward(x, false)}) on another thread: it
     * shares this layer's parameters and state, which inference only reads, and has working
     * buffers of its own. Every layer's forward pass sets the fields it keeps before it reads
     * them, so the copy's fields, copied from this layer, are never read stale. Closing the copy
     * frees its buffers only; it is valid while this layer is open and its weights do not change
     * (a Predictor refuses training while its copies are in use).
     *
     * @throws IllegalStateException when the layer is not built
     */
    public Layer inferenceCopy() {
        backend();
        try {
            Layer copy = (Layer) super.clone();
            copy.buffers = new Buffers();
            copy.copyOf = copyOf == null ? this : copyOf;
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("Layer is Cloneable", e);
        }
    }

    /** Whether this layer is an {@link #inferenceCopy} of another, sharing its weights. */
    public boolean isInferenceCopy() {
        return copyOf != null;
    }

    @Override
    public void close() {
        if (copyOf != null) {
            buffers.close();
            backend = null;
            return;
        }
        buffers.close();
        for (Parameter p : parameters) {
            p.value().close();
            p.grad().close();
        }
        parameters.clear();
        for (Parameter p : state) {
            p.value().close();
        }
        state.clear();
        backend = null;
    }
}
