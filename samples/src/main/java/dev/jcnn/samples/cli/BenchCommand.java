package dev.jcnn.samples.cli;

import dev.jcnn.backend.Backend;
import dev.jcnn.data.SampleSource;
import dev.jcnn.data.Targets;
import dev.jcnn.model.Model;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
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
        Limits.positive("--steps", steps);
        Limits.positive("--batch-size", batchSize);
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup " + warmup + ": expected 0 or a positive number of steps");
        }
        try (Model unbuilt = ModelZoo.create(model)) {
            Limits.batchFits("--batch-size", batchSize, unbuilt); // before a backend starts
        }
        int n = Limits.images("--steps", steps, "--batch-size", batchSize);
        int w = Limits.images("--warmup", warmup, "--batch-size", batchSize);
        PrintWriter out = spec.commandLine().getOut();
        try (Backend backend = backendChoice.start(); Model m = ModelZoo.create(model)) {
            m.build(backend, 1L);
            m.compile(new SparseCategoricalCrossEntropy(), new Sgd(0.01f, 0.9f));
            // drawn image by image as the batches ask: nothing of steps × batch × image is held at once
            SampleSource data = new RandomImages(m.inputShape(), m.outputShape().size(), n);
            if (w > 0) {
                m.fit(new RandomImages(m.inputShape(), m.outputShape().size(), w), FitOptions.of(1, batchSize).shuffle(false));
            }
            History h = m.fit(data, FitOptions.of(1, batchSize).shuffle(false));
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

    /** n random images in [0, 1) with random labels, each drawn from its index when it is read. */
    record RandomImages(Shape sampleShape, int classes, int size) implements SampleSource {

        @Override
        public void copySample(int index, float[] dst, int offset) {
            SplittableRandom r = new SplittableRandom(index);
            int per = sampleShape.size();
            for (int i = 0; i < per; i++) {
                dst[offset + i] = (float) r.nextDouble();
            }
        }

        @Override
        public Targets targets() {
            return Targets.CLASS_LABELS;
        }

        @Override
        public int label(int index) {
            return new SplittableRandom(~(long) index).nextInt(classes);
        }
    }
}
