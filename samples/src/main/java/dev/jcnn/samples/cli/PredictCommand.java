package dev.jcnn.samples.cli;

import dev.jcnn.backend.Backend;
import dev.jcnn.data.Dataset;
import dev.jcnn.data.FloatImageDataset;
import dev.jcnn.data.ImageFolder;
import dev.jcnn.model.Model;
import dev.jcnn.samples.data.FitToShape;
import dev.jcnn.samples.data.PngDigits;
import dev.jcnn.tensor.Shape;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Classifies image files or a dataset's test images with a saved model: the class and every probability. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classifies image files or test images of --dataset (MNIST by default) with a saved model.",
                "Prints the predicted class and the probability of each class."})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_FILE", description = "A file written by 'jcnn train', e.g. runs/lenet5/model.jcnn, or an ONNX file (*.onnx).")
    Path file;

    @Option(names = "--image", paramLabel = "FILE", arity = "1..*",
            description = "Image files, resized to 28×28 grey levels (32×32 RGB for --dataset cifar10).")
    List<Path> images = new ArrayList<>();

    @Option(names = "--index", paramLabel = "N", arity = "1..*", description = "Indices into the dataset's test images.")
    List<Integer> indices = new ArrayList<>();

    @Option(names = "--invert", defaultValue = "auto",
            description = "Invert image files' grey levels (MNIST digits are light on dark): auto, yes or no; not for cifar10's"
                    + " colour images (default: ${DEFAULT-VALUE}).")
    String invert;

    @Mixin
    DataOptions data;

    @Mixin
    BackendChoice backendChoice;

    /** MNIST's class names, which add nothing to the class number printed before them. */
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    @Override
    public Integer call() throws Exception {
        if (images.isEmpty() && indices.isEmpty()) {
            throw new IllegalArgumentException("nothing to classify: give --image FILE... or --index N...");
        }
        PngDigits.Invert inv;
        try {
            inv = PngDigits.Invert.valueOf(invert.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--invert " + invert + ": expected auto, yes or no", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        for (Path p : images) {
            ModelFiles.readableFile(p, "--image");
        }
        ModelFiles.check(file);
        String dataset = data.dataset();
        try (Backend backend = backendChoice.start(); Model m = ModelFiles.openAny(file, backend)) {
            boolean colour = dataset.equals(DataOptions.CIFAR10);
            // a folder's images are decoded at the model's input; the named datasets have their own shape
            Shape sampleShape = data.isFolder() ? m.inputShape() : data.imageShape();
            int per = sampleShape.size();
            List<String> names = new ArrayList<>();
            List<float[]> pixels = new ArrayList<>();
            List<Integer> truth = new ArrayList<>();
            for (Path p : images) {
                names.add(p.toString());
                try {
                    pixels.add(data.isFolder() ? ImageFolder.read(p, sampleShape)
                            : colour ? PngDigits.readRgb(p, sampleShape.dim(1), sampleShape.dim(2)) : PngDigits.read(p, inv));
                } catch (java.io.IOException e) {
                    String why = Jcnn.describe(e);
                    throw new java.io.IOException(why.contains(p.toString()) ? why : p + ": " + why, e);
                }
                truth.add(-1);
            }
            List<String> classNames = List.of();
            if (!indices.isEmpty()) {
                try (LoadedData loaded = data.load()) {
                    classNames = loaded.classNames();
                    Dataset test = data.isFolder() ? FitToShape.of(loaded.test(), sampleShape) : loaded.test();
                    for (int i : indices) {
                        if (i < 0 || i >= test.size()) {
                            throw new IllegalArgumentException("--index " + i + ": expected 0 to " + (test.size() - 1)
                                    + " (the " + dataset + " test images)");
                        }
                        names.add("test[" + i + "]");
                        pixels.add(test.image(i));
                        truth.add(test.label(i));
                    }
                }
            } else if (data.isFolder()) {
                try (LoadedData loaded = data.load()) {
                    classNames = loaded.classNames();
                }
            } else if (dataset.equals(DataOptions.FASHION)) {
                classNames = dev.jcnn.samples.mnist.FashionMnist.CLASS_NAMES;
            } else if (colour) {
                classNames = dev.jcnn.data.Cifar10.CLASS_NAMES;
            }
            float[] flat = new float[pixels.size() * per];
            int[] none = new int[pixels.size()];
            for (int i = 0; i < pixels.size(); i++) {
                System.arraycopy(pixels.get(i), 0, flat, i * per, per);
            }
            boolean named = !dataset.equals(DataOptions.MNIST) && !classNames.isEmpty();
            Dataset batch = FitToShape.of(new FloatImageDataset(sampleShape, flat, none, 10), m.inputShape());
            if (!m.classNames().isEmpty()) {
                // the model file names its classes: they win over the dataset's
                classNames = m.classNames();
                named = !classNames.equals(DIGITS);
            }
            float[] probs = m.predict(batch, 64);
            int classes = m.outputShape().size();
            for (int i = 0; i < names.size(); i++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (probs[i * classes + c] > probs[i * classes + best]) {
                        best = c;
                    }
                }
                StringBuilder b = new StringBuilder();
                b.append(names.get(i)).append(": ").append(best);
                if (named && best < classNames.size()) {
                    b.append(' ').append(classNames.get(best));
                }
                b.append(String.format(" (p=%.4f)", probs[i * classes + best]));
                if (truth.get(i) >= 0) {
                    b.append(" label ").append(truth.get(i)).append(truth.get(i) == best ? " ok" : " WRONG");
                }
                b.append("  probabilities:");
                for (int c = 0; c < classes; c++) {
                    b.append(String.format(" %d:%.4f", c, probs[i * classes + c]));
                }
                out.println(b);
            }
        }
        return 0;
    }
}
