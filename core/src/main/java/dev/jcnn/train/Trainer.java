package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.data.Batch;
import dev.jcnn.data.BatchLoader;
import dev.jcnn.data.Batches;
import dev.jcnn.data.Dataset;
import dev.jcnn.data.SampleSource;
import dev.jcnn.data.Targets;
import dev.jcnn.io.NamedTensors;
import dev.jcnn.layers.Parameter;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs fit, evaluate and predict for a model with a loss and an optimizer, as Keras' Trainer
 * does for its Model. Data come from a {@link SampleSource}, read in {@link Batches} as they
 * are needed, so no set is ever gathered in one array. The loss is paired with the model's
 * output once, here ({@link LossBinding}): a disagreement fails at construction, with what to
 * change.
 *
 * <p>Before the first batch, the source's sample shape is checked against the model's input
 * and its targets against the loss and the model's output, so that images with the wrong
 * number of channels are named as such.
 *
 * <p>A trainer serves one thread at a time, as its model does ({@link Trainable#exclusive}
 * refuses a second thread's call); predictions from many threads go through a model's
 * {@code predictor()}.
 */
public final class Trainer implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(Trainer.class);

    private final Trainable model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final LossBinding binding;
    private final Map<String, Tensor> work = new HashMap<>();
    /** Host buffers for the finite checks, by parameter name, reused from step to step. */
    private final Map<String, float[]> hostCopies = new HashMap<>();

    /**
     * A trainer of this model with this loss and optimizer. Without an optimizer it only
     * evaluates and predicts; without a loss it only predicts, the output as it is.
     *
     * @throws IllegalArgumentException when the loss cannot read the model's output (see {@link LossBinding})
     */
    public Trainer(Trainable model, Loss loss, Optimizer optimizer) {
        if (model == null) {
            throw new IllegalArgumentException("a trainer needs a model, got null");
        }
        if (loss != null && loss.targets() == Targets.NONE) {
            throw new IllegalArgumentException(loss.name() + ": a loss trains against class labels or tensors, not "
                    + loss.targets());
        }
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.binding = loss == null ? LossBinding.none() : LossBinding.of(model.name(), loss, model.outputHead());
    }

    public Loss loss() {
        return loss;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** How the loss reads the model's output and what predictions apply to it. */
    public LossBinding binding() {
        return binding;
    }

    // ---- fit ---------------------------------------------------------------------------

    /**
     * Trains on the samples for the options' epochs; returns each epoch's figures.
     *
     * @throws IllegalStateException when another thread is using the model, or predictions read its weights
     */
    public History fit(SampleSource data, FitOptions o) {
        return model.exclusive("fit", true, () -> fitExclusively(data, o));
    }

    private History fitExclusively(SampleSource data, FitOptions o) {
        if (loss == null || optimizer == null) {
            throw new IllegalStateException("model '" + model.name() + "' is not compiled: call compile(loss, optimizer)"
                    + " first");
        }
        check("fit", data, true);
        SampleSource validation = o.validation(model.inputShape());
        if (validation != null) {
            check("fit: the validation data", validation, true);
        }
        Batches batches = new Batches(data, o.batchSize());
        if (o.shuffle()) {
            batches = batches.shuffled(o.seed());
        }
        batches = batches.augmented(o.augmentation(), o.seed());
        int n = data.size();
        Metric metric = loss.metric();
        History history = new History();
        LOG.info("training {} on {} samples, {} epochs of {} batches of {}, loss {}, optimizer {}, augmentation {},"
                + " {} loader threads", model.name(), n, o.epochs() - o.initialEpoch(), batches.count(), o.batchSize(),
                loss.name(), optimizer.describe(), o.augmentation(), o.loaderThreads());
        long waitNanos = 0;
        long stepNanos = 0;
        DivergenceGuard guard = new DivergenceGuard(model.name(), o.warnFactor(), o.stopFactor());
        long lastChecked = optimizer.iterations();
        Control control = new Control();
        LearningRateSchedule schedule = o.schedule();
        if (schedule != null) {
            LOG.info("learning-rate schedule {}", schedule.describe());
        }
        o.listener().onFitStart(control);
        for (int epoch = o.initialEpoch() + 1; epoch <= o.epochs() && !control.stopRequested(); epoch++) {
            if (schedule != null && schedule.unit() == LearningRateSchedule.Unit.EPOCH) {
                optimizer.setLearningRate(schedule.learningRate(epoch - 1L));
            }
            o.listener().onEpochStart(epoch, batches.count());
            long start = System.nanoTime();
            double lossSum = 0;
            Metric.Accumulator score = metric.accumulator();
            long seen = 0;
            int step = 0;
            try (BatchLoader loader = BatchLoader.of(batches, epoch, o.loaderThreads(), o.prefetchDepth())) {
                while (!control.stopRequested() && loader.hasNext()) {
                    Batch batch = loader.next();
                    step++;
                    if (schedule != null && schedule.unit() == LearningRateSchedule.Unit.STEP) {
                        optimizer.setLearningRate(schedule.learningRate(optimizer.iterations()));
                    }
                    Step r = trainStep(batch, epoch, step, o.clipNorm());
                    long global = optimizer.iterations();
                    guard.observe(r.loss(), where(epoch, step, global));
                    if (o.finiteCheckEvery() > 0 && global % o.finiteCheckEvery() == 0) {
                        checkFinite(false, epoch, step, lastChecked);
                        lastChecked = global;
                    }
                    lossSum += r.loss() * batch.size();
                    if (metric != Metric.NONE) {
                        score.add(predictions(r.output()), r.output().shape(), batch.labels(), batch.targets());
                    }
                    seen += batch.size();
                    o.listener().onBatchEnd(epoch, step, lossSum / seen, metric == Metric.NONE ? Double.NaN
                            : score.value());
                }
                waitNanos += loader.waitNanos();
            }
            if (seen == 0) {
                break; // stopped before the epoch's first step: there is nothing to report for it
            }
            stepNanos += System.nanoTime() - start;
            // whatever the interval, nothing non-finite reaches the epoch's listeners (a checkpoint)
            checkFinite(true, epoch, step, lastChecked);
            lastChecked = optimizer.iterations();
            double seconds = (System.nanoTime() - start) / 1e9;
            double valLoss = Double.NaN;
            double valMetric = Double.NaN;
            if (validation != null) {
                Evaluation v = evaluateChecked(validation, o.batchSize(), List.of());
                valLoss = v.loss();
                valMetric = v.accuracy();
            }
            double trained = metric == Metric.NONE ? Double.NaN : score.value();
            EpochStats stats = new EpochStats(epoch, lossSum / seen, trained, valLoss, valMetric, seconds,
                    seen / seconds);
            history.add(stats);
            String m = metric == Metric.NONE ? "" : " " + metric.name() + " " + f(stats.accuracy());
            String vm = metric == Metric.NONE ? "" : " val_" + metric.name() + " " + f(valMetric);
            LOG.info("epoch {}/{}: loss {}{} val_loss {}{} ({} s, {} images/s)", epoch, o.epochs(), f(stats.loss()), m,
                    f(valLoss), vm, String.format("%.1f", seconds), String.format("%.0f", stats.imagesPerSecond()));
            o.listener().onEpochEnd(stats);
        }
        if (control.stopRequested()) {
            history.stopped(control.reason);
            LOG.info("training stopped after {} epochs: {}", history.epochs().size(), control.reason);
        }
        o.listener().onFitEnd(history);
        if (stepNanos > 0) {
            LOG.info("input pipeline: {}% of step time ({} s waiting for batches in {} s of training steps, {} loader"
                    + " threads, augmentation {})", String.format("%.1f", 100.0 * waitNanos / stepNanos),
                    String.format("%.2f", waitNanos / 1e9), String.format("%.2f", stepNanos / 1e9), o.loaderThreads(),
                    o.augmentation());
        }
        return history;
    }

    /** The control handed to the listeners: the first stop request wins. */
    private final class Control implements TrainingControl {
        private String reason;

        @Override
        public Trainable model() {
            return model;
        }

        @Override
        public Optimizer optimizer() {
            return optimizer;
        }

        @Override
        public void stop(String why) {
            if (reason == null) {
                reason = why == null || why.isBlank() ? "a listener asked to stop" : why;
            }
        }

        @Override
        public boolean stopRequested() {
            return reason != null;
        }
    }

    /** A step's loss and the model's output buffer (valid until the next forward pass). */
    private record Step(float loss, Tensor output) {
    }

    private Step trainStep(Batch batch, int epoch, int step, float clipNorm) {
        Tensor out = model.forward(input(batch), true);
        Tensor lossInput = binding.readsLogits() ? model.logits() : out;
        Tensor dLoss = work("dLoss", lossInput.shape());
        float l = computeLoss(lossInput, batch, dLoss);
        if (!Float.isFinite(l)) {
            throw new TrainingDivergedException("loss is " + l + " at " + where(epoch, step, optimizer.iterations() + 1)
                    + ": " + model.locateNonFinite()
                    + "; try a lower learning rate or check the input data");
        }
        model.backward(dLoss, binding.readsLogits());
        if (clipNorm > 0) {
            GradientClipping.clipByGlobalNorm(model.parameters(), clipNorm);
        }
        optimizer.step(model.parameters());
        return new Step(l, out);
    }

    private static String where(int epoch, int step, long global) {
        return "epoch " + epoch + ", step " + step + " (global step " + global + ")";
    }

    /**
     * Stops training at the first non-finite parameter (and, with the optimizer's state, at an
     * epoch's end), naming the step, the layer and whether its gradient was non-finite too.
     * One host read of the parameters: the cost FitOptions.finiteCheckEvery describes.
     */
    private void checkFinite(boolean withOptimizerState, int epoch, int step, long lastChecked) {
        long global = optimizer.iterations();
        String since = global - lastChecked > 1 ? " (unchecked since global step " + lastChecked + ")" : "";
        for (Parameter p : model.parameters()) {
            float[] v = hostCopy(p.name(), p.value());
            int at = NamedTensors.firstNonFinite(v);
            if (at >= 0) {
                float[] g = p.grad() == null ? new float[0] : p.grad().toArray();
                int gAt = NamedTensors.firstNonFinite(g);
                String grad = gAt >= 0 ? "its gradient is non-finite too, first " + g[gAt] + " at index " + gAt
                        : "its gradient is finite: the update overflowed, or the value was non-finite before";
                throw new TrainingDivergedException("parameter '" + p.name() + "' of layer '" + layerOf(p)
                        + "' is non-finite after " + where(epoch, step, global) + since + ": " + v[at] + " at index " + at
                        + "; " + grad + "; try a lower learning rate or check the input data");
            }
        }
        if (withOptimizerState) {
            for (Map.Entry<String, Tensor> e : optimizer.state(model.parameters()).entrySet()) {
                float[] v = e.getValue().toArray();
                int at = NamedTensors.firstNonFinite(v);
                if (at >= 0) {
                    throw new TrainingDivergedException("the optimizer's state '" + e.getKey() + "' is non-finite after "
                            + where(epoch, step, global) + ": " + v[at] + " at index " + at
                            + " (a gradient overflowed); try a lower learning rate or check the input data");
                }
            }
        }
    }

    private float[] hostCopy(String key, Tensor t) {
        float[] buffer = hostCopies.get(key);
        if (buffer == null || buffer.length != t.shape().size()) {
            buffer = new float[t.shape().size()];
            hostCopies.put(key, buffer);
        }
        model.backend().read(t, buffer);
        return buffer;
    }

    /** The layer a parameter belongs to: its name is "layer/param". */
    private static String layerOf(Parameter p) {
        int slash = p.name().lastIndexOf('/');
        return slash < 0 ? p.name() : p.name().substring(0, slash);
    }

    private float computeLoss(Tensor lossInput, Batch batch, Tensor dLoss) {
        Backend b = model.backend();
        return switch (loss.targets()) {
            case CLASS_LABELS -> loss.compute(b, lossInput, batch.labels(), dLoss);
            case TENSORS -> loss.compute(b, lossInput, upload("targets", batch.targetShape(), batch.targets()), dLoss);
            case NONE -> throw new IllegalStateException(loss.name() + " trains against nothing");
        };
    }

    // ---- evaluate and predict ----------------------------------------------------------

    /** Mean loss and the loss's metric over the samples, in batches, without training. */
    public Evaluation evaluate(SampleSource data, int batchSize) {
        return evaluate(data, batchSize, List.of());
    }

    /**
     * Mean loss, the loss's metric and these further metrics (top-k accuracy, per-class
     * precision and recall, mean IoU, ...) over the samples, in one pass without training;
     * the metrics see the predictions ({@link LossBinding#predictions}) and are found in
     * {@link Evaluation#metrics} by their names.
     *
     * @throws IllegalArgumentException when two metrics have one name
     */
    public Evaluation evaluate(SampleSource data, int batchSize, List<? extends Metric> metrics) {
        if (loss == null) {
            throw new IllegalStateException("model '" + model.name() + "' is not compiled: evaluate needs its loss");
        }
        List<String> names = new ArrayList<>();
        for (Metric m : metrics) {
            if (names.contains(m.name())) {
                throw new IllegalArgumentException("evaluate: two metrics are named '" + m.name() + "'; names must differ");
            }
            names.add(m.name());
        }
        return model.exclusive("evaluate", false, () -> {
            check("evaluate", data, true);
            return evaluateChecked(data, batchSize, metrics);
        });
    }

    private Evaluation evaluateChecked(SampleSource data, int batchSize, List<? extends Metric> extra) {
        Metric metric = loss.metric();
        double lossSum = 0;
        Metric.Accumulator score = metric.accumulator();
        List<Metric.Accumulator> others = new ArrayList<>();
        extra.forEach(m -> others.add(m.accumulator()));
        for (Batch batch : new Batches(data, batchSize)) {
            Tensor out = model.forward(input(batch), false);
            Tensor lossInput = binding.readsLogits() ? model.logits() : out;
            float l = computeLoss(lossInput, batch, null);
            lossSum += (double) l * batch.size();
            if (metric != Metric.NONE || !others.isEmpty()) {
                float[] p = predictions(out);
                if (metric != Metric.NONE) {
                    score.add(p, out.shape(), batch.labels(), batch.targets());
                }
                others.forEach(a -> a.add(p, out.shape(), batch.labels(), batch.targets()));
            }
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        for (int i = 0; i < extra.size(); i++) {
            figures.put(extra.get(i).name(), others.get(i).value());
        }
        return new Evaluation(lossSum / data.size(), metric == Metric.NONE ? Double.NaN : score.value(), data.size(),
                figures);
    }

    /**
     * The predictions for the samples, handed to the sink batch by batch: probabilities for a
     * classifier (the loss's link applied to an output of logits), else the output as it is.
     */
    public void predict(SampleSource data, int batchSize, PredictionSink sink) {
        model.exclusive("predict", false, () -> {
            check("predict", data, false);
            int first = 0;
            for (Batch batch : new Batches(data, batchSize)) {
                Tensor out = model.forward(input(batch), false);
                sink.accept(first, out.shape(), predictions(out));
                first += batch.size();
            }
            return null;
        });
    }

    /**
     * The predictions for the samples in one array: size() × the per-sample output size.
     *
     * @throws IllegalArgumentException when they are more than one array holds (use the sink)
     */
    public float[] predict(SampleSource data, int batchSize) {
        Shape out = check("predict", data, false);
        long total = (long) data.size() * out.size();
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("predict: " + data.size() + " samples give " + total + " values of shape "
                    + out + " each, more than one array holds; pass a PredictionSink to take them batch by batch");
        }
        float[] all = new float[(int) total];
        predict(data, batchSize, (first, shape, p) -> System.arraycopy(p, 0, all, first * out.size(), p.length));
        return all;
    }

    /** The most probable class of each sample (argmax over a flat output of class scores). */
    public int[] predictClasses(SampleSource data, int batchSize) {
        int[] classes = new int[data.size()];
        predict(data, batchSize, (first, shape, p) -> {
            if (shape.rank() != 2) {
                throw new IllegalArgumentException("predictClasses: needs one score per class, but model '" + model.name()
                        + "' outputs " + shape.withoutBatch() + " per sample");
            }
            int c = shape.dim(1);
            for (int i = 0; i < shape.dim(0); i++) {
                classes[first + i] = Accuracy.argmax(p, i * c, c);
            }
        });
        return classes;
    }

    // ---- checks ------------------------------------------------------------------------

    /**
     * Checks the source against the model (and, when targets are needed, against the loss)
     * before any batch is read; returns the per-sample output shape for its samples.
     */
    private Shape check(String what, SampleSource data, boolean needsTargets) {
        model.backend();
        if (data == null || data.size() == 0) {
            throw new IllegalArgumentException(what + ": no samples" + (data == null ? " (null)" : ""));
        }
        Shape out = outputShapeFor(what, data.sampleShape());
        if (needsTargets) {
            checkTargets(what, data, out);
        }
        return out;
    }

    private Shape outputShapeFor(String what, Shape sample) {
        Shape in = model.inputShape();
        String mismatch = what + ": the data's samples have shape " + sample + ", but model '" + model.name()
                + "' takes " + in;
        if (sample.rank() != in.rank()) {
            throw new IllegalArgumentException(mismatch);
        }
        if (sample.dim(0) != in.dim(0)) {
            throw new IllegalArgumentException(mismatch + ": " + sample.dim(0) + (in.rank() > 1 ? " channels" : " features")
                    + " where it takes " + in.dim(0));
        }
        try {
            return model.outputShape(sample);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(mismatch + " and cannot take other sizes: " + e.getMessage(), e);
        }
    }

    private void checkTargets(String what, SampleSource data, Shape out) {
        Targets wanted = loss.targets();
        if (data.targets() != wanted) {
            throw new IllegalArgumentException(what + ": " + loss.name() + " trains against " + describe(wanted, out)
                    + ", but the data's targets are " + describe(data.targets(), data.targetShape()));
        }
        if (wanted == Targets.TENSORS) {
            Shape wantedShape = loss.targetShape(out);
            if (!data.targetShape().equals(wantedShape)) {
                String whose = wantedShape.equals(out) ? "the output's shape " : "shape ";
                throw new IllegalArgumentException(what + ": " + loss.name() + " needs targets of " + whose + wantedShape
                        + " per sample, but the data's targets are " + data.targetShape());
            }
            return;
        }
        if (out.rank() != 1) {
            throw new IllegalArgumentException(what + ": " + loss.name() + " needs one score per class, but model '"
                    + model.name() + "' outputs " + out + " per sample; end it in GlobalAveragePooling2D or Flatten");
        }
        int classes = out.dim(0);
        if (data instanceof Dataset d && d.classes() > classes) {
            throw new IllegalArgumentException(what + ": the data has " + d.classes() + " classes, but model '"
                    + model.name() + "' scores " + classes);
        }
        for (int i = 0; i < data.size(); i++) {
            int label = data.label(i);
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException(loss.name() + ": label " + label + " of sample " + i
                        + " is out of range, expected 0 to " + (classes - 1));
            }
        }
    }

    private static String describe(Targets t, Shape shape) {
        return switch (t) {
            case CLASS_LABELS -> "class labels";
            case TENSORS -> "tensors of shape " + shape;
            case NONE -> "missing";
        };
    }

    // ---- tensors -----------------------------------------------------------------------

    private Tensor input(Batch batch) {
        return upload("x", batch.shape(), batch.images());
    }

    private Tensor upload(String key, Shape shape, float[] values) {
        Tensor t = work(key, shape);
        model.backend().write(t, values);
        return t;
    }

    /** A working tensor of this shape, reused while the shape stays the same. */
    /** The predictions of a batch's output as host values (see {@link LossBinding#predictions}). */
    private float[] predictions(Tensor output) {
        return binding.predictions(output, shape -> work("predictions", shape)).toArray();
    }

    private Tensor work(String key, Shape shape) {
        Tensor t = work.get(key);
        if (t == null || !t.shape().equals(shape)) {
            if (t != null) {
                t.close();
            }
            t = model.backend().allocate(shape);
            work.put(key, t);
        }
        return t;
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.4f", v);
    }

    /** Frees the trainer's working tensors; the optimizer stays its owner's to close. */
    @Override
    public void close() {
        work.values().forEach(Tensor::close);
        work.clear();
        hostCopies.clear();
    }
}
