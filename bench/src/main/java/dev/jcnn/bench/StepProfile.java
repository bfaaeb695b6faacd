package dev.jcnn.bench;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.model.LayerTimes;
import dev.jcnn.model.Model;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Where a training step spends its time, layer by layer ({@link LayerTimes}): forward and backward wall time
 * per step, each convolution's and dense layer's GFLOP/s and its share of the FMA peak, measured in the same
 * run on the same threads; what the layers leave of the step is the model's and the trainer's own work. Runs on
 * one thread unless THREADS says otherwise, so that the figures are one core's.
 *
 * <p>usage: {@code StepProfile MNIST_DIR|MODEL [steps=200] [batch=64]}: LeNet-5 on MNIST when the first argument
 * is a folder, else the model of that name ("cifar-style", "resnet20" or a zoo name) on random images. It warms
 * up as {@link CifarBench} does.
 */
public final class StepProfile {

    private StepProfile() {
    }

    public static void main(String[] args) throws IOException {
        String what = args.length > 0 ? args[0] : "cifar-style";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int threads = Integer.parseInt(System.getenv().getOrDefault("THREADS", "1"));
        boolean mnist = Files.isDirectory(Path.of(what));
        float[] x;
        int[] y;
        if (mnist) {
            MnistFiles.Slice data = MnistFiles.train(Path.of(what)).slice(0, batch);
            x = data.images();
            y = data.labels();
        } else {
            SplittableRandom r = new SplittableRandom(0);
            x = new float[batch * 3 * 32 * 32];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            y = r.ints(batch, 0, 10).toArray();
        }
        try (CpuBackend cpu = new CpuBackend(BackendOptions.defaults().withThreads(threads));
                Model model = mnist ? ModelZoo.lenet5() : what.equals("cifar-style") ? CifarBench.cifarStyle()
                        : BenchModels.create(what)) {
            model.build(cpu, 0).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.01f, 0.9f));
            FitOptions one = FitOptions.of(1, batch).shuffle(false);
            CifarBench.warmUp(model, x, y, one, 20, Double.parseDouble(System.getProperty("jcnn.bench.warmupSeconds", "8")));
            LayerTimes layers = new LayerTimes();
            model.timeLayers(layers);
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                model.fit(x, y, one);
            }
            double stepUs = (System.nanoTime() - start) / 1e3 / steps;
            model.timeLayers(null);
            double layerUs = 0;
            for (LayerTimes.Entry e : layers.entries()) {
                layerUs += (e.forwardNanos() + e.backwardNanos()) / 1e3 / steps;
            }
            double peak = cpu.fmaPeakGflops(2.0);
            System.out.println(String.format(Locale.ROOT, "%s, batch %d, %s; FMA peak %.1f GFLOP/s", model.name(), batch,
                    cpu.device(), peak));
            System.out.print(layers.report(batch, peak));
            System.out.println(String.format(Locale.ROOT,
                    "step %.0f us (%.2f us/image, %.0f images/s); the layers %.0f us, the rest (loss, update, bookkeeping)"
                            + " %.0f us", stepUs, stepUs / batch, batch * 1e6 / stepUs, layerUs, stepUs - layerUs));
        }
    }
}
