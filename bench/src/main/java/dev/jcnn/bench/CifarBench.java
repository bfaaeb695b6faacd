package dev.jcnn.bench;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Padding;
import dev.jcnn.model.LayerTimes;
import dev.jcnn.model.Model;
import dev.jcnn.model.Sequential;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training images/s at batch 64 on random data of a 3×32×32 model, as its PyTorch peer measures it: the peer's
 * CIFAR-style CNN ({@code pytorch_latency_and_cifar.py}: conv32, conv32, pool, conv64, conv64, pool, dense 512,
 * dense 10), whose time is mostly in 3×3 convolutions with 32 and 64 channels, or ResNet-20
 * ({@code pytorch_resnet20.py}), or any zoo model by name. After the images/s line it prints the FMA peak of
 * the backend's threads, measured in the same run, and each layer's times in the timed steps, with each
 * convolution's GFLOP/s as a share of that peak.
 *
 * <p>usage: {@code CifarBench [model=cifar-style] [steps=30] [warm-up steps=15]}; THREADS sets the threads (2).
 * The warm-up lasts at least that many steps and {@code -Djcnn.bench.warmupSeconds} (8) seconds, and on until
 * two stretches of 5 steps agree within 5% (at most 60 seconds).
 */
public final class CifarBench {

    private CifarBench() {
    }

    public static void main(String[] args) {
        int first = args.length > 0 && !args[0].matches("\\d+") ? 1 : 0;
        String name = first == 1 ? args[0] : "cifar-style";
        int steps = args.length > first ? Integer.parseInt(args[first]) : 30;
        int warmup = args.length > first + 1 ? Integer.parseInt(args[first + 1]) : 15;
        int threads = Integer.parseInt(System.getenv().getOrDefault("THREADS", "2"));
        int batch = 64;
        SplittableRandom r = new SplittableRandom(0);
        float[] x = new float[batch * 3 * 32 * 32];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = r.nextInt(10);
        }
        try (CpuBackend cpu = new CpuBackend(BackendOptions.defaults().withThreads(threads));
                Model model = name.equals("cifar-style") ? cifarStyle() : BenchModels.create(name)) {
            model.build(cpu, 0).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.01f, 0.9f));
            FitOptions one = FitOptions.of(1, batch).shuffle(false);
            double warmupSeconds = Double.parseDouble(System.getProperty("jcnn.bench.warmupSeconds", "8"));
            int warmed = warmUp(model, x, y, one, warmup, warmupSeconds);
            LayerTimes layers = new LayerTimes();
            model.timeLayers(layers);
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                model.fit(x, y, one);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            model.timeLayers(null);
            String what = name.equals("cifar-style") ? "cifar-style CNN" : name;
            System.out.println(String.format(Locale.ROOT, "jcnn %s train bs=64: %.0f images/s (%s; warm-up %d steps)",
                    what, steps * batch / seconds, cpu.device(), warmed));
            double peak = cpu.fmaPeakGflops(2.0);
            System.out.println(String.format(Locale.ROOT, "FMA peak %.1f GFLOP/s on %d threads", peak, threads));
            System.out.print(layers.report(batch, peak));
        }
    }

    /**
     * Steps until at least {@code minSteps} and {@code minSeconds} are done and two stretches of 5 steps ran
     * within 5% of each other, or 60 seconds have passed; returns the steps run.
     */
    static int warmUp(Model model, float[] x, int[] y, FitOptions one, int minSteps, double minSeconds) {
        long start = System.nanoTime();
        int done = 0;
        double previous = 0;
        while (true) {
            long t = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                model.fit(x, y, one);
            }
            done += 5;
            double rate = 5 / ((System.nanoTime() - t) / 1e9);
            double elapsed = (System.nanoTime() - start) / 1e9;
            boolean steady = previous > 0 && Math.abs(rate - previous) <= 0.05 * Math.max(rate, previous);
            if (done >= minSteps && elapsed >= minSeconds && steady || elapsed >= 60) {
                return done;
            }
            previous = rate;
        }
    }

    /** The PyTorch peer's CIFAR-style CNN. */
    static Sequential cifarStyle() {
        return new Sequential("cifar_cnn", Shape.of(3, 32, 32),
                new Conv2D(32, 3).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(32, 3).padding(Padding.SAME).activation(Activation.RELU),
                new MaxPool2D(2),
                new Conv2D(64, 3).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(64, 3).padding(Padding.SAME).activation(Activation.RELU),
                new MaxPool2D(2),
                new Flatten(),
                new Dense(512, Activation.RELU),
                new Dense(10));
    }
}
