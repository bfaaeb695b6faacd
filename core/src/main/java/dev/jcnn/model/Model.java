package dev.jcnn.model;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.io.TensorFile;
import dev.jcnn.io.WeightsFileException;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.Parameter;
import dev.jcnn.layers.SoftmaxOutput;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.BinaryCrossEntropy;
import dev.jcnn.train.Loss;
import dev.jcnn.train.Optimizer;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A trainable network: build it on a backend, compile it with a loss and an optimizer, then
 * {@link #fit}, {@link #evaluate}, {@link #predict}, {@link #save} and {@link #load}.
 * Subclasses say how layers connect ({@link Sequential} chains them); the training loop,
 * evaluation, summaries and weight files live here once.
 *
 * <p>Data are flat float arrays of whole samples, row-major in the model's per-sample input
 * shape (C, H, W), as Keras takes NumPy arrays.
 */
public abstract class Model implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(Model.class);

    private final String name;
    private final Shape inputShape;
    private Backend backend;
    private Loss loss;
    private Optimizer optimizer;
    private final Map<String, Tensor> work = new HashMap<>();
    private final Map<Integer, float[]> hostBatches = new HashMap<>();

    protected Model(String name, Shape inputShape) {
        this.name = name;
        this.inputShape = inputShape;
    }

    public String name() {
        return name;
    }

    /** The per-sample input shape, e.g. (1, 28, 28). */
    public Shape inputShape() {
        return inputShape;
    }

    /** Every layer, in the order a forward pass runs them. */
    public abstract List<Layer> layers();

    /** The layer whose output is the model's output. */
    protected abstract Layer outputLayer();

    /** Builds every layer on the backend, drawing initial weights from random. */
    protected abstract void buildLayers(Backend backend, Random random);

    /** The forward pass over a batch; returns the output layer's output. */
    protected abstract Tensor forward(Tensor x, boolean training);

    /** The backward pass from the output's gradient; fromLogits starts below a final softmax. */
    protected abstract void backward(Tensor dOutput, boolean fromLogits);

    /** The output of layers().get(index) in the last forward pass, or null if it has not run. */
    protected abstract Tensor lastOutput(int index);

    /** Where the last forward pass first produced non-finite values: a parameter or a layer's output. */
    protected String locateNonFinite() {
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
        return "every layer's output is finite, the loss itself overflowed in layer '" + outputLayer().name() + "'";
    }

    private static int firstNonFinite(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The summary's rows, in order. */
    protected abstract List<Summary.Row> summaryRows();

    /** The per-sample output shape. */
    public abstract Shape outputShape();

    // ---- building ----------------------------------------------------------------------

    /** Makes the weights on this backend from a seed; returns this model. */
    public Model build(Backend on, long seed) {
        if (backend != null) {
            throw new IllegalStateException("model '" + name + "' is already built on " + backend.name());
        }
        this.backend = on;
        buildLayers(on, new Random(seed));
        LOG.info("model {}: {} layers, {} parameters, input {}, output {}, on backend {}", name, layers().size(),
                String.format("%,d", parameterCount()), inputShape, outputShape(), on.name());
        return this;
    }

    /** Sets the loss and the optimizer; returns this model. */
    public Model compile(Loss lossFunction, Optimizer opt) {
        this.loss = lossFunction;
        this.optimizer = opt;
        return this;
    }

    public Backend backend() {
        return requireBuilt();
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** All trainable parameters, in layer order. */
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

    /** Number of parameters, trainable and not, counted from the layer shapes (no need to build). */
    public long parameterCount() {
        return summaryRows().stream().mapToLong(Summary.Row::parameters).sum();
    }

    /** The Keras-like table: layer (type), output shape, parameters, totals. */
    public String summary() {
        return Summary.render(name, summaryRows());
    }

    // ---- training ----------------------------------------------------------------------

    /** Trains on samples with integer class labels. */
    public History fit(float[] x, int[] labels, FitOptions options) {
        return train(x, labels, null, options);
    }

    /** Trains on samples with float targets of the output's shape (binary cross-entropy, MSE). */
    public History fit(float[] x, float[] targets, FitOptions options) {
        return train(x, null, targets, options);
    }

    private History train(float[] x, int[] labels, float[] targets, FitOptions o) {
        requireBuilt();
        if (loss == null || optimizer == null) {
            throw new IllegalStateException("model '" + name + "' is not compiled: call compile(loss, optimizer) first");
        }
        int n = checkData(x, labels, targets, loss);
        int[] order = new int[n];
        int batches = (n + o.batchSize() - 1) / o.batchSize();
        History history = new History();
        LOG.info("training {} on {} samples, {} epochs of {} batches of {}, loss {}, optimizer {}", name, n,
                o.epochs() - o.initialEpoch(), batches, o.batchSize(), loss.name(), optimizer.describe());
        for (int epoch = o.initialEpoch() + 1; epoch <= o.epochs(); epoch++) {
            // Each epoch's order depends only on (seed, epoch), so a resumed run sees the same batches.
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            if (o.shuffle()) {
                shuffle(order, new Random(o.seed() * 1_000_003L + epoch));
            }
            o.listener().onEpochStart(epoch, batches);
            long start = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            for (int b = 0; b < batches; b++) {
                int from = b * o.batchSize();
                int to = Math.min(n, from + o.batchSize());
                Tensor xb = gather(x, order, from, to);
                int[] lb = labels == null ? null : gatherLabels(labels, order, from, to);
                Tensor tb = targets == null ? null : gatherTargets(targets, order, from, to);
                StepResult r = trainStep(xb, lb, tb, epoch, b + 1);
                lossSum += r.loss * (to - from);
                correct += r.correct;
                seen += to - from;
                o.listener().onBatchEnd(epoch, b + 1, lossSum / seen, accuracy(correct, seen, lb != null));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double valLoss = Double.NaN;
            double valAcc = Double.NaN;
            if (o.validationX() != null) {
                Evaluation v = evaluate(o.validationX(), o.validationLabels(), o.batchSize());
                valLoss = v.loss();
                valAcc = v.accuracy();
            }
            EpochStats stats = new EpochStats(epoch, lossSum / n, accuracy(correct, n, labels != null),
                    valLoss, valAcc, seconds, n / seconds);
            history.add(stats);
            LOG.info("epoch {}/{}: loss {} accuracy {} val_loss {} val_accuracy {} ({} s, {} images/s)", epoch, o.epochs(),
                    f(stats.loss()), f(stats.accuracy()), f(valLoss), f(valAcc), String.format("%.1f", seconds),
                    String.format("%.0f", stats.imagesPerSecond()));
            o.listener().onEpochEnd(stats);
        }
        return history;
    }

    private record StepResult(float loss, long correct) {
    }

    private StepResult trainStep(Tensor xb, int[] labels, Tensor targets, int epoch, int batch) {
        Tensor out = forward(xb, true);
        boolean fromLogits = lossReadsLogits();
        Tensor lossInput = fromLogits ? ((SoftmaxOutput) outputLayer()).logits() : out;
        Tensor dOut = workTensor("dOut", lossInput.shape());
        float l = computeLoss(lossInput, labels, targets, dOut);
        if (!Float.isFinite(l)) {
            throw new TrainingDivergedException("loss is " + l + " at epoch " + epoch + ", step " + batch
                    + " (global step " + (optimizer.iterations() + 1) + "): " + locateNonFinite()
                    + "; try a lower learning rate or check the input data");
        }
        backward(dOut, fromLogits);
        optimizer.step(parameters());
        return new StepResult(l, countCorrect(out, labels, targets));
    }

    /** Whether the loss reads the logits below a final softmax (sparse categorical cross-entropy on a softmax output). */
    private boolean lossReadsLogits() {
        return loss instanceof SparseCategoricalCrossEntropy
                && outputLayer() instanceof SoftmaxOutput so && so.endsWithSoftmax();
    }

    private float computeLoss(Tensor lossInput, int[] labels, Tensor targets, Tensor dOut) {
        return labels != null ? loss.compute(backend, lossInput, labels, dOut) : loss.compute(backend, lossInput, targets, dOut);
    }

    // ---- inference ---------------------------------------------------------------------

    /** Mean loss and accuracy over labelled samples, in batches (no training). */
    public Evaluation evaluate(float[] x, int[] labels, int batchSize) {
        return evaluateAny(x, labels, null, batchSize);
    }

    /** Mean loss and binary accuracy over samples with float targets. */
    public Evaluation evaluate(float[] x, float[] targets, int batchSize) {
        return evaluateAny(x, null, targets, batchSize);
    }

    private Evaluation evaluateAny(float[] x, int[] labels, float[] targets, int batchSize) {
        requireBuilt();
        if (loss == null) {
            throw new IllegalStateException("model '" + name + "' is not compiled: evaluate needs its loss");
        }
        int n = checkData(x, labels, targets, loss);
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            Tensor xb = gather(x, null, from, to);
            int[] lb = labels == null ? null : gatherLabels(labels, null, from, to);
            Tensor tb = targets == null ? null : gatherTargets(targets, null, from, to);
            Tensor out = forward(xb, false);
            Tensor lossInput = lossReadsLogits() ? ((SoftmaxOutput) outputLayer()).logits() : out;
            float l = computeLoss(lossInput, lb, tb, null);
            lossSum += (double) l * (to - from);
            correct += countCorrect(out, lb, tb);
        }
        return new Evaluation(lossSum / n, accuracy(correct, n, labels != null), n);
    }

    /** The model's outputs for whole samples of the input shape: n × outputShape().size() values. */
    public float[] predict(float[] x, int batchSize) {
        return predict(x, inputShape, batchSize);
    }

    /**
     * The outputs for samples of another per-sample shape, for fully convolutional models
     * that take images of any size; returns n × (per-sample output size) values.
     */
    public float[] predict(float[] x, Shape sampleShape, int batchSize) {
        requireBuilt();
        int per = sampleShape.size();
        if (x.length == 0 || x.length % per != 0) {
            throw new IllegalArgumentException("predict: x holds " + x.length + " values, not a whole number of samples of shape "
                    + sampleShape + " (" + per + " values each)");
        }
        int n = x.length / per;
        float[] result = null;
        int outPer = 0;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            Shape s = sampleShape.withBatch(to - from);
            Tensor xb = workTensor("x", s);
            float[] host = hostBatch(s.size());
            System.arraycopy(x, from * per, host, 0, s.size());
            backend.write(xb, host);
            Tensor out = forward(xb, false);
            if (result == null) {
                outPer = out.shape().sampleSize();
                result = new float[n * outPer];
            }
            float[] o = out.toArray();
            System.arraycopy(o, 0, result, from * outPer, o.length);
        }
        return result;
    }

    /** The most probable class of each sample (argmax over the output). */
    public int[] predictClasses(float[] x, int batchSize) {
        float[] p = predict(x, batchSize);
        int classes = outputShape().size();
        int[] out = new int[p.length / classes];
        for (int i = 0; i < out.length; i++) {
            out[i] = argmax(p, i * classes, classes);
        }
        return out;
    }

    // ---- saving ------------------------------------------------------------------------

    /** Saves the weights atomically (see {@link TensorFile} for the format). */
    public void save(Path path) throws IOException {
        TensorFile.write(path, metadata(Map.of("kind", "weights")), parameterEntries());
        LOG.info("saved weights of {} to {}", name, path);
    }

    /**
     * Loads weights saved from a model of the same architecture. Every name and shape is
     * checked before any weight is replaced: a mismatched file changes nothing.
     */
    public void load(Path path) throws IOException {
        requireBuilt();
        TensorFile.Contents c = TensorFile.read(path);
        Map<String, Tensor> targets = weightTensors();
        Map<String, TensorFile.Entry> entries = new LinkedHashMap<>(c.tensors());
        entries.keySet().removeIf(k -> k.startsWith("optimizer/"));
        writeChecked(path, entries, targets);
    }

    /** Saves weights, optimizer state and the given metadata (e.g. the epoch) atomically. */
    public void saveCheckpoint(Path path, Map<String, String> extra) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(extra);
        meta.put("kind", "checkpoint");
        meta.put("optimizer", optimizer == null ? "" : optimizer.describe());
        meta.put("iterations", Long.toString(optimizer == null ? 0 : optimizer.iterations()));
        Map<String, TensorFile.Entry> entries = parameterEntries();
        if (optimizer != null) {
            for (Map.Entry<String, Tensor> e : optimizer.state(parameters()).entrySet()) {
                entries.put("optimizer/" + e.getKey(), new TensorFile.Entry(e.getValue().shape(), e.getValue().toArray()));
            }
        }
        TensorFile.write(path, metadata(meta), entries);
    }

    /** Loads a checkpoint: weights, optimizer state and step count; returns its metadata. Nothing changes if it does not fit. */
    public Map<String, String> loadCheckpoint(Path path) throws IOException {
        requireBuilt();
        TensorFile.Contents c = TensorFile.read(path);
        Map<String, Tensor> targets = weightTensors();
        if (optimizer != null) {
            optimizer.state(parameters()).forEach((k, t) -> targets.put("optimizer/" + k, t));
        }
        writeChecked(path, c.tensors(), targets);
        if (optimizer != null) {
            optimizer.setIterations(Long.parseLong(c.metadata().getOrDefault("iterations", "0")));
        }
        return c.metadata();
    }

    private void writeChecked(Path path, Map<String, TensorFile.Entry> entries, Map<String, Tensor> targets) {
        for (Map.Entry<String, Tensor> t : targets.entrySet()) {
            TensorFile.Entry e = entries.get(t.getKey());
            if (e == null) {
                throw new WeightsFileException(path + ": has no tensor '" + t.getKey() + "' that model '" + name
                        + "' needs; the file holds " + entries.keySet());
            }
            if (!e.shape().equals(t.getValue().shape())) {
                throw new WeightsFileException(path + ": tensor '" + t.getKey() + "' has shape " + e.shape()
                        + ", model '" + name + "' expects " + t.getValue().shape());
            }
        }
        for (String k : entries.keySet()) {
            if (!targets.containsKey(k)) {
                throw new WeightsFileException(path + ": tensor '" + k + "' does not belong to model '" + name
                        + "' (a different architecture?)");
            }
        }
        for (Map.Entry<String, Tensor> t : targets.entrySet()) {
            backend.write(t.getValue(), entries.get(t.getKey()).data());
        }
    }

    private Map<String, TensorFile.Entry> parameterEntries() {
        requireBuilt();
        Map<String, TensorFile.Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : weightTensors().entrySet()) {
            entries.put(e.getKey(), new TensorFile.Entry(e.getValue().shape(), e.getValue().toArray()));
        }
        return entries;
    }

    /** What a weights file holds, by name: every parameter, then every state tensor. */
    private Map<String, Tensor> weightTensors() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : parameters()) {
            tensors.put(p.name(), p.value());
        }
        for (Parameter p : state()) {
            tensors.put(p.name(), p.value());
        }
        return tensors;
    }

    private Map<String, String> metadata(Map<String, String> extra) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", name);
        meta.put("input", inputShape.toString());
        meta.put("summary", summary());
        meta.putAll(extra);
        return meta;
    }

    // ---- helpers -----------------------------------------------------------------------

    private int checkData(float[] x, int[] labels, float[] targets, Loss l) {
        int per = inputShape.size();
        if (x == null || x.length == 0 || x.length % per != 0) {
            throw new IllegalArgumentException("x holds " + (x == null ? "null" : x.length + " values")
                    + ", not a whole number of samples of shape " + inputShape + " (" + per + " values each)");
        }
        int n = x.length / per;
        if (l.usesLabels()) {
            if (labels == null || labels.length != n) {
                throw new IllegalArgumentException(l.name() + " needs one class label per sample: " + n + " samples, "
                        + (labels == null ? "no labels" : labels.length + " labels"));
            }
            int classes = outputShape().dim(0);
            dev.jcnn.backend.Checks.labels(l.name(), labels, n, classes);
        } else {
            int outPer = outputShape().size();
            if (targets == null || targets.length != n * outPer) {
                throw new IllegalArgumentException(l.name() + " needs targets of the output's shape " + outputShape()
                        + " per sample: expected " + (long) n * outPer + " values, got "
                        + (targets == null ? "none" : targets.length));
            }
        }
        return n;
    }

    private Tensor gather(float[] x, int[] order, int from, int to) {
        int per = inputShape.size();
        Shape s = inputShape.withBatch(to - from);
        float[] host = hostBatch(s.size());
        for (int i = from; i < to; i++) {
            int src = order == null ? i : order[i];
            System.arraycopy(x, src * per, host, (i - from) * per, per);
        }
        Tensor t = workTensor("x", s);
        backend.write(t, host);
        return t;
    }

    private static int[] gatherLabels(int[] labels, int[] order, int from, int to) {
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = labels[order == null ? i : order[i]];
        }
        return out;
    }

    private Tensor gatherTargets(float[] targets, int[] order, int from, int to) {
        int per = outputShape().size();
        Shape s = outputShape().withBatch(to - from);
        float[] host = new float[s.size()];
        for (int i = from; i < to; i++) {
            int src = order == null ? i : order[i];
            System.arraycopy(targets, src * per, host, (i - from) * per, per);
        }
        Tensor t = workTensor("t", s);
        backend.write(t, host);
        return t;
    }

    private long countCorrect(Tensor out, int[] labels, Tensor targets) {
        if (labels != null && out.shape().rank() == 2) {
            float[] p = out.toArray();
            int classes = out.shape().dim(1);
            long c = 0;
            for (int i = 0; i < labels.length; i++) {
                if (argmax(p, i * classes, classes) == labels[i]) {
                    c++;
                }
            }
            return c;
        }
        if (targets != null && loss instanceof BinaryCrossEntropy) {
            float[] p = out.toArray();
            float[] t = targets.toArray();
            long c = 0;
            for (int i = 0; i < p.length; i++) {
                if ((p[i] > 0) == (t[i] > 0.5f)) {
                    c++;
                }
            }
            return c;
        }
        return 0;
    }

    /** Accuracy: per sample for labels, per element for binary targets, NaN otherwise. */
    private double accuracy(long correct, long samples, boolean labels) {
        if (labels) {
            return (double) correct / samples;
        }
        if (loss instanceof BinaryCrossEntropy) {
            return (double) correct / (samples * outputShape().size());
        }
        return Double.NaN;
    }

    static int argmax(float[] v, int offset, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[offset + j] > v[offset + best]) {
                best = j;
            }
        }
        return best;
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private Tensor workTensor(String key, Shape shape) {
        Tensor t = work.get(key);
        if (t == null || !t.shape().equals(shape)) {
            if (t != null) {
                t.close();
            }
            t = backend.allocate(shape);
            work.put(key, t);
        }
        return t;
    }

    private float[] hostBatch(int size) {
        return hostBatches.computeIfAbsent(size, float[]::new);
    }

    private Backend requireBuilt() {
        if (backend == null) {
            throw new IllegalStateException("model '" + name + "' is not built: call build(backend, seed) first");
        }
        return backend;
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.4f", v);
    }

    /** Frees every tensor the model, its layers and its optimizer hold (not the backend). */
    @Override
    public void close() {
        work.values().forEach(Tensor::close);
        work.clear();
        for (Layer l : layers()) {
            l.close();
        }
        if (optimizer != null) {
            optimizer.close();
        }
        backend = null;
    }
}
