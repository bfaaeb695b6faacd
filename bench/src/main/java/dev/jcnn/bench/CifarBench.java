package dev.jcnn.bench;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Padding;
import dev.jcnn.model.Sequential;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training images/s of the PyTorch peer's CIFAR-style CNN (32×32×3: conv32, conv32, pool,
 * conv64, conv64, pool, dense 512, dense 10) on random data, batch 64: a heavier model than
 * LeNet, whose time is mostly in 3×3 convolutions with 32 and 64 channels.
 *
 * <p>usage: {@code CifarBench [steps=30] [warm-up steps=15]}; THREADS sets the threads (2).
 */
public final class CifarBench {

    private CifarBench() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 15;
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
                Sequential model = new Sequential("cifar_cnn", Shape.of(3, 32, 32),
                        new Conv2D(32, 3).padding(Padding.SAME).activation(Activation.RELU),
                        new Conv2D(32, 3).padding(Padding.SAME).activation(Activation.RELU),
                        new MaxPool2D(2),
                        new Conv2D(64, 3).padding(Padding.SAME).activation(Activation.RELU),
                        new Conv2D(64, 3).padding(Padding.SAME).activation(Activation.RELU),
                        new MaxPool2D(2),
                        new Flatten(),
                        new Dense(512, Activation.RELU),
                        new Dense(10))) {
            model.build(cpu, 0).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.01f, 0.9f));
            FitOptions one = FitOptions.of(1, batch).shuffle(false);
            for (int i = 0; i < warmup; i++) {
                model.fit(x, y, one);
            }
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                model.fit(x, y, one);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println(String.format(Locale.ROOT, "jcnn cifar-style CNN train bs=64: %.0f images/s (%s)",
                    steps * batch / seconds, cpu.device()));
        }
    }
}
