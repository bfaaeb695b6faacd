package dev.jcnn.samples.cli;

import dev.jcnn.backend.Backend;
import dev.jcnn.data.Dataset;
import dev.jcnn.model.Model;
import dev.jcnn.samples.data.FitToShape;
import dev.jcnn.samples.plot.ConfusionMatrix;
import dev.jcnn.samples.plot.Png;
import dev.jcnn.samples.plot.RunPlots;
import dev.jcnn.train.Evaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Evaluates a saved model on a dataset's test images: loss, accuracy, per-class accuracy, confusion matrix. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluates a saved model (model.jcnn or checkpoint.jcnn) on the test images of --dataset (MNIST by default).")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_FILE", description = "A file written by 'jcnn train', e.g. runs/lenet5/model.jcnn, or an ONNX file (*.onnx).")
    Path file;

    @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0",
            description = "Only the first N test images; 0 for all; more than there are means all, and says so"
                    + " (default: ${DEFAULT-VALUE}).")
    int testLimit;

    @Option(names = "--batch-size", defaultValue = "256", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "Where confusion.png (and evaluate.json) go (default: the model file's folder).")
    Path output;

    @Option(names = "--json", description = "Also write the figures to evaluate.json in the output folder.")
    boolean json;

    @Mixin
    DataOptions data;

    @Mixin
    BackendChoice backendChoice;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Limits.count("--test-limit", testLimit);
        Limits.positive("--batch-size", batchSize);
        ModelFiles.check(file); // a missing or foreign file fails before MNIST is fetched
        data.dataset();
        Path dir = output != null ? output : file.toAbsolutePath().getParent();
        try (LoadedData mnist = data.load(); Backend backend = backendChoice.start();
             Model m = ModelFiles.openAny(file, backend)) {
            Dataset test = FitToShape.of(Limits.first("--test-limit", testLimit, mnist.test(), "test images", out),
                    m.inputShape());
            int batchSize = Math.min(this.batchSize, test.size());
            Limits.batchFits("--batch-size", batchSize, m);
            long start = System.nanoTime();
            Evaluation ev = m.evaluate(test, batchSize);
            double seconds = (System.nanoTime() - start) / 1e9;
            ConfusionMatrix cm = ConfusionMatrix.of(test.labels(), m.predictClasses(test, batchSize), test.classes());
            Path png = Png.write(cm.draw(m.name() + ": confusion on " + test.size() + " test images"),
                    dir.resolve(RunPlots.CONFUSION));
            out.printf("%s on %s: test accuracy %.4f  test loss %.4f  (%d %s images, %.1f s)%n", m.name(), backend.name(),
                    ev.accuracy(), ev.loss(), ev.samples(), mnist.name(), seconds);
            double[] perClass = perClass(cm);
            StringBuilder b = new StringBuilder("per class:");
            List<String> stored = m.classNames();
            for (int c = 0; c < perClass.length; c++) {
                // the model file's class names win over the dataset's; digits are their own numbers
                String name = c < stored.size() ? stored.get(c) : mnist.className(c);
                String label = name.equals(Integer.toString(c)) ? name : c + " " + name;
                b.append(String.format("  %s: %.4f", label, perClass[c]));
            }
            out.println(b);
            out.println("wrote " + png);
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("model", m.name());
                j.put("file", file.toString());
                j.put("dataset", mnist.name());
                j.put("backend", backend.name());
                j.put("device", backend.device());
                j.put("testImages", ev.samples());
                j.put("testLoss", JsonOutput.num(ev.loss()));
                j.put("testAccuracy", JsonOutput.num(ev.accuracy()));
                j.put("perClassAccuracy", java.util.Arrays.stream(perClass).mapToObj(JsonOutput::num).toList());
                j.put("confusion", List.of(cm.counts()));
                j.put("seconds", seconds);
                j.put("imagesPerSecond", ev.samples() / seconds);
                out.println("wrote " + JsonOutput.write(dir.resolve("evaluate.json"), j));
            }
        }
        return 0;
    }

    static double[] perClass(ConfusionMatrix cm) {
        int[][] c = cm.counts();
        double[] acc = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            long row = 0;
            for (int v : c[i]) {
                row += v;
            }
            acc[i] = row == 0 ? Double.NaN : (double) c[i][i] / row;
        }
        return acc;
    }
}
