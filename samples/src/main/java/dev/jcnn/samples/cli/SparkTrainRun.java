package dev.jcnn.samples.cli;

import dev.jcnn.backend.Backend;
import dev.jcnn.data.Dataset;
import dev.jcnn.model.Model;
import dev.jcnn.samples.data.FitToShape;
import dev.jcnn.samples.plot.ConfusionMatrix;
import dev.jcnn.samples.plot.RunPlots;
import dev.jcnn.samples.train.Checkpointer;
import dev.jcnn.samples.train.TrainConfig;
import dev.jcnn.spark.Sample;
import dev.jcnn.spark.SampleRdds;
import dev.jcnn.spark.SerializableSupplier;
import dev.jcnn.spark.SparkEpoch;
import dev.jcnn.spark.SparkFitOptions;
import dev.jcnn.spark.SparkTrainer;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.EpochStats;
import dev.jcnn.train.Evaluation;
import dev.jcnn.train.Optimizer;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code train --spark MASTER_URL}: the zoo model trained data-parallel on Spark with
 * {@link SparkTrainer} (docs/spark.md), with the outputs of a run on one machine: the model
 * file, a checkpoint per epoch written by the driver, the plots and the test accuracy line.
 * The global batch is --batch-size, split evenly over the context's default parallelism (one
 * task per executor core: 2 on {@code local[2]}).
 */
final class SparkTrainRun {

    private static final Logger LOG = LogManager.getLogger(SparkTrainRun.class);

    /** The checkpoint's metadata key of the Spark master a run trained on. */
    static final String MASTER = "train.spark";

    /** The train flags a Spark run does not take, each with the reason given when one is. */
    static final Map<String, String> UNSUPPORTED = unsupported();

    private SparkTrainRun() {
    }

    private static Map<String, String> unsupported() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--augment", "the Spark tasks train on the images as they are");
        m.put("--loader-threads", "each Spark task gathers its own batches");
        m.put("--resume", "a Spark run starts from its first epoch");
        m.put("--normalize", "the Spark tasks build the zoo model as it is");
        m.put("--clip-norm", "the driver applies the summed gradient unclipped");
        m.put("--early-stopping", "a Spark run trains every epoch it is given");
        m.put("--threads", "each executor starts its backend with its defaults");
        m.put("--exact", "each executor starts its backend with its defaults");
        m.put("--progress", "a Spark run prints one line per epoch");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Refuses the first flag given that a Spark run does not take, naming it. */
    static void refuseUnsupported(String master, java.util.function.Predicate<String> given) {
        for (String flag : UNSUPPORTED.keySet()) {
            if (given.test(flag)) {
                throw new IllegalArgumentException(flag + " cannot be given with --spark " + master + ": "
                        + UNSUPPORTED.get(flag) + "; drop " + flag + ", or train without --spark");
            }
        }
    }

    /** Trains in the run folder this process holds; returns the exit code. */
    static int run(PrintWriter out, String master, TrainConfig config, LoadedData data, DataOptions dataOptions,
            String backend, int testLimit, boolean json, Path dir, Path checkpoint) throws IOException {
        String name = config.model();
        int classes = data.train().classes();
        Shape input;
        try (Model zoo = ModelZoo.create(name, dataOptions.modelInput(name, data.train().imageShape()), classes)) {
            input = zoo.inputShape();
        }
        // serializable captures only: every executor makes its replica from them
        int[] dims = input.dims().clone();
        SerializableSupplier<Model> architecture = () -> ModelZoo.create(name, new Shape(dims), classes);

        Dataset all = FitToShape.of(Limits.first("--limit", config.limit(), data.train(), "training images", out), input);
        int heldOut = (int) Math.round(all.size() * config.validationSplit());
        if (heldOut >= all.size()) {
            throw new IllegalArgumentException(String.format("--validation-split %s holds out %,d of the %,d training"
                    + " images: none left to train on (raise --limit or lower --validation-split)",
                    config.validationSplit(), heldOut, all.size()));
        }
        Dataset train = all.slice(0, all.size() - heldOut);
        Dataset validation = all.slice(all.size() - heldOut, all.size());
        Dataset test = FitToShape.of(Limits.first("--test-limit", testLimit, data.test(), "test images", out), input);
        int batch = config.batchSize();
        if (batch > train.size()) {
            out.printf("--batch-size %d is more than the %,d training images: each step takes all %,d%n", batch,
                    train.size(), train.size());
            batch = train.size();
        }
        int evalBatch = Math.max(1, Math.min(batch, Math.max(test.size(), validation.size())));

        SparkConf conf = new SparkConf().setMaster(master).setAppName("jcnn train " + name)
                // a short application: no web UI to bind a port for
                .set("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            int workers = sc.defaultParallelism();
            if (batch % workers != 0) {
                throw new IllegalArgumentException("--batch-size " + batch + " does not split evenly over the " + workers
                        + " tasks of --spark " + master + " (one per executor core): give a multiple of " + workers);
            }
            int perWorker = batch / workers;
            JavaRDD<Sample> samples = SampleRdds.of(sc, train, workers);
            Optimizer optimizer = config.optimizer().create(config.learningRate(), config.momentum(),
                    config.weightDecay());
            try (SparkTrainer trainer = new SparkTrainer(sc, architecture, SparseCategoricalCrossEntropy::new,
                    optimizer, backend, config.seed())) {
                Model m = trainer.model();
                if (m.classNames().isEmpty() && data.classNames().size() == classes) {
                    m.classNames(data.classNames());
                }
                Limits.batchFits("--batch-size", perWorker, m);
                Backend driver = m.backend();
                LOG.info("data: {} training, {} validation, {} test images of {}", train.size(), validation.size(),
                        test.size(), data.name());
                out.print(m.summary());
                out.printf("training on Spark %s: %d tasks of %d images a step (global batch %d), backend %s%n",
                        master, workers, perWorker, batch, driver.name());
                Checkpointer checkpointer = new Checkpointer(m, checkpoint, config, List.of(), data.name())
                        .record(Checkpointer.AUGMENT, "none")
                        .record(Checkpointer.NORMALIZE, "false")
                        .record(MASTER, master);
                long start = System.nanoTime();
                for (int e = 1; e <= config.epochs(); e++) {
                    // one epoch per fit, so that the learning rate follows --lr-decay or --lr-schedule as
                    // in a run on one machine; each epoch's shuffle is drawn from its own seed
                    optimizer.setLearningRate(config.learningRate(e));
                    SparkFitOptions options = SparkFitOptions.of(1, perWorker).seed(config.seed() * 1_000_003L + e);
                    SparkEpoch s = trainer.fit(samples, options).get(0);
                    Evaluation val = validation.size() > 0 ? m.evaluate(validation, evalBatch) : null;
                    EpochStats stats = new EpochStats(e, s.loss(), s.accuracy(), val == null ? Double.NaN : val.loss(),
                            val == null ? Double.NaN : val.accuracy(), s.seconds(), s.samples() / s.seconds());
                    checkpointer.onEpochEnd(stats);
                    out.printf("epoch %d/%d: loss %.4f  accuracy %.4f%s  (%.1f s; a step %.1f ms: compute %.1f ms,"
                            + " communication %.1f ms)%n", e, config.epochs(), s.loss(), s.accuracy(),
                            val == null ? "" : String.format("  val loss %.4f  val accuracy %.4f", val.loss(),
                                    val.accuracy()), s.seconds(), s.stepMillis(), s.computeMillis(),
                            s.communicationMillis());
                }
                double trainSeconds = (System.nanoTime() - start) / 1e9;
                Path weights = dir.resolve(ModelFiles.WEIGHTS);
                m.save(weights);

                Evaluation ev = m.evaluate(test, evalBatch);
                ConfusionMatrix cm = ConfusionMatrix.of(test.labels(), m.predictClasses(test, evalBatch), test.classes());
                String where = driver.name() + " on Spark " + master;
                TrainReport report = new TrainReport(m.name(), m.parameterCount(), where, driver.device(), config,
                        train.size(), validation.size(), test.size(), checkpointer.history(), ev, cm, trainSeconds);
                report.writePictures(dir);
                out.printf("test accuracy %.4f  test loss %.4f  (%d test images, %s, %d epochs, %.1f s of training)%n",
                        ev.accuracy(), ev.loss(), ev.samples(), where, config.epochs(), trainSeconds);
                out.println("saved " + weights + ", " + checkpoint + ", plots and " + dir.resolve(RunPlots.REPORT));
                if (json) {
                    out.println("wrote " + JsonOutput.write(dir.resolve("train.json"), report.json()));
                }
            }
        }
        return 0;
    }
}
