package dev.jcnn.samples.cli;

import dev.jcnn.backend.Backend;
import dev.jcnn.model.Sequential;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Training speed: images per second for a model, batch size and backend, on random data. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures training speed in images per second.",
                "Forward, backward and SGD update for a model, batch size and backend, on random images",
                "after a few warm-up steps."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", defaultValue = "lenet5", description = "lenet5, cifar-cnn or fcn (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--batch-size", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--steps", defaultValue = "50", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Where bench.json goes (default: runs/bench).")
    Path output;

    @Option(names = "--json", description = "Also write the figures to bench.json in the output folder.")
    boolean json;

    @Mixin
    BackendChoice backendChoice;

    @Override
    public Integer call() throws Exception {
        if (steps <= 0 || warmup < 0 || batchSize <= 0) {
            throw new IllegalArgumentException("--steps and --batch-size must be positive and --warmup non-negative, got "
                    + steps + ", " + batchSize + ", " + warmup);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Backend backend = backendChoice.start(); Sequential m = ModelZoo.create(model)) {
            m.build(backend, 1L);
            m.compile(new SparseCategoricalCrossEntropy(), new Sgd(0.01f, 0.9f));
            int per = m.inputShape().size();
            int classes = m.outputShape().size();
            Random r = new Random(1);
            int n = steps * batchSize;
            float[] x = new float[n * per];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat();
            }
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = r.nextInt(classes);
            }
            if (warmup > 0) {
                int w = Math.min(n, warmup * batchSize);
                m.fit(java.util.Arrays.copyOf(x, w * per), java.util.Arrays.copyOf(y, w),
                        FitOptions.of(1, batchSize).shuffle(false));
            }
            History h = m.fit(x, y, FitOptions.of(1, batchSize).shuffle(false));
            double seconds = h.last().seconds();
            double ips = n / seconds;
            out.printf("%s on %s (%s): batch %d: %.1f images/s (%d steps in %.2f s, %.2f ms per step)%n", m.name(),
                    backend.name(), backend.device(), batchSize, ips, steps, seconds, seconds * 1000 / steps);
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("model", m.name());
                j.put("parameters", m.parameterCount());
                j.put("backend", backend.name());
                j.put("device", backend.device());
                j.put("batchSize", batchSize);
                j.put("steps", steps);
                j.put("warmupSteps", warmup);
                j.put("seconds", seconds);
                j.put("imagesPerSecond", ips);
                j.put("millisecondsPerStep", seconds * 1000 / steps);
                Path dir = output != null ? output : Path.of("runs", "bench");
                out.println("wrote " + JsonOutput.write(dir.resolve("bench.json"), j));
            }
        }
        return 0;
    }
}
