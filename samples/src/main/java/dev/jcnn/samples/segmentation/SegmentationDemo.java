package dev.jcnn.samples.segmentation;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Backends;
import dev.jcnn.data.SampleSource;
import dev.jcnn.data.SyntheticShapes;
import dev.jcnn.model.Functional;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.Adam;
import dev.jcnn.train.BinaryCrossEntropy;
import dev.jcnn.train.ClassMetrics;
import dev.jcnn.train.EpochStats;
import dev.jcnn.train.Evaluation;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.Iou;
import dev.jcnn.train.Metric;
import dev.jcnn.train.PixelwiseCrossEntropy;
import dev.jcnn.train.TrainingListener;
import dev.jcnn.zoo.ModelZoo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains the zoo's U-Net ({@link ModelZoo#unet}) on noisy synthetic shapes ({@link SyntheticShapes}) with
 * per-pixel binary cross-entropy, or with {@code --classes 4} to tell the kind of shape at each
 * pixel (background, rectangle, disc, triangle) with per-pixel softmax cross-entropy
 * ({@link PixelwiseCrossEntropy}) and its mean IoU over the classes; reports the IoU on held-out images of the training size and
 * of a larger size (the network is fully convolutional), saves the weights and writes the
 * predicted masks as PNG files.
 *
 * <pre>
 * java -cp samples/target/jcnn-samples.jar:samples/target/lib/* dev.jcnn.samples.segmentation.SegmentationDemo --epochs 4
 * </pre>
 */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Trains the zoo's U-Net to segment noisy synthetic shapes and writes its predicted masks as PNG.")
public final class SegmentationDemo implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--epochs", defaultValue = "4", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--train", defaultValue = "512", paramLabel = "N", description = "Training images (default: ${DEFAULT-VALUE}).")
    int trainCount;

    @Option(names = "--test", defaultValue = "128", paramLabel = "N", description = "Held-out images per size (default: ${DEFAULT-VALUE}).")
    int testCount;

    @Option(names = "--size", defaultValue = "32", description = "Side of the training images, a multiple of 4 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--predict-size", defaultValue = "64", paramLabel = "SIZE",
            description = "Side of the larger held-out images, a multiple of 4 (default: ${DEFAULT-VALUE}).")
    int predictSize;

    @Option(names = "--classes", defaultValue = "1",
            description = "1: a binary mask (binary cross-entropy); 4: the kind of shape at each pixel (per-pixel softmax"
                    + " cross-entropy, mean IoU) (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--width", defaultValue = "16",
            description = "Channels of the U-Net's first level, 2x and 4x below; the zoo's unet has 16 (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--noise", defaultValue = "0.6", description = "Standard deviation of the pixel noise (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--batch-size", defaultValue = "16", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.01", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the data, the weights and the shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-b", "--backend"}, defaultValue = "best", paramLabel = "NAME",
            description = "best, cpu or cuda (default: ${DEFAULT-VALUE}).")
    String backendName;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "CPU threads for the cpu backend; 0 for every processor (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--show", defaultValue = "8", paramLabel = "N",
            description = "Held-out images whose predicted masks are written as PNG (default: ${DEFAULT-VALUE}).")
    int show;

    @Option(names = {"-o", "--output"}, defaultValue = "runs/segmentation", paramLabel = "DIR",
            description = "Folder for the weights and the PNG files (default: ${DEFAULT-VALUE}).")
    Path output;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new SegmentationDemo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (epochs <= 0 || trainCount <= 0 || testCount <= 0 || batchSize <= 0 || show < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "epochs, --train, --test and --batch-size must be"
                    + " positive and --show not negative");
        }
        if (size <= 0 || size % 4 != 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--size must be a positive multiple of 4 (the"
                    + " U-Net pools twice), got " + size);
        }
        if (predictSize <= 0 || predictSize % 4 != 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--predict-size must be a positive multiple of 4, got "
                    + predictSize);
        }
        if (classes != 1 && classes != SyntheticShapes.CLASSES) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--classes must be 1 or "
                    + SyntheticShapes.CLASSES + ", got " + classes);
        }
        SyntheticShapes.Samples train = SyntheticShapes.generate(trainCount, size, size, noise, seed);
        SyntheticShapes.Samples test = SyntheticShapes.generate(testCount, size, size, noise, seed + 1);
        SyntheticShapes.Samples large = SyntheticShapes.generate(testCount, predictSize, predictSize, noise, seed + 2);
        try (Backend backend = Backends.create(backendName, BackendOptions.defaults().withThreads(threads));
             Functional model = ModelZoo.unet(Shape.of(1, size, size), classes, width)) {
            if (classes > 1) {
                multiClass(out, backend, model, train, test, large);
                return 0;
            }
            model.build(backend, seed).compile(new BinaryCrossEntropy(), new Adam(learningRate));
            out.print(model.summary());
            out.printf(Locale.ROOT, "backend %s (%s); %d training images of %dx%d, noise %.2f%n", backend.name(),
                    backend.device(), trainCount, size, size, noise);
            out.flush();
            History h = model.fit(train.images(), train.masks(), FitOptions.of(epochs, batchSize).seed(seed)
                    .listener(new EpochLines(out)));
            // the model ends in one logit per pixel; trained with binary cross-entropy it predicts probabilities
            double iou = Iou.of(model.predict(test.images(), batchSize), test.masks());
            float[] largeProbabilities = model.predict(large.images(), large.sampleShape(), batchSize);
            double largeIou = Iou.of(largeProbabilities, large.masks());
            out.printf(Locale.ROOT, "IoU on %d held-out %dx%d images: %.4f (thresholding the pixels: %.4f)%n", testCount,
                    size, size, iou, Iou.ofThreshold(test.images(), 0.5f, test.masks()));
            out.printf(Locale.ROOT, "IoU on %d held-out %dx%d images: %.4f (thresholding the pixels: %.4f)%n", testCount,
                    predictSize, predictSize, largeIou, Iou.ofThreshold(large.images(), 0.5f, large.masks()));
            Files.createDirectories(output);
            model.save(output.resolve("model.jcnn"));
            int n = Math.min(show, testCount);
            int pixels = predictSize * predictSize;
            for (int i = 0; i < n; i++) {
                MaskImages.writeMask(largeProbabilities, i * pixels, predictSize, predictSize, 4,
                        output.resolve(String.format(Locale.ROOT, "masks/mask_%03d.png", i)));
            }
            if (n > 0) {
                MaskImages.writeOverview(large.images(), large.masks(), largeProbabilities, n, predictSize, predictSize, 3,
                        output.resolve("overview.png"));
            }
            out.printf(Locale.ROOT, "wrote %s, %d predicted masks in %s and overview.png (image, truth, probability,"
                    + " prediction per row); final training loss %.4f%n", output.resolve("model.jcnn"), n,
                    output.resolve("masks"), h.last().loss());
            out.flush();
        }
        return 0;
    }

    /** Trains on the class maps, reports the mean IoU at both sizes and writes the foreground probability as masks. */
    private void multiClass(PrintWriter out, Backend backend, Functional model, SyntheticShapes.Samples train,
            SyntheticShapes.Samples test, SyntheticShapes.Samples large) throws java.io.IOException {
        model.build(backend, seed).compile(new PixelwiseCrossEntropy(), new Adam(learningRate));
        out.print(model.summary());
        out.printf(Locale.ROOT, "backend %s (%s); %d training images of %dx%d, noise %.2f, %d classes%n", backend.name(),
                backend.device(), trainCount, size, size, noise, classes);
        out.flush();
        History h = model.fit(train.images(), train.classes(), FitOptions.of(epochs, batchSize).seed(seed)
                .listener(new EpochLines(out)));
        List<Metric> iou = List.of(ClassMetrics.meanIou(classes));
        for (SyntheticShapes.Samples s : List.of(test, large)) {
            Evaluation e = model.trainer().evaluate(
                    SampleSource.of(s.sampleShape(), s.images(), s.sampleShape(), s.classes()), batchSize, iou);
            out.printf(Locale.ROOT, "mean IoU over %d classes on %d held-out %dx%d images: %.4f (pixel accuracy %.4f)%n",
                    classes, testCount, s.height(), s.width(), e.metric("mean_iou"), e.accuracy());
        }
        Files.createDirectories(output);
        model.save(output.resolve("model.jcnn"));
        float[] probabilities = model.predict(large.images(), large.sampleShape(), batchSize);
        int pixels = predictSize * predictSize;
        int n = Math.min(show, testCount);
        // a shape's probability at each pixel: 1 - p(background)
        float[] foreground = new float[n * pixels];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < pixels; p++) {
                foreground[i * pixels + p] = 1 - probabilities[i * classes * pixels + p];
            }
            MaskImages.writeMask(foreground, i * pixels, predictSize, predictSize, 4,
                    output.resolve(String.format(Locale.ROOT, "masks/mask_%03d.png", i)));
        }
        if (n > 0) {
            MaskImages.writeOverview(large.images(), large.masks(), foreground, n, predictSize, predictSize, 3,
                    output.resolve("overview.png"));
        }
        out.printf(Locale.ROOT, "wrote %s, %d predicted masks in %s and overview.png; final training loss %.4f%n",
                output.resolve("model.jcnn"), n, output.resolve("masks"), h.last().loss());
        out.flush();
    }

    /** One line per epoch: loss, pixel accuracy, speed. */
    private record EpochLines(PrintWriter out) implements TrainingListener {
        @Override
        public void onEpochEnd(EpochStats s) {
            out.printf(Locale.ROOT, "epoch %d: loss %.4f, pixel accuracy %.4f, %.1f s (%.0f images/s)%n", s.epoch(), s.loss(),
                    s.accuracy(), s.seconds(), s.imagesPerSecond());
            out.flush();
        }
    }
}
