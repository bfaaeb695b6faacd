package dev.jcnn.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Numerics;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.data.ByteImageDataset;
import dev.jcnn.data.Mnist;
import dev.jcnn.layers.Parameter;
import dev.jcnn.model.Sequential;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tolerance;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.train.TrainingListener;
import dev.jcnn.zoo.ModelZoo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * End to end: LeNet-5 built from one seed on each backend, 50 SGD steps (momentum 0.9) on the
 * same real MNIST batches (the first 1,600 images of the test slice, in order). The running
 * losses agree to 1e-3 relative at every step and the final weights within tolerance.
 * MNIST comes from -Djcnn.mnist.dir, by default samples' test slice.
 */
class LeNetParityTest {

    private static final int STEPS = 50;
    private static final int BATCH = 32;

    /** Float rounding differs a little in every op (about 1e-6 relative); 50 steps of SGD compound it. */
    private static final Tolerance WEIGHTS = Tolerance.of(1e-2, 1e-3);

    static Sequential lenet5() {
        return ModelZoo.lenet5();
    }

    /** The running mean loss after each step, and the final weights by parameter name. */
    private record Trained(double[] runningLoss, List<String> names, List<float[]> weights, List<Shape> shapes) {
    }

    private static Trained train(Backend backend, float[] x, int[] labels) {
        double[] running = new double[STEPS];
        try (Sequential m = lenet5()) {
            m.build(backend, 1998).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f));
            m.fit(x, labels, FitOptions.of(1, BATCH).shuffle(false).listener(new TrainingListener() {
                @Override
                public void onBatchEnd(int epoch, int batch, double runningLoss, double runningAccuracy) {
                    running[batch - 1] = runningLoss;
                }
            }));
            List<String> names = new ArrayList<>();
            List<float[]> weights = new ArrayList<>();
            List<Shape> shapes = new ArrayList<>();
            for (Parameter p : m.parameters()) {
                names.add(p.name());
                weights.add(p.value().toArray());
                shapes.add(p.value().shape());
            }
            return new Trained(running, names, weights, shapes);
        }
    }

    @Test
    void fiftySgdStepsOnMnistAgreeWithTheCpu() throws IOException {
        GpuTests.assumeGpu();
        Batches data = mnist();
        Trained cpu;
        try (Backend b = new CpuBackend(BackendOptions.exact())) {
            cpu = train(b, data.x(), data.labels());
        }
        Trained gpu;
        try (Backend b = GpuTests.backend(Numerics.EXACT)) {
            gpu = train(b, data.x(), data.labels());
        }
        assertAgree(cpu, gpu, "gpu");
    }

    /** The same comparison, CPU against CPU on another thread count: the test's own logic, checked without a GPU. */
    @Test
    void theComparisonItselfRunsHereOnTwoCpuConfigurations() throws IOException {
        Batches data = mnist();
        Trained one;
        try (Backend b = new CpuBackend(BackendOptions.exact().withThreads(1))) {
            one = train(b, data.x(), data.labels());
        }
        Trained two;
        try (Backend b = new CpuBackend(BackendOptions.exact().withThreads(2))) {
            two = train(b, data.x(), data.labels());
        }
        assertAgree(one, two, "cpu (2 threads)");
    }

    private record Batches(float[] x, int[] labels) {
    }

    private static Batches mnist() throws IOException {
        Path dir = Path.of(System.getProperty("jcnn.mnist.dir", "../samples/src/test/resources/mnist-slice"));
        ByteImageDataset train = Mnist.read(Mnist.locate(dir, Mnist.TRAIN_IMAGES), Mnist.locate(dir, Mnist.TRAIN_LABELS));
        int n = STEPS * BATCH;
        float[] x = Arrays.copyOf(train.images(), n * 28 * 28);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = train.label(i);
        }
        return new Batches(x, labels);
    }

    private static void assertAgree(Trained cpu, Trained other, String name) {
        StringBuilder losses = new StringBuilder("step  cpu loss     " + name + " loss     rel diff\n");
        double worst = 0;
        for (int s = 0; s < STEPS; s++) {
            double rel = Math.abs(other.runningLoss()[s] - cpu.runningLoss()[s]) / Math.abs(cpu.runningLoss()[s]);
            worst = Math.max(worst, rel);
            losses.append(String.format("%4d  %.8f  %.8f  %.2e%n", s + 1, cpu.runningLoss()[s], other.runningLoss()[s],
                    rel));
        }
        System.out.println("LeNet-5, " + STEPS + " SGD steps of " + BATCH + " MNIST images\n" + losses);
        assertTrue(worst <= 1e-3, "running losses differ by up to " + worst + " relative\n" + losses);
        assertTrue(cpu.runningLoss()[STEPS - 1] < cpu.runningLoss()[0], "the loss did not fall: " + losses);
        assertEquals(cpu.names(), other.names());
        for (int i = 0; i < cpu.names().size(); i++) {
            AllClose.assertClose("weights " + cpu.names().get(i) + " after " + STEPS + " steps", cpu.shapes().get(i),
                    other.weights().get(i), cpu.weights().get(i), WEIGHTS);
        }
    }
}
