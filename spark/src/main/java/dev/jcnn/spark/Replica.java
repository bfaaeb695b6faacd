package dev.jcnn.spark;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Backends;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.Parameter;
import dev.jcnn.model.Model;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.Accuracy;
import dev.jcnn.train.Loss;
import dev.jcnn.train.LossBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.TaskContext;

/**
 * A copy of the driver's model on an executor, on its own backend, which computes the
 * gradient of one slice of a partition without applying it. Replicas are cached per executor
 * JVM and lent to one task at a time, so that a step builds nothing: two tasks running at once
 * in one JVM (local[2], or an executor with two cores) take two replicas.
 */
final class Replica implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(Replica.class);

    /** The idle replicas of the trainer whose tasks this JVM runs now, by trainer id. */
    private static final Map<String, ConcurrentLinkedDeque<Replica>> IDLE = new ConcurrentHashMap<>();

    private final Backend backend;
    /** The GPU this replica's backend runs on (0 for the CPU backend): Spark's task resources. */
    private final int device;
    private final Model model;
    private final Loss loss;
    private final LossBinding binding;
    private final List<Parameter> parameters;
    private final List<Parameter> state;
    private Tensor x;
    private Tensor dLoss;

    private Replica(ReplicaRecipe recipe, BackendOptions options) {
        this.backend = Backends.create(recipe.backend(), options);
        this.device = options.device();
        this.model = recipe.architecture().get();
        model.build(backend, recipe.seed());
        this.loss = recipe.loss().get();
        this.binding = LossBinding.of(model.name(), loss, model.outputHead());
        this.parameters = model.parameters();
        this.state = model.state();
    }

    /**
     * A replica for this trainer: an idle one of this JVM, or a new one. The replicas of an
     * earlier trainer are closed first: one trainer at a time uses an executor.
     */
    static Replica borrow(ReplicaRecipe recipe) {
        for (String other : List.copyOf(IDLE.keySet())) {
            if (!other.equals(recipe.trainerId())) {
                ConcurrentLinkedDeque<Replica> stale = IDLE.remove(other);
                if (stale != null) {
                    stale.forEach(Replica::close);
                }
            }
        }
        BackendOptions options = ExecutorDevice.options(TaskContext.get());
        Replica r = idleOn(IDLE.computeIfAbsent(recipe.trainerId(), k -> new ConcurrentLinkedDeque<>()),
                options.device());
        if (r == null) {
            r = new Replica(recipe, options);
            LOG.info("replica of model '{}' for trainer {} built on backend {} (device {})", r.model.name(),
                    recipe.trainerId(), r.backend.name(), r.device);
        }
        return r;
    }

    /** An idle replica on this device, taken from the idle ones; null when there is none. */
    private static Replica idleOn(ConcurrentLinkedDeque<Replica> idle, int device) {
        for (Replica r : idle) {
            // another task may take the same one at once: only the one that removes it has it
            if (r.device == device && idle.removeFirstOccurrence(r)) {
                return r;
            }
        }
        return null;
    }

    /** Returns a replica to its trainer's idle ones (or closes it when that trainer is gone from this JVM). */
    static void giveBack(ReplicaRecipe recipe, Replica r) {
        ConcurrentLinkedDeque<Replica> idle = IDLE.get(recipe.trainerId());
        if (idle == null) {
            r.close();
        } else {
            idle.addFirst(r);
        }
    }

    /** Closes the idle replicas of this trainer in this JVM. */
    static void release(String trainerId) {
        ConcurrentLinkedDeque<Replica> idle = IDLE.remove(trainerId);
        if (idle != null) {
            idle.forEach(Replica::close);
        }
    }

    /** How many values {@link #gradients} sends: every parameter's gradient, then every state value. */
    static int vectorSize(List<Parameter> parameters, List<Parameter> state) {
        long n = 0;
        for (Parameter p : parameters) {
            n += p.value().shape().size();
        }
        for (Parameter p : state) {
            n += p.value().shape().size();
        }
        return Math.toIntExact(n);
    }

    /**
     * Loads the weights, runs forward and backward over the samples at order[from, to) of the
     * block, and returns their gradient and state times the sample count.
     */
    GradientSum gradients(float[] weights, PartitionBlock block, int[] order, int from, int to) {
        long start = System.nanoTime();
        int expected = vectorSize(parameters, state);
        if (weights.length != expected) {
            throw new IllegalStateException("the driver sent " + weights.length + " weights, but the replica of model '"
                    + model.name() + "' has " + expected + ": the architecture made a different model here");
        }
        load(weights);
        int n = to - from;
        int size = block.sampleSize;
        float[] images = new float[n * size];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int s = order[from + i];
            System.arraycopy(block.values, s * size, images, i * size, size);
            labels[i] = block.labels[s];
        }
        int[] dims = model.inputShape().dims();
        int[] batchDims = new int[dims.length + 1];
        batchDims[0] = n;
        System.arraycopy(dims, 0, batchDims, 1, dims.length);
        x = fit(x, Shape.of(batchDims));
        backend.write(x, images);
        Tensor out = model.forward(x, true);
        Tensor lossInput = binding.readsLogits() ? model.logits() : out;
        dLoss = fit(dLoss, lossInput.shape());
        float l = loss.compute(backend, lossInput, labels, dLoss);
        model.backward(dLoss, binding.readsLogits());
        GradientSum sum = new GradientSum();
        sum.weighted = new float[expected];
        int at = 0;
        float[] buffer = new float[0];
        for (Parameter p : parameters) {
            buffer = readInto(p.grad(), buffer);
            int len = p.grad().shape().size();
            for (int i = 0; i < len; i++) {
                sum.weighted[at + i] = buffer[i] * n;
            }
            at += len;
        }
        for (Parameter p : state) {
            buffer = readInto(p.value(), buffer);
            int len = p.value().shape().size();
            for (int i = 0; i < len; i++) {
                sum.weighted[at + i] = buffer[i] * n;
            }
            at += len;
        }
        float[] scores = out.toArray();
        int classes = scores.length / n;
        for (int i = 0; i < n; i++) {
            if (Accuracy.argmax(scores, i * classes, classes) == labels[i]) {
                sum.correct++;
            }
        }
        sum.samples = n;
        sum.lossSum = (double) l * n;
        sum.tasks = 1;
        sum.maxComputeNanos = System.nanoTime() - start;
        return sum;
    }

    private void load(float[] weights) {
        int at = 0;
        float[] buffer = new float[0];
        List<Parameter> all = new ArrayList<>(parameters);
        all.addAll(state);
        for (Parameter p : all) {
            int len = p.value().shape().size();
            if (buffer.length != len) {
                buffer = new float[len];
            }
            System.arraycopy(weights, at, buffer, 0, len);
            backend.write(p.value(), buffer);
            at += len;
        }
    }

    private float[] readInto(Tensor t, float[] buffer) {
        int len = t.shape().size();
        float[] b = buffer.length == len ? buffer : new float[len];
        backend.read(t, b);
        return b;
    }

    private Tensor fit(Tensor t, Shape shape) {
        if (t != null && t.shape().equals(shape)) {
            return t;
        }
        if (t != null) {
            t.close();
        }
        return backend.allocate(shape);
    }

    @Override
    public void close() {
        if (x != null) {
            x.close();
        }
        if (dLoss != null) {
            dLoss.close();
        }
        model.close();
        backend.close();
    }
}
