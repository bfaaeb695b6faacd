package dev.jcnn.bench;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.model.LayerTimes;
import dev.jcnn.model.Sequential;
import dev.jcnn.zoo.ModelZoo;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The latency of predicting one image with LeNet-5, as the PyTorch peer measures it
 * ({@code pytorch_latency_and_cifar.py}): untimed calls first, then 2,000 timed ones, median
 * and 99th percentile. The JIT needs more untimed calls than PyTorch: the warm-up runs for
 * a few seconds. Then where a call's time goes: 2,000 more calls with every layer's
 * forward pass timed ({@link LayerTimes}), microseconds per call by layer and outside the layers.
 *
 * <p>usage: {@code LatencyBench [warm-up seconds=5]}; THREADS sets the backend's threads (2).
 */
public final class LatencyBench {

    private LatencyBench() {
    }

    public static void main(String[] args) {
        double warmupSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int threads = Integer.parseInt(System.getenv().getOrDefault("THREADS", "2"));
        float[] image = new float[28 * 28];
        SplittableRandom r = new SplittableRandom(0);
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) r.nextGaussian();
        }
        try (CpuBackend cpu = new CpuBackend(BackendOptions.defaults().withThreads(threads));
                Sequential model = ModelZoo.lenet5()) {
            model.build(cpu, 0);
            long until = System.nanoTime() + (long) (warmupSeconds * 1e9);
            float sink = 0;
            while (System.nanoTime() < until) {
                sink += model.predict(image, 1)[0];
            }
            long[] times = new long[2000];
            for (int i = 0; i < times.length; i++) {
                long t = System.nanoTime();
                sink += model.predict(image, 1)[0];
                times[i] = System.nanoTime() - t;
            }
            Arrays.sort(times);
            System.out.println(String.format(Locale.ROOT, "jcnn lenet predict 1 image: median %.0f us, p99 %.0f us (%s)%s",
                    times[1000] / 1e3, times[1980] / 1e3, cpu.device(), Float.isNaN(sink) ? " NaN" : ""));
            LayerTimes layers = new LayerTimes();
            model.timeLayers(layers);
            long start = System.nanoTime();
            for (int i = 0; i < times.length; i++) {
                sink += model.predict(image, 1)[0];
            }
            double perCall = (System.nanoTime() - start) / 1e3 / times.length;
            model.timeLayers(null);
            double inLayers = 0;
            StringBuilder table = new StringBuilder();
            for (LayerTimes.Entry e : layers.entries()) {
                double us = e.forwardNanos() / 1e3 / times.length;
                inLayers += us;
                table.append(String.format(Locale.ROOT, "  %-14s %7.1f us%n", e.layer().name(), us));
            }
            System.out.print(String.format(Locale.ROOT, "per call with the layers timed: %.1f us, of which%n%s"
                    + "  outside them   %7.1f us%s%n", perCall, table, perCall - inLayers, Float.isNaN(sink) ? " NaN" : ""));
        }
    }
}
