package dev.jcnn.samples.cli;

import dev.jcnn.backend.Backend;
import dev.jcnn.data.Augmentation;
import dev.jcnn.data.Dataset;
import dev.jcnn.io.TensorFile;
import dev.jcnn.layers.Normalization;
import dev.jcnn.model.Model;
import dev.jcnn.samples.data.FitToShape;
import dev.jcnn.samples.plot.ConfusionMatrix;
import dev.jcnn.samples.plot.RunPlots;
import dev.jcnn.samples.train.Checkpointer;
import dev.jcnn.samples.train.OptimizerChoice;
import dev.jcnn.samples.train.ProgressDisplay;
import dev.jcnn.samples.train.RunFolder;
import dev.jcnn.samples.train.TrainConfig;
import dev.jcnn.train.EarlyStopping;
import dev.jcnn.train.EpochStats;
import dev.jcnn.train.Evaluation;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Monitor;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.train.TrainingListener;
import dev.jcnn.zoo.ModelZoo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Trains a zoo model on a dataset (MNIST by default), evaluates it on the test images and saves weights, checkpoints and plots. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a model on MNIST, Fashion-MNIST or CIFAR-10 and evaluates it on the test images.",
                "Fetches MNIST if absent; saves the model, a checkpoint per epoch, loss/accuracy/confusion plots",
                "and report.html in the output folder."})
final class TrainCommand implements Callable<Integer> {

    private static final Logger LOG = LogManager.getLogger(TrainCommand.class);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "lenet5, cifar-cnn (32×32×3; MNIST is padded and"
            + " repeated to fit; on the other datasets it takes their images' shape), fcn (fully convolutional) or"
            + " bn-cnn (two convolutions with batch normalisation), resnet20 (He et al.'s CIFAR ResNet-20), or any other"
            + " zoo model (./jcnn summary --zoo); each scores the dataset's classes.")
    String model;

    @Option(names = {"-e", "--epochs"}, defaultValue = "5", description = "Epochs to train, in all (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64",
            description = "Images per step; more than the training images means all of them (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "adam",
            description = "sgd, momentum, nesterov, adam, adamw (decoupled weight decay) or rmsprop (default:"
                    + " ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = {"--lr", "--learning-rate"}, paramLabel = "RATE",
            description = "Learning rate (default: 0.001 for adam and adamw, 0.01 for rmsprop, 0.05 for the SGD variants).")
    Float learningRate;

    @Option(names = "--lr-decay", paramLabel = "F",
            description = "Multiply the learning rate by F after each epoch; 1 keeps it (default: 0.7, or 1 with"
                    + " --lr-schedule, which it cannot be given with).")
    Double lrDecay;

    @Option(names = "--lr-schedule", paramLabel = "SCHEDULE", defaultValue = "",
            description = "The learning rate per epoch instead of --lr-decay: step:N:G (× G every N epochs), exp:G"
                    + " (× G per epoch), cosine (from --lr down to 0 over --epochs) or cosine:W (after W epochs of linear"
                    + " warm-up from --lr/(W+1)); as PyTorch's StepLR, ExponentialLR, CosineAnnealingLR.")
    String lrSchedule;

    @Option(names = "--clip-norm", paramLabel = "N", defaultValue = "0",
            description = "Clip the gradients to a global norm of N before each update, as PyTorch's clip_grad_norm_;"
                    + " 0 for none (default: ${DEFAULT-VALUE}).")
    float clipNorm;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE", defaultValue = "0",
            description = "Stop when the validation loss has not improved for PATIENCE epochs, and keep the best"
                    + " epoch's weights (saved and tested); needs --validation-split above 0; 0 for none (default:"
                    + " ${DEFAULT-VALUE}).")
    int earlyStopping;

    @Option(names = "--momentum", defaultValue = "0.9", description = "Momentum of momentum and nesterov (default: ${DEFAULT-VALUE}).")
    float momentum;

    @Option(names = "--weight-decay", paramLabel = "WD",
            description = "Weight decay: L2 added to the gradient, decoupled for adamw (default: 0.01 for adamw, else 0).")
    Float weightDecay;

    @Option(names = "--seed", defaultValue = "1", description = "Seeds the initial weights and the shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Output folder (default: runs/MODEL).")
    Path output;

    @Option(names = "--resume", description = "Continue from the output folder's checkpoint (weights, optimizer state,"
            + " epoch, settings); --epochs may raise the total; the other training flags, if given, must agree with"
            + " the checkpoint's.")
    boolean resume;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Train on the first N training images only; 0 for all 60,000; more than there are means all,"
                    + " and says so (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0",
            description = "Evaluate on the first N test images only; 0 for all 10,000; as --limit (default: ${DEFAULT-VALUE}).")
    int testLimit;

    @Option(names = "--validation-split", paramLabel = "F", defaultValue = "0.1",
            description = "Fraction of the training images held out (the last ones) for validation (default: ${DEFAULT-VALUE}).")
    double validationSplit;

    @Option(names = "--augment", paramLabel = "STEPS", defaultValue = "none",
            description = "Augments the training images (never validation or test), steps in order, comma-separated:"
                    + " crop:P (pad P zeros, crop back at random), crop:P:reflect, flip (left-right, p 0.5), shift:K"
                    + " (move by up to ±K pixels, zeros fill); e.g. crop:4,flip. Seeded by --seed (default: ${DEFAULT-VALUE}).")
    String augment;

    @Option(names = "--loader-threads", paramLabel = "N", defaultValue = "-1",
            description = "Threads preparing batches (read, augment, pack) ahead of the training step; 0 prepares each"
                    + " on the training thread; the batches are the same for any N (default: half the processors, 1 to 4).")
    int loaderThreads;

    @Option(names = "--json", description = "Also write the figures to train.json in the output folder.")
    boolean json;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "bar, lines or auto (a bar on a terminal, lines otherwise) (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = "--normalize", description = "Standardise each input channel with the training images' mean and"
            + " standard deviation, measured before training; a Normalization layer first in the model stores them, so"
            + " evaluate and predict apply them too.")
    boolean normalize;

    @Option(names = "--spark", paramLabel = "MASTER_URL",
            description = "Train data-parallel on Apache Spark at this master, e.g. local[2] or spark://host:7077: each"
                    + " step's --batch-size images are split evenly over the context's tasks (one per executor core)"
                    + " and their gradients summed (docs/spark.md). Not with --augment, --loader-threads, --resume,"
                    + " --normalize, --clip-norm, --early-stopping, --threads, --exact or --progress.")
    String spark;

    @Mixin
    DataOptions data;

    @Mixin
    BackendChoice backendChoice;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // every option is checked before any work is done and before the folder is made
        boolean bars = switch (progress.toLowerCase(java.util.Locale.ROOT)) {
            case "bar" -> true;
            case "lines" -> false;
            case "auto" -> ProgressDisplay.isTerminal();
            default -> throw new IllegalArgumentException("--progress " + progress + ": expected bar, lines or auto");
        };
        Limits.count("--limit", limit);
        Limits.count("--test-limit", testLimit);
        if (spark != null) {
            if (spark.isBlank()) {
                throw new IllegalArgumentException("--spark: expected a Spark master URL such as local[2] or"
                        + " spark://host:7077, got '" + spark + "'");
            }
            SparkTrainRun.refuseUnsupported(spark, this::given);
        }
        Augmentation augmentation = parseAugmentation(augment);
        int threads = loaderThreads(loaderThreads);
        String modelName = ModelZoo.create(model).name();
        OptimizerChoice opt = parseOptimizer(optimizer);
        if (lrDecay != null && !lrSchedule.isBlank()) {
            throw new IllegalArgumentException("--lr-decay " + lrDecay + " and --lr-schedule " + lrSchedule
                    + " both set the learning rate; give one");
        }
        double decay = lrDecay != null ? lrDecay : lrSchedule.isBlank() ? 0.7 : 1.0;
        TrainConfig requested = new TrainConfig(modelName, epochs, batchSize, opt,
                learningRate != null ? learningRate : opt.defaultLearningRate(), decay, momentum,
                weightDecay != null ? weightDecay : opt.defaultWeightDecay(), seed, limit, validationSplit, clipNorm,
                lrSchedule, earlyStopping);
        if (earlyStopping > 0 && validationSplit == 0) {
            throw new IllegalArgumentException("--early-stopping " + earlyStopping + " watches the validation loss, but"
                    + " --validation-split 0 holds out no validation images; give --validation-split above 0");
        }
        Path dir = output != null ? output : Path.of("runs", model);
        Path checkpoint = dir.resolve(ModelFiles.CHECKPOINT);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--output " + dir + ": a file, not a folder");
        }
        if (resume && !hasCheckpoint(dir)) {
            throw noCheckpoint(checkpoint);
        }
        // the data before the folder: a run that cannot get its data leaves no folder behind
        try (LoadedData loaded = data.load();
             RunFolder folder = RunFolder.claim(dir, "jcnn train " + model)) {
            if (spark != null) {
                return SparkTrainRun.run(out, spark, requested, loaded, data, backendChoice.name, testLimit, json,
                        folder.dir(), checkpoint);
            }
            return train(out, bars, requested, augmentation, threads, loaded, folder.dir(), checkpoint);
        }
    }

    /** Whether the folder holds a checkpoint, or the temporary file of one a killed write may have left. */
    private static boolean hasCheckpoint(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .anyMatch(n -> n.equals(ModelFiles.CHECKPOINT) || n.startsWith(ModelFiles.CHECKPOINT + ".") && RunFolder.isTemporary(n));
        }
    }

    private static IllegalArgumentException noCheckpoint(Path checkpoint) {
        return new IllegalArgumentException("--resume: no checkpoint at " + checkpoint
                + "; train without --resume first (or point --output at the run's folder)");
    }

    /** Trains in the run folder this process holds. */
    private int train(PrintWriter out, boolean bars, TrainConfig requested, Augmentation requestedAugmentation,
                      int threads, LoadedData mnist, Path dir, Path checkpoint) throws Exception {
        Augmentation augmentation = requestedAugmentation;
        TrainConfig config;
        int doneEpochs = 0;
        List<EpochStats> earlier = List.of();
        if (resume) {
            if (!Files.exists(checkpoint)) {
                throw noCheckpoint(checkpoint);
            }
            Map<String, String> savedMeta = TensorFile.read(checkpoint).metadata();
            Checkpointer.Saved saved = Checkpointer.read(savedMeta, checkpoint);
            String savedDataset = savedMeta.getOrDefault(Checkpointer.DATASET, DataOptions.MNIST);
            if (!savedDataset.equals(mnist.name())) {
                throw new IllegalArgumentException("--resume: " + checkpoint + " was trained on --dataset "
                        + savedDataset + ", not " + mnist.name() + "; resume with --dataset " + savedDataset);
            }
            if (!saved.config().model().equals(requested.model())) {
                throw new IllegalArgumentException("--resume: " + checkpoint + " holds model '" + saved.config().model()
                        + "', not '" + model + "'");
            }
            config = resumed(saved.config(), requested);
            Augmentation savedAugmentation = Augmentation.parse(savedMeta.getOrDefault(Checkpointer.AUGMENT, "none"));
            if (given("--augment") && !savedAugmentation.equals(requestedAugmentation)) {
                throw new IllegalArgumentException("--resume continues the checkpoint's run with its own settings, and"
                        + " it has --augment " + savedAugmentation + ", not " + requestedAugmentation + "; drop the flag"
                        + " to resume, or train without --resume into another --output folder to start a new run");
            }
            augmentation = savedAugmentation;
            boolean savedNormalize = Boolean.parseBoolean(savedMeta.getOrDefault(Checkpointer.NORMALIZE, "false"));
            if (given("--normalize") && !savedNormalize) {
                throw new IllegalArgumentException("--resume continues the checkpoint's run with its own settings, and"
                        + " it was trained without --normalize; drop the flag to resume, or train without --resume into"
                        + " another --output folder to start a new run");
            }
            // the checkpoint's run decides: its model has the Normalization layer or not
            normalize = savedNormalize;
            doneEpochs = saved.epoch();
            earlier = saved.history();
            out.printf("resuming %s from %s at epoch %d of %d with the checkpoint's settings: %s%s%n", config.model(),
                    checkpoint, doneEpochs, config.epochs(), describe(config),
                    augmentation.isNone() ? "" : ", --augment " + augmentation);
        } else {
            config = requested;
            if (Files.exists(checkpoint)) {
                LOG.info("starting a new run in {}: its checkpoint will be replaced (use --resume to continue it)", dir);
            }
        }
        if (doneEpochs > config.epochs()) {
            throw new IllegalArgumentException("--resume: the checkpoint is at epoch " + doneEpochs + ", past --epochs "
                    + config.epochs());
        }

        try (Backend backend = backendChoice.start(); Model zoo = ModelZoo.create(config.model(),
                data.modelInput(config.model(), mnist.train().imageShape()), mnist.train().classes())) {
            Dataset all = FitToShape.of(Limits.first("--limit", config.limit(), mnist.train(), "training images", out),
                    zoo.inputShape());
            int heldOut = (int) Math.round(all.size() * config.validationSplit());
            if (heldOut >= all.size()) {
                throw new IllegalArgumentException(String.format("--validation-split %s holds out %,d of the %,d training"
                        + " images: none left to train on (raise --limit or lower --validation-split)",
                        config.validationSplit(), heldOut, all.size()));
            }
            Dataset train = all.slice(0, all.size() - heldOut);
            Dataset validation = all.slice(all.size() - heldOut, all.size());
            Dataset test = FitToShape.of(Limits.first("--test-limit", testLimit, mnist.test(), "test images", out),
                    zoo.inputShape());
            if (data.isFolder()) {
                LOG.info("data: {}'s images decoded at {} for {}", mnist.name(), zoo.inputShape(), zoo.name());
            } else if (!all.imageShape().equals(mnist.train().imageShape())) {
                LOG.info("data: {}'s {} images padded and repeated to {} for {}", mnist.name(),
                        mnist.train().imageShape(), zoo.inputShape(), zoo.name());
            }
            Model m = normalize ? normalized(zoo, Normalization.adapt(train), mnist.train().classes(), out) : zoo;
            if (m.classNames().isEmpty() && mnist.classNames().size() == m.outputShape().dim(0)) {
                m.classNames(mnist.classNames());
            }
            try {
                int batch = config.batchSize();
                if (batch > train.size()) {
                    // as Keras does: a batch larger than the data is all of it
                    out.printf("--batch-size %d is more than the %,d training images: each step takes all %,d%n", batch,
                            train.size(), train.size());
                    batch = train.size();
                }
                Limits.batchFits("--batch-size", batch, m);
                int evalBatch = Math.max(1, Math.min(batch, Math.max(test.size(), validation.size())));
                LOG.info("data: {} training, {} validation, {} test images of {}", train.size(), validation.size(),
                        test.size(), mnist.name());
                LOG.info("backend {}: {}", backend.name(), backend.device());
                LOG.info("model {}: {} parameters", m.name(), String.format("%,d", m.parameterCount()));
                out.print(m.summary());

                m.build(backend, config.seed());
                m.compile(new SparseCategoricalCrossEntropy(),
                        config.optimizer().create(config.learningRate(), config.momentum(), config.weightDecay()));
                if (resume) {
                    m.loadCheckpoint(checkpoint);
                }
                Checkpointer checkpointer = new Checkpointer(m, checkpoint, config, earlier, mnist.name())
                        .record(Checkpointer.AUGMENT, augmentation.toString())
                        .record(Checkpointer.NORMALIZE, Boolean.toString(normalize));
                FitOptions fit = FitOptions.of(config.epochs(), batch).seed(config.seed())
                        .initialEpoch(doneEpochs)
                        .augmentation(augmentation)
                        .prefetch(threads, prefetchDepth(threads))
                        .schedule(config.schedule())
                        .gradientClipping(config.clipNorm())
                        .listener(listeners(config, out, bars, checkpointer));
                if (validation.size() > 0) {
                    fit = fit.validation(validation);
                }
                long start = System.nanoTime();
                if (doneEpochs < config.epochs()) {
                    m.fit(train, fit).stopReason().ifPresent(reason -> out.println("stopped: " + reason));
                } else {
                    out.printf("the checkpoint is at epoch %d of %d: nothing left to train (raise --epochs to go on)%n",
                            doneEpochs, config.epochs());
                }
                double trainSeconds = (System.nanoTime() - start) / 1e9;
                Path weights = dir.resolve(ModelFiles.WEIGHTS);
                m.save(weights);

                Evaluation ev = m.evaluate(test, evalBatch);
                ConfusionMatrix cm = ConfusionMatrix.of(test.labels(), m.predictClasses(test, evalBatch), test.classes());
                TrainReport report = new TrainReport(m.name(), m.parameterCount(), backend.name(), backend.device(), config,
                        train.size(), validation.size(), test.size(), checkpointer.history(), ev, cm, trainSeconds);
                report.writePictures(dir);
                out.printf("test accuracy %.4f  test loss %.4f  (%d test images, %s, %d epochs, %.1f s of training)%n",
                        ev.accuracy(), ev.loss(), ev.samples(), backend.name(), config.epochs(), trainSeconds);
                out.println("saved " + weights + ", " + checkpoint + ", plots and " + dir.resolve(RunPlots.REPORT));
                if (json) {
                    out.println("wrote " + JsonOutput.write(dir.resolve("train.json"), report.json()));
                }
            } finally {
                if (m != zoo) {
                    m.close();
                }
            }
        }
        return 0;
    }

    /** The zoo model with a Normalization layer first (its own layers keep their names, so the weights file's keys do not change). */
    static Model normalized(Model zoo, Normalization norm, int classes, PrintWriter out) {
        out.printf("normalising each input channel: mean %s, std %s (from the training images)%n",
                java.util.Arrays.toString(norm.mean()), java.util.Arrays.toString(norm.std()));
        return ModelZoo.create(zoo.name(), zoo.inputShape(), classes, List.of(norm.named("normalization")));
    }

    /**
     * The saved settings a resumed run goes on with: the flags given must agree with them, as
     * a run that changed its batch size, optimizer or data halfway would no longer be the run
     * the checkpoint belongs to. Only --epochs may differ (it raises or lowers the total).
     */
    private TrainConfig resumed(TrainConfig saved, TrainConfig requested) {
        List<String> contradictions = new java.util.ArrayList<>();
        contradict(contradictions, "--batch-size", saved.batchSize(), requested.batchSize());
        contradict(contradictions, "--optimizer", saved.optimizer().id(), requested.optimizer().id(), "--optimizer");
        if (given("--lr")) {
            contradict(contradictions, "--lr", saved.learningRate(), requested.learningRate());
        }
        contradict(contradictions, "--lr-decay", saved.lrDecay(), requested.lrDecay());
        contradict(contradictions, "--lr-schedule", saved.lrSchedule(), requested.lrSchedule());
        contradict(contradictions, "--clip-norm", saved.clipNorm(), requested.clipNorm());
        contradict(contradictions, "--early-stopping", saved.earlyStopping(), requested.earlyStopping());
        contradict(contradictions, "--momentum", saved.momentum(), requested.momentum());
        contradict(contradictions, "--weight-decay", saved.weightDecay(), requested.weightDecay());
        contradict(contradictions, "--seed", saved.seed(), requested.seed());
        contradict(contradictions, "--limit", saved.limit(), requested.limit());
        contradict(contradictions, "--validation-split", saved.validationSplit(), requested.validationSplit());
        if (!contradictions.isEmpty()) {
            throw new IllegalArgumentException("--resume continues the checkpoint's run with its own settings, and "
                    + String.join(", ", contradictions) + "; drop the flag(s) to resume, or train without --resume into"
                    + " another --output folder to start a new run");
        }
        return given("--epochs") ? saved.withEpochs(requested.epochs()) : saved;
    }

    private void contradict(List<String> out, String option, Object saved, Object given) {
        contradict(out, option, saved, given, option);
    }

    private void contradict(List<String> out, String option, Object saved, Object given, String name) {
        if (given(name) && !saved.equals(given)) {
            out.add("it has " + option + " " + saved + ", not " + given);
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * The run's listeners in order: progress, the checkpoint of each epoch (the run's true
     * state, for --resume), then early stopping, which restores the best epoch's weights into
     * the model (saved as the weights file and tested) when it stops the run.
     */
    private static TrainingListener listeners(TrainConfig config, PrintWriter out, boolean bars,
            Checkpointer checkpointer) {
        List<TrainingListener> all = new java.util.ArrayList<>(List.of(
                new ProgressDisplay(out, bars ? System.err : null, config.epochs()), checkpointer));
        if (config.earlyStopping() > 0) {
            all.add(new EarlyStopping(Monitor.VAL_LOSS, config.earlyStopping(), 0, true));
        }
        return TrainingListener.of(all.toArray(TrainingListener[]::new));
    }

    /** A run's settings in words, as flags. */
    static String describe(TrainConfig c) {
        return "--batch-size " + c.batchSize() + ", --optimizer " + c.optimizer().id() + ", --lr " + c.learningRate()
                + (c.lrSchedule().isEmpty() ? ", --lr-decay " + c.lrDecay() : ", --lr-schedule " + c.lrSchedule())
                + (c.clipNorm() > 0 ? ", --clip-norm " + c.clipNorm() : "")
                + (c.earlyStopping() > 0 ? ", --early-stopping " + c.earlyStopping() : "")
                + ", --momentum " + c.momentum() + ", --weight-decay " + c.weightDecay()
                + ", --seed " + c.seed() + ", --limit " + c.limit() + (c.limit() == 0 ? " (all)" : "")
                + ", --validation-split " + c.validationSplit();
    }

    static Augmentation parseAugmentation(String spec) {
        try {
            return Augmentation.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--augment " + spec + ": " + e.getMessage(), e);
        }
    }

    /** --loader-threads: -1 (not given) for half the processors, 1 to 4. */
    static int loaderThreads(int n) {
        if (n == -1) {
            return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        }
        if (n < 0 || n > 64) {
            throw new IllegalArgumentException("--loader-threads " + n + ": expected 0 (the training thread) to 64");
        }
        return n;
    }

    /** Batches prepared ahead: two per thread, so that each thread has the next one to start on. */
    static int prefetchDepth(int threads) {
        return 2 * threads;
    }

    static OptimizerChoice parseOptimizer(String name) {
        try {
            return OptimizerChoice.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--optimizer " + name + ": expected " + OptimizerChoice.choices()
                    + " (in any case)", e);
        }
    }
}
