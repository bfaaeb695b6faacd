package dev.jcnn.samples.cli;

import dev.jcnn.backend.Backend;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.data.SampleSource;
import dev.jcnn.data.Targets;
import dev.jcnn.model.LayerTimes;
import dev.jcnn.model.Model;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Training speed: images per second for a model, batch size and backend, on random data, after a warm-up that
 * lasts until the rate is steady; on the CPU backend also the processor's FMA peak, measured in the same run, and
 * each convolution's achieved GFLOP/s as a share of it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures training speed in images per second.",
                "Forward, backward and SGD update for a model, batch size and backend, on random images.",
                "It warms up for at least --warmup steps and --warmup-seconds, and on until two stretches of",
                "half a second or more agree within --steady percent, then times --steps steps, each layer's",
                "passes among them. On the cpu backend it measures the FMA peak of its threads and prints",
                "each convolution's GFLOP/s as a share of it."})
final class BenchCommand implements Callable<Integer> {

    /** A warm-up stretch lasts at least this long, so that two of them can be compared. */
    static final double STRETCH_SECONDS = 0.5;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", defaultValue = "lenet5", description = "A zoo model: "
            + "lenet5, cifar-cnn, fcn, bn-cnn, resnet20 or another of ./jcnn summary --zoo (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--batch-size", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--steps", defaultValue = "50", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "20", description = "At least this many untimed steps first "
            + "(default: ${DEFAULT-VALUE}); with --warmup-seconds 0 as well, 0 skips the warm-up.")
    int warmup;

    @Option(names = "--warmup-seconds", defaultValue = "5", description = "And at least this long "
            + "(default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--steady", defaultValue = "5", description = "Warm up until two stretches' rates agree "
            + "within this many percent (default: ${DEFAULT-VALUE}), for at most --max-warmup-seconds.")
    double steadyPercent;

    @Option(names = "--max-warmup-seconds", defaultValue = "60", description = "The warm-up's limit when the rate "
            + "does not settle (default: ${DEFAULT-VALUE}).")
    double maxWarmupSeconds;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Where bench.json goes (default: runs/bench).")
    Path output;

    @Option(names = "--json", description = "Also write the figures to bench.json in the output folder.")
    boolean json;

    @Mixin
    BackendChoice backendChoice;

    /** What the warm-up did: steps, seconds, the last two stretches' rates, and whether they agreed. */
    record Warmup(int steps, double seconds, double previousRate, double lastRate, boolean steady) {
    }

    @Override
    public Integer call() throws Exception {
        Limits.positive("--steps", steps);
        Limits.positive("--batch-size", batchSize);
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup " + warmup + ": expected 0 or a positive number of steps");
        }
        nonNegative("--warmup-seconds", warmupSeconds);
        nonNegative("--steady", steadyPercent);
        nonNegative("--max-warmup-seconds", maxWarmupSeconds);
        try (Model unbuilt = ModelZoo.create(model)) {
            Limits.batchFits("--batch-size", batchSize, unbuilt); // before a backend starts
        }
        int n = Limits.images("--steps", steps, "--batch-size", batchSize);
        PrintWriter out = spec.commandLine().getOut();
        try (Backend backend = backendChoice.start(); Model m = ModelZoo.create(model)) {
            m.build(backend, 1L);
            m.compile(new SparseCategoricalCrossEntropy(), new Sgd(0.01f, 0.9f));
            // drawn image by image as the batches ask: nothing of steps × batch × image is held at once
            SampleSource data = new RandomImages(m.inputShape(), m.outputShape().size(), n);
            Warmup w = warmUp(m);
            LayerTimes layers = new LayerTimes();
            m.timeLayers(layers); // two clock reads per layer and pass: well under 1% of a step
            History h = m.fit(data, FitOptions.of(1, batchSize).shuffle(false));
            m.timeLayers(null);
            double seconds = h.last().seconds();
            double ips = n / seconds;
            out.printf("%s on %s (%s): batch %d: %.1f images/s (%d steps in %.2f s, %.2f ms per step)%n", m.name(),
                    backend.name(), backend.device(), batchSize, ips, steps, seconds, seconds * 1000 / steps);
            out.printf("warm-up: %d steps in %.1f s; the last two stretches ran at %.1f and %.1f images/s%s%n",
                    w.steps(), w.seconds(), w.previousRate(), w.lastRate(), w.steps() == 0 ? " (none)"
                            : w.steady() ? " (steady within " + steadyPercent + "%)"
                            : " (NOT steady within " + steadyPercent + "% after --max-warmup-seconds)");
            double peak = 0;
            if (backend instanceof CpuBackend cpu) {
                peak = cpu.fmaPeakGflops(2.0);
                out.printf("FMA peak: %.1f GFLOP/s on %d threads, measured now with this backend's kernels%n", peak,
                        cpu.threads());
            }
            out.print(layers.report(batchSize, peak));
            out.flush(); // print does not flush an autoflushing PrintWriter; the command line exits without closing it
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("model", m.name());
                j.put("parameters", m.parameterCount());
                j.put("backend", backend.name());
                j.put("device", backend.device());
                j.put("batchSize", batchSize);
                j.put("steps", steps);
                j.put("warmupSteps", w.steps());
                j.put("warmupSeconds", w.seconds());
                j.put("warmupSteady", w.steady());
                j.put("seconds", seconds);
                j.put("imagesPerSecond", ips);
                j.put("millisecondsPerStep", seconds * 1000 / steps);
                if (peak > 0) {
                    j.put("fmaPeakGflops", peak);
                }
                j.put("layers", layerFigures(layers, peak));
                Path dir = output != null ? output : Path.of("runs", "bench");
                out.println("wrote " + JsonOutput.write(dir.resolve("bench.json"), j));
            }
        }
        return 0;
    }

    /**
     * Trains on random images in stretches of at least {@link #STRETCH_SECONDS} until it has run --warmup steps
     * and --warmup-seconds and the last two stretches' rates agree within --steady percent, or until
     * --max-warmup-seconds have passed.
     */
    private Warmup warmUp(Model m) {
        if (warmup == 0 && warmupSeconds == 0) {
            return new Warmup(0, 0, 0, 0, false);
        }
        long start = System.nanoTime();
        int done = 0;
        int stretch = 1;
        double previous = 0;
        double last = 0;
        while (true) {
            int images = Limits.images("--warmup", stretch, "--batch-size", batchSize);
            History h = m.fit(new RandomImages(m.inputShape(), m.outputShape().size(), images),
                    FitOptions.of(1, batchSize).shuffle(false));
            done += stretch;
            double s = h.last().seconds();
            if (s < STRETCH_SECONDS && stretch < 1 << 20) {
                stretch *= 2; // too short to compare: not a stretch yet
                continue;
            }
            previous = last;
            last = images / s;
            double elapsed = (System.nanoTime() - start) / 1e9;
            boolean steady = previous > 0 && Math.abs(last - previous) <= steadyPercent / 100 * Math.max(last, previous);
            if (done >= warmup && elapsed >= warmupSeconds && steady) {
                return new Warmup(done, elapsed, previous, last, true);
            }
            if (elapsed >= maxWarmupSeconds) {
                return new Warmup(done, elapsed, previous, last, false);
            }
        }
    }

    private List<Map<String, Object>> layerFigures(LayerTimes times, double peak) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (LayerTimes.Entry e : times.entries()) {
            Map<String, Object> l = new LinkedHashMap<>();
            double fwdUs = e.forwardNanos() / 1e3 / Math.max(1, e.forwardCalls());
            double bwdUs = e.backwardNanos() / 1e3 / Math.max(1, e.backwardCalls());
            l.put("name", e.layer().name());
            l.put("forwardMicroseconds", fwdUs);
            l.put("backwardMicroseconds", bwdUs);
            if (e.multiplyAddsPerSample() > 0 && fwdUs > 0 && bwdUs > 0) {
                double fwd = e.forwardFlops(batchSize) / fwdUs / 1e3;
                double bwd = e.backwardFlops(batchSize) / bwdUs / 1e3;
                l.put("forwardGflops", fwd);
                l.put("backwardGflops", bwd);
                if (peak > 0) {
                    l.put("forwardPeakShare", fwd / peak);
                    l.put("backwardPeakShare", bwd / peak);
                }
            }
            list.add(l);
        }
        return list;
    }

    private static void nonNegative(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " " + value + ": expected a finite number, 0 or more");
        }
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
