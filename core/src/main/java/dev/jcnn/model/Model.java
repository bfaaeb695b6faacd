package dev.jcnn.model;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.data.SampleSource;
import dev.jcnn.io.NamedTensors;
import dev.jcnn.io.TensorFile;
import dev.jcnn.io.WeightsFileException;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.Parameter;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.Checkpoint;
import dev.jcnn.train.Evaluation;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.Loss;
import dev.jcnn.train.Metric;
import dev.jcnn.train.Optimizer;
import dev.jcnn.train.Trainable;
import dev.jcnn.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A network: a graph of layers ({@link Functional}; {@link Sequential} is its chain), built
 * on a backend with its parameters. It reads like Keras: {@link #build}, {@link #compile}
 * with a loss and an optimizer, then {@link #fit}, {@link #evaluate}, {@link #predict},
 * {@link #save} and {@link #load}. Those are conveniences: training runs in a
 * {@link Trainer}, checkpoints in {@link Checkpoint}, files in {@link NamedTensors}.
 *
 * <p>Data are {@link SampleSource}s (datasets, read batch by batch) or, as Keras takes NumPy
 * arrays, flat float arrays of whole samples, row-major in the model's per-sample input
 * shape (C, H, W).
 *
 * <p>Threads: a model serves one call at a time (its layers keep each call's activations).
 * A call from a second thread while one runs ({@code fit}, {@code evaluate}, {@code predict},
 * {@code load}, {@code save}, {@code close}, {@code forward}) throws
 * {@link IllegalStateException} naming the rule; calls one after another from different
 * threads are fine. To predict from many threads at once, share one {@link #predictor()}.
 */
public abstract class Model implements Trainable, AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(Model.class);

    private final String name;
    private final Shape inputShape;
    private Backend backend;
    private Trainer trainer;
    private final Usage usage;
    private final List<Predictor> predictors = new ArrayList<>();
    private List<String> classNames = List.of();
    /** Where the layers' times go while a benchmark asks for them, else null. */
    volatile LayerTimes layerTimes;

    protected Model(String name, Shape inputShape) {
        this.name = name;
        this.inputShape = inputShape;
        this.usage = new Usage(name);
    }

    /** Who is using the model: its own calls and its predictors' (see {@link Usage}). */
    final Usage usage() {
        return usage;
    }

    /**
     * Runs a call on the model's own layers, refused with {@link IllegalStateException} while
     * another thread's runs or, when it changes the weights, while predictions read them.
     */
    @Override
    public final <T> T exclusive(String call, boolean changesWeights, Supplier<T> body) {
        usage.enter(call, changesWeights);
        try {
            return body.get();
        } finally {
            usage.exit(changesWeights);
        }
    }

    /** {@link #exclusive} for calls that read or write files. */
    private <T> T exclusiveIo(String call, boolean changesWeights, IoCall<T> body) throws IOException {
        usage.enter(call, changesWeights);
        try {
            return body.run();
        } finally {
            usage.exit(changesWeights);
        }
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T run() throws IOException;
    }

    @Override
    public String name() {
        return name;
    }

    /** The per-sample input shape, e.g. (1, 28, 28). */
    @Override
    public Shape inputShape() {
        return inputShape;
    }

    /**
     * Sums each layer's forward and backward wall time into {@code times} from now on; null stops. A diagnostic
     * for benchmarks and profiles: it reads the clock twice per layer and pass, and the predictor's copies of
     * the layers are not timed.
     */
    public void timeLayers(LayerTimes times) {
        this.layerTimes = times;
    }

    /** The names of the output's classes, stored in the model file; empty when none were given. */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Names the output's classes, in output order ("0" to "9", or "T-shirt/top", ...), for
     * predictions to print and the model file to keep; returns this model.
     *
     * @throws IllegalArgumentException when the count differs from the output's classes (its
     *     first axis; two names also fit a single sigmoid output) or a name is null or repeated
     */
    public Model classNames(List<String> names) {
        List<String> copy = List.copyOf(names);
        int classes = outputShape().dim(0);
        if (copy.size() != classes && !(classes == 1 && copy.size() == 2)) {
            throw new IllegalArgumentException("model '" + name + "': " + copy.size() + " class names for an output of "
                    + outputShape() + ", expected " + classes);
        }
        if (new java.util.HashSet<>(copy).size() != copy.size()) {
            throw new IllegalArgumentException("model '" + name + "': class names " + copy + " repeat a name");
        }
        this.classNames = copy;
        return this;
    }

    /** Every layer, in the order a forward pass runs them. */
    public abstract List<Layer> layers();

    /** The per-sample output shape. */
    public abstract Shape outputShape();

    /** Builds every layer on the backend, drawing initial weights from random. */
    protected abstract void buildLayers(Backend on, Random random);

    /** The output of layers().get(index) in the last forward pass, or null if it has not run. */
    protected abstract Tensor lastOutput(int index);

    /** The summary's rows, in order. */
    protected abstract List<Summary.Row> summaryRows();

    @Override
    public String locateNonFinite() {
        List<Layer> all = layers();
        for (int i = 0; i < all.size(); i++) {
            Layer l = all.get(i);
            for (Parameter p : l.parameters()) {
                if (firstNonFinite(p.value().toArray()) >= 0) {
                    return "parameter '" + p.name() + "' of layer '" + l.name() + "' holds non-finite values";
                }
            }
            Tensor out = lastOutput(i);
            if (out != null) {
                float[] v = out.toArray();
                int at = firstNonFinite(v);
                if (at >= 0) {
                    return "the output of layer '" + l.name() + "' (" + l.type() + ") is first non-finite, at element "
                            + at + " (" + v[at] + ")";
                }
            }
        }
        return "every layer's output is finite, the loss itself overflowed in layer '" + all.get(all.size() - 1).name()
                + "'";
    }

    private static int firstNonFinite(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }

    // ---- building ----------------------------------------------------------------------

    /** Makes the weights on this backend from a seed; returns this model. */
    public Model build(Backend on, long seed) {
        return exclusive("build", true, () -> buildExclusively(on, seed));
    }

    private Model buildExclusively(Backend on, long seed) {
        if (backend != null) {
            throw new IllegalStateException("model '" + name + "' is already built on " + backend.name());
        }
        this.backend = on;
        usage.backendTakesConcurrentCalls(on.supportsConcurrentCalls());
        buildLayers(on, new Random(seed));
        LOG.info("model {}: {} layers, {} parameters, input {}, output {}, on backend {}", name, layers().size(),
                String.format("%,d", parameterCount()), inputShape, outputShape(), on.name());
        return this;
    }

    /**
     * Pairs the model with a loss and an optimizer for {@link #fit} (its {@link Trainer});
     * returns this model. The optimizer is the model's from now on: closing the model, or
     * compiling it with another optimizer, closes it.
     *
     * @throws IllegalArgumentException when the loss cannot read the model's output, saying what to change
     */
    public Model compile(Loss lossFunction, Optimizer opt) {
        return exclusive("compile", false, () -> compileExclusively(lossFunction, opt));
    }

    private synchronized Model compileExclusively(Loss lossFunction, Optimizer opt) {
        Trainer next = new Trainer(this, lossFunction, opt);
        if (trainer != null) {
            trainer.close();
            if (trainer.optimizer() != null && trainer.optimizer() != opt) {
                trainer.optimizer().close();
            }
        }
        trainer = next;
        return this;
    }

    /** Pairs the model with a loss for {@link #evaluate} and {@link #predict} only (no optimizer); returns this model. */
    public Model compile(Loss lossFunction) {
        return compile(lossFunction, null);
    }

    /** The trainer {@link #compile} made, or one without loss (predictions only) if none. */
    public synchronized Trainer trainer() {
        if (trainer == null) {
            trainer = new Trainer(this, null, null);
        }
        return trainer;
    }

    @Override
    public Backend backend() {
        if (backend == null) {
            throw new IllegalStateException("model '" + name + "' is not built: call build(backend, seed) first");
        }
        return backend;
    }

    /** The optimizer given to {@link #compile}, or null. */
    public Optimizer optimizer() {
        return trainer == null ? null : trainer.optimizer();
    }

    /** All trainable parameters, in layer order. */
    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer l : layers()) {
            all.addAll(l.parameters());
        }
        return all;
    }

    /**
     * All non-trainable state (BatchNormalization's moving statistics), in layer order: saved
     * and loaded with the weights, never updated by the optimizer.
     */
    public List<Parameter> state() {
        List<Parameter> all = new ArrayList<>();
        for (Layer l : layers()) {
            all.addAll(l.state());
        }
        return all;
    }

    /** What a weights file holds, by name: every parameter, then every state tensor. */
    @Override
    public Map<String, Tensor> weights() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : parameters()) {
            tensors.put(p.name(), p.value());
        }
        for (Parameter p : state()) {
            tensors.put(p.name(), p.value());
        }
        return tensors;
    }

    @Override
    public Map<String, String> fileMetadata() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", name);
        meta.put("input", inputShape.toString());
        meta.put("summary", summary());
        return meta;
    }

    /** Number of parameters, trainable and not, counted from the layer shapes (no need to build). */
    public long parameterCount() {
        return summaryRows().stream().mapToLong(Summary.Row::parameters).sum();
    }

    /**
     * Number of trainable parameters, the summary's "Trainable params": all of them less the
     * non-trainable state such as batch normalisation's moving statistics. This is what
     * torchvision and Keras report for a model.
     */
    public long trainableParameterCount() {
        return summaryRows().stream().mapToLong(r -> r.parameters() - r.nonTrainable()).sum();
    }

    /** The Keras-like table: layer (type), output shape, parameters, totals. */
    public String summary() {
        return Summary.render(name, summaryRows());
    }

    // ---- training: conveniences over the trainer -------------------------------------------

    /** Trains on samples read batch by batch from the source (a dataset); see {@link Trainer#fit}. */
    public History fit(SampleSource data, FitOptions options) {
        return trainer().fit(data, options);
    }

    /** Trains on whole samples of the input shape with integer class labels. */
    public History fit(float[] x, int[] labels, FitOptions options) {
        return fit(SampleSource.of(inputShape, x, labels), options);
    }

    /**
     * Trains on whole samples with float targets of the shape the loss takes: the output's
     * (binary cross-entropy, MSE), or a one-channel class map (per-pixel cross-entropy, Dice).
     */
    public History fit(float[] x, float[] targets, FitOptions options) {
        return fit(SampleSource.of(inputShape, x, targetShape(), targets), options);
    }

    /** Mean loss and the loss's metric over the source, in batches (no training). */
    public Evaluation evaluate(SampleSource data, int batchSize) {
        return trainer().evaluate(data, batchSize);
    }

    /** Mean loss, the loss's metric and further metrics over the source (see {@link Trainer#evaluate(SampleSource, int, List)}). */
    public Evaluation evaluate(SampleSource data, int batchSize, List<? extends Metric> metrics) {
        return trainer().evaluate(data, batchSize, metrics);
    }

    /** Mean loss and accuracy over labelled samples, in batches (no training). */
    public Evaluation evaluate(float[] x, int[] labels, int batchSize) {
        return evaluate(SampleSource.of(inputShape, x, labels), batchSize);
    }

    /** Mean loss and the loss's metric (binary accuracy for binary cross-entropy) over samples with float targets. */
    public Evaluation evaluate(float[] x, float[] targets, int batchSize) {
        return evaluate(SampleSource.of(inputShape, x, targetShape(), targets), batchSize);
    }

    /** The per-sample target shape the compiled loss takes; the output's shape without a loss. */
    private Shape targetShape() {
        Loss loss = trainer().loss();
        return loss == null ? outputShape() : loss.targetShape(outputShape());
    }

    /**
     * The predictions for the source's samples: size() × the per-sample output size values,
     * probabilities for a classifier whatever its output layer (see {@link Trainer#predict}).
     */
    public float[] predict(SampleSource data, int batchSize) {
        return trainer().predict(data, batchSize);
    }

    /** The predictions for whole samples of the input shape: n × outputShape().size() values. */
    public float[] predict(float[] x, int batchSize) {
        return predict(x, inputShape, batchSize);
    }

    /**
     * The predictions for samples of another per-sample shape, for fully convolutional models
     * that take images of any size; returns n × (per-sample output size) values.
     */
    public float[] predict(float[] x, Shape sampleShape, int batchSize) {
        return predict(SampleSource.of(sampleShape, x), batchSize);
    }

    /** The most probable class of each sample (argmax over the output). */
    public int[] predictClasses(SampleSource data, int batchSize) {
        return trainer().predictClasses(data, batchSize);
    }

    /** The most probable class of each whole sample of the input shape. */
    public int[] predictClasses(float[] x, int batchSize) {
        return predictClasses(SampleSource.of(inputShape, x), batchSize);
    }

    // ---- files: conveniences over NamedTensors and Checkpoint --------------------------------

    /** Saves the weights atomically (see {@link dev.jcnn.io.TensorFile} for the format). */
    public void save(Path path) throws IOException {
        backend();
        exclusiveIo("save", false, () -> {
            Map<String, String> meta = fileMetadata();
            if (!meta.containsKey(ModelFormat.METADATA_KEY)) {
                LOG.warn("model {}: a layer class outside jcnn-core has no LayerConfig entry, so {} holds the weights"
                        + " only; Model.load(path, backend) cannot rebuild it", name, path);
            }
            meta.put("kind", "weights");
            NamedTensors.save(path, meta, weights());
            return null;
        });
        LOG.info("saved weights of {} to {}", name, path);
    }

    /**
     * Loads weights saved from a model of the same architecture (a checkpoint's optimizer
     * state is left out). Every name, shape and value (all finite) is checked before any
     * weight is replaced: a mismatched file changes nothing.
     */
    public void load(Path path) throws IOException {
        backend();
        exclusiveIo("load", true, () -> {
            loadWeights(path, TensorFile.read(path));
            return null;
        });
    }

    /** Checks the file's weights against this model, and the state values against their layers, then loads them. */
    private void loadWeights(Path path, TensorFile.Contents contents) {
        NamedTensors.Checked checked = NamedTensors.check(path, contents, weights(),
                k -> k.startsWith(Checkpoint.OPTIMIZER), "model '" + name + "'");
        checkStates(path, checked);
        checked.apply();
    }

    /** Each layer's {@link Layer#checkState} on the state values a file holds for it; throws naming the file. */
    private void checkStates(Path path, NamedTensors.Checked checked) {
        for (Layer l : layers()) {
            for (Parameter p : l.state()) {
                try {
                    l.checkState(p.name().substring(l.name().length() + 1), checked.valuesFor(p.value()));
                } catch (IllegalArgumentException e) {
                    throw new WeightsFileException(path + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * Rebuilds the model a weights file or checkpoint describes, on this backend, without its
     * Java code: the architecture stored in the file ({@link ModelFormat}) first, then every
     * weight, all or nothing. A checkpoint's optimizer state is left out.
     *
     * @throws WeightsFileException naming the file and, for a bad architecture, the layer and
     *     the field; for a file written before format 1, which holds weights only, saying how
     *     to load it instead
     */
    public static Model load(Path path, Backend backend) throws IOException {
        TensorFile.Contents contents = TensorFile.read(path);
        String json = contents.metadata().get(ModelFormat.METADATA_KEY);
        if (json == null) {
            String model = contents.metadata().get("model");
            throw new WeightsFileException(path + " holds weights only" + (model == null ? "" : " of model '" + model + "'")
                    + ", written before format " + ModelFormat.FORMAT + " or from layers outside jcnn-core; rebuild"
                    + " the model in code and load the weights into it with model.load(path)");
        }
        Functional model;
        try {
            model = ModelFormat.read(json);
        } catch (IllegalArgumentException e) {
            throw new WeightsFileException(path + ": metadata '" + ModelFormat.METADATA_KEY + "': " + e.getMessage());
        }
        model.build(backend, 0);
        try {
            ((Model) model).loadWeights(path, contents);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        LOG.info("rebuilt model {} ({} layers) from {}", model.name(), model.layers().size(), path);
        return model;
    }

    /** Saves weights, the compiled optimizer's state and the given metadata (e.g. the epoch) atomically. */
    public void saveCheckpoint(Path path, Map<String, String> extra) throws IOException {
        backend();
        exclusiveIo("saveCheckpoint", false, () -> {
            Checkpoint.save(path, this, optimizer(), extra);
            return null;
        });
    }

    /** Loads a checkpoint: weights, optimizer state and step count; returns its metadata. Nothing changes if it does not fit. */
    public Map<String, String> loadCheckpoint(Path path) throws IOException {
        backend();
        return exclusiveIo("loadCheckpoint", true, () -> Checkpoint.load(path, this, optimizer(), c -> checkStates(path, c)));
    }

    // ---- predictions from many threads ------------------------------------------------------

    /**
     * A predictor that many threads may call at once, on copies of the layers that share these
     * weights (see {@link Predictor}): as many copies at most as the backend's processors when
     * it takes concurrent calls (the CPU backend), else one. Close it, or the model, when done.
     *
     * @throws IllegalStateException when the model is not built
     */
    public Predictor predictor() {
        backend();
        return predictor(backend.supportsConcurrentCalls() ? Runtime.getRuntime().availableProcessors() : 1);
    }

    /**
     * A predictor with at most {@code maxConcurrency} predictions running at once (the rest
     * wait); more than one is refused on a backend that takes one call at a time.
     *
     * @throws IllegalArgumentException when maxConcurrency is below 1, or above 1 on such a backend
     */
    public Predictor predictor(int maxConcurrency) {
        Backend on = backend();
        if (maxConcurrency > 1 && !on.supportsConcurrentCalls()) {
            throw new IllegalArgumentException("model '" + name + "': the " + on.name() + " backend takes one call at a"
                    + " time, so a predictor on it runs one prediction at a time, not " + maxConcurrency);
        }
        return exclusive("predictor", false, () -> {
            Predictor p = new Predictor(newReplicaSource(), trainer == null ? null : trainer.loss(), maxConcurrency);
            synchronized (predictors) {
                predictors.add(p);
            }
            return p;
        });
    }

    /** The model whose layers a predictor copies: a functional model (every model of this library is one). */
    private Functional newReplicaSource() {
        if (!(this instanceof Functional f)) {
            throw new UnsupportedOperationException("model '" + name + "' (" + getClass().getSimpleName()
                    + ") is not a Functional model, whose layers a predictor copies");
        }
        return f;
    }

    /** Called by a predictor that closes. */
    void forget(Predictor p) {
        synchronized (predictors) {
            predictors.remove(p);
        }
    }

    /**
     * Frees every tensor the model, its layers, its predictors, its trainer and its optimizer
     * hold (not the backend).
     *
     * @throws IllegalStateException while another thread uses the model or its predictor
     */
    @Override
    public void close() {
        exclusive("close", true, () -> {
            closeExclusively();
            return null;
        });
    }

    private void closeExclusively() {
        List<Predictor> open;
        synchronized (predictors) {
            open = new ArrayList<>(predictors);
        }
        open.forEach(Predictor::close);
        if (trainer != null) {
            trainer.close();
            if (trainer.optimizer() != null) {
                trainer.optimizer().close();
            }
        }
        for (Layer l : layers()) {
            l.close();
        }
        backend = null;
    }
}
