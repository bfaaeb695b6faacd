package dev.jcnn.spark;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Backends;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.Parameter;
import dev.jcnn.model.Model;
import dev.jcnn.train.Loss;
import dev.jcnn.train.Optimizer;
import dev.jcnn.train.TrainingDivergedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Synchronous data-parallel training of a jcnn model on Apache Spark. The driver holds the
 * model and its optimizer; every step is one Spark job over the cached partitions of the
 * samples: the weights go out as a broadcast, each task computes the gradient of its
 * partition's slice of the step on a replica cached in its executor, and
 * {@code treeAggregate} sums the gradients, each weighted by its slice's size, back to the
 * driver, which divides by the global batch and applies one optimizer step. N partitions of
 * batch B thus take the step one worker would take with batch N·B, up to the order of float
 * sums: the tests compare the weights with {@code Model.fit}'s.
 *
 * <p>Non-trainable state (BatchNormalization's running mean and variance) is averaged over
 * the tasks, weighted the same way. Batch statistics are not: each task normalizes its slice
 * with the slice's own mean and variance, so a model with BatchNormalization trains as with
 * batch B per normalization, not N·B (as PyTorch's DistributedDataParallel without SyncBatchNorm).
 *
 * <p>A failed task is retried by Spark (spark.task.maxFailures) with the same broadcast
 * weights and the same slice, so it returns the same gradient: a retry changes nothing.
 *
 * <p>One trainer at a time per Spark application: an executor keeps the replicas of the
 * trainer whose tasks it ran last. A trainer serves one thread.
 */
public final class SparkTrainer implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(SparkTrainer.class);
    /** The checkpoint's metadata key of the last epoch done. */
    private static final String EPOCH_KEY = "spark.epoch";

    private final JavaSparkContext sc;
    private final ReplicaRecipe recipe;
    private final Backend driverBackend;
    private final Model model;
    private final Optimizer optimizer;

    /**
     * A trainer of the model the architecture makes, built on the named backend ("cpu", "cuda",
     * "best") from the seed on the driver and in every executor, with this loss and optimizer.
     * The architecture and the loss are shipped to the executors, so they must make the same
     * model and loss there (a lambda such as {@code () -> ModelZoo.create("lenet5")}).
     */
    public SparkTrainer(JavaSparkContext sc, SerializableSupplier<Model> architecture, SerializableSupplier<Loss> loss,
            Optimizer optimizer, String backend, long seed) {
        if (sc == null || architecture == null || loss == null || optimizer == null || backend == null) {
            throw new IllegalArgumentException("SparkTrainer needs a Spark context, an architecture, a loss, an optimizer"
                    + " and a backend name; got " + (sc == null ? "no context" : architecture == null ? "no architecture"
                    : loss == null ? "no loss" : optimizer == null ? "no optimizer" : "no backend"));
        }
        this.sc = sc;
        this.recipe = new ReplicaRecipe(UUID.randomUUID().toString(), architecture, loss, backend, seed);
        this.driverBackend = Backends.create(backend);
        this.model = architecture.get();
        model.build(driverBackend, seed);
        model.compile(loss.get(), optimizer);
        this.optimizer = optimizer;
    }

    /** The driver's model: trained in place by {@link #fit}; load weights into it to start from them. */
    public Model model() {
        return model;
    }

    /**
     * Trains on the samples, one partition per worker: each step takes the next
     * {@code batchPerWorker} samples of every partition (fewer from a partition near its end,
     * none from one already through), so an epoch has as many steps as the largest partition
     * needs and every sample is used once.
     *
     * @throws IllegalArgumentException  when the samples do not fit the model (size, labels)
     * @throws TrainingDivergedException when a step's loss is not finite
     */
    public List<SparkEpoch> fit(JavaRDD<Sample> samples, SparkFitOptions options) {
        try {
            return fit(samples, options, null);
        } catch (IOException e) {
            throw new UncheckedIOException("no checkpoint is read or written here", e);
        }
    }

    /**
     * The same, with a checkpoint that the driver writes atomically after every epoch (the
     * weights, the optimizer's state and the epoch): when the file exists already, training
     * resumes after the epoch it holds, and takes the steps an uninterrupted run would have
     * taken. A failed task is Spark's to retry; a failed driver is rerun with the same checkpoint.
     * Returns the epochs trained by this call.
     *
     * @param checkpoint the checkpoint file, or null for none
     * @throws IOException when the checkpoint cannot be read or written, or does not fit the model
     */
    public List<SparkEpoch> fit(JavaRDD<Sample> samples, SparkFitOptions options, Path checkpoint) throws IOException {
        int done = 0;
        if (checkpoint != null && Files.exists(checkpoint)) {
            String epoch = model.loadCheckpoint(checkpoint).get(EPOCH_KEY);
            if (epoch == null) {
                throw new IOException(checkpoint + ": a checkpoint of SparkTrainer records its epoch under '" + EPOCH_KEY
                        + "', this one does not");
            }
            done = Integer.parseInt(epoch);
            LOG.info("resuming model {} from {}: {} epochs done, optimizer at step {}", model.name(), checkpoint, done,
                    optimizer.iterations());
        }
        JavaRDD<PartitionBlock> blocks = samples.mapPartitionsWithIndex(
                (p, it) -> List.of(PartitionBlock.of(p, it)).iterator(), true);
        blocks.persist(StorageLevel.MEMORY_ONLY());
        try {
            int[] counts = check(blocks);
            int largest = 0;
            for (int c : counts) {
                largest = Math.max(largest, c);
            }
            int steps = (largest + options.batchPerWorker() - 1) / options.batchPerWorker();
            LOG.info("training {} on Spark: {} partitions ({} samples), epochs {} to {} of {} steps of {} per partition,"
                    + " optimizer {}", model.name(), counts.length, sum(counts), done + 1, options.epochs(), steps,
                    options.batchPerWorker(), optimizer.describe());
            List<SparkEpoch> epochs = new ArrayList<>();
            for (int e = done + 1; e <= options.epochs(); e++) {
                epochs.add(epoch(blocks, e, steps, options));
                if (checkpoint != null) {
                    model.saveCheckpoint(checkpoint, Map.of(EPOCH_KEY, Integer.toString(e)));
                }
            }
            return epochs;
        } finally {
            blocks.unpersist(false);
        }
    }

    private SparkEpoch epoch(JavaRDD<PartitionBlock> blocks, int epoch, int steps, SparkFitOptions o) {
        long start = System.nanoTime();
        long stepNanos = 0;
        long computeNanos = 0;
        long applyNanos = 0;
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        for (int step = 0; step < steps; step++) {
            long t0 = System.nanoTime();
            Broadcast<float[]> weights = sc.broadcast(flatWeights());
            GradientSum sum;
            try {
                StepTask task = new StepTask(recipe, weights, epoch, step, o.batchPerWorker(), o.shuffle(), o.seed());
                sum = blocks.treeAggregate(new GradientSum(), task, GradientSum::merge, o.aggregationDepth());
            } finally {
                weights.destroy();
            }
            long t1 = System.nanoTime();
            double stepLoss = sum.lossSum / sum.samples;
            if (!Double.isFinite(stepLoss)) {
                throw new TrainingDivergedException("loss is " + stepLoss + " at epoch " + epoch + ", step " + (step + 1)
                        + " (global step " + (optimizer.iterations() + 1) + ") of the Spark training of model '"
                        + model.name() + "'; try a lower learning rate or check the input data");
            }
            apply(sum);
            long t2 = System.nanoTime();
            stepNanos += t2 - t0;
            computeNanos += sum.maxComputeNanos;
            applyNanos += t2 - t1;
            lossSum += sum.lossSum;
            correct += sum.correct;
            seen += sum.samples;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double ms = 1e6 * steps;
        SparkEpoch r = new SparkEpoch(epoch, steps, seen, lossSum / seen, (double) correct / seen, seconds,
                stepNanos / ms, computeNanos / ms, (stepNanos - computeNanos - applyNanos) / ms, applyNanos / ms);
        LOG.info("epoch {}: loss {} accuracy {} ({} s; a step {} ms: compute {} ms, communication {} ms, apply {} ms)",
                epoch, String.format("%.4f", r.loss()), String.format("%.4f", r.accuracy()),
                String.format("%.1f", seconds), String.format("%.1f", r.stepMillis()),
                String.format("%.1f", r.computeMillis()), String.format("%.1f", r.communicationMillis()),
                String.format("%.2f", r.applyMillis()));
        return r;
    }

    /** Sample counts by partition, after checking the samples' size and labels against the model. */
    private int[] check(JavaRDD<PartitionBlock> blocks) {
        List<int[]> facts = blocks.map(b -> {
            int maxLabel = -1;
            for (int l : b.labels) {
                maxLabel = Math.max(maxLabel, l);
            }
            return new int[] {b.partition, b.count(), b.sampleSize, maxLabel};
        }).collect();
        int[] counts = new int[facts.size()];
        int wanted = model.inputShape().size();
        int classes = model.outputShape().size();
        for (int[] f : facts) {
            if (f[1] > 0 && f[2] != wanted) {
                throw new IllegalArgumentException("SparkTrainer.fit: the samples of partition " + f[0] + " have " + f[2]
                        + " values, but model '" + model.name() + "' takes " + model.inputShape() + " = " + wanted);
            }
            if (f[3] >= classes) {
                throw new IllegalArgumentException("SparkTrainer.fit: partition " + f[0] + " has label " + f[3]
                        + ", but model '" + model.name() + "' scores " + classes + " classes (labels 0 to "
                        + (classes - 1) + ")");
            }
            counts[f[0]] = f[1];
        }
        if (sum(counts) == 0) {
            throw new IllegalArgumentException("SparkTrainer.fit: no samples");
        }
        return counts;
    }

    private static long sum(int[] counts) {
        long n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }

    /** The driver's parameters then state, in one array, as the replicas load them. */
    private float[] flatWeights() {
        List<Parameter> all = new ArrayList<>(model.parameters());
        all.addAll(model.state());
        float[] flat = new float[Replica.vectorSize(model.parameters(), model.state())];
        int at = 0;
        for (Parameter p : all) {
            float[] v = p.value().toArray();
            System.arraycopy(v, 0, flat, at, v.length);
            at += v.length;
        }
        return flat;
    }

    /** Writes the mean gradient into the driver's gradients, steps the optimizer, and takes the mean state. */
    private void apply(GradientSum sum) {
        float scale = 1f / sum.samples;
        int at = 0;
        for (Parameter p : model.parameters()) {
            at = writeMean(p.grad(), sum.weighted, at, scale);
        }
        optimizer.step(model.parameters());
        for (Parameter p : model.state()) {
            at = writeMean(p.value(), sum.weighted, at, scale);
        }
    }

    private int writeMean(Tensor t, float[] weighted, int at, float scale) {
        float[] v = new float[t.shape().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = weighted[at + i] * scale;
        }
        driverBackend.write(t, v);
        return at + v.length;
    }

    /** Closes the driver's model and backend, and this JVM's replicas (an executor's go with the next trainer). */
    @Override
    public void close() {
        Replica.release(recipe.trainerId());
        model.close();
        driverBackend.close();
    }

    /**
     * The task of one step on one partition: the partition's slice of the step, in the
     * epoch's order, through a borrowed replica. Everything it holds is serializable.
     */
    private record StepTask(ReplicaRecipe recipe, Broadcast<float[]> weights, int epoch, int step, int batch,
            boolean shuffle, long seed) implements Function2<GradientSum, PartitionBlock, GradientSum> {

        private static final long serialVersionUID = 1L;

        @Override
        public GradientSum call(GradientSum acc, PartitionBlock block) {
            int from = step * batch;
            if (from >= block.count()) {
                return acc;
            }
            int to = Math.min(from + batch, block.count());
            int[] order = order(block);
            Replica r = Replica.borrow(recipe);
            try {
                return acc.merge(r.gradients(weights.value(), block, order, from, to));
            } finally {
                Replica.giveBack(recipe, r);
            }
        }

        private int[] order(PartitionBlock block) {
            int[] order = new int[block.count()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            if (shuffle) {
                Random random = new Random(seed * 1_000_003L + epoch * 7919L + block.partition);
                for (int i = order.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            return order;
        }
    }
}
