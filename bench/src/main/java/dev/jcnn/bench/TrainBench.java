package dev.jcnn.bench;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.model.FitOptions;
import dev.jcnn.model.History;
import dev.jcnn.model.Sequential;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.io.IOException;
import jdk.jfr.Recording;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Trains LeNet-5 on MNIST with {@code Model.fit} for a number of steps and prints images/s,
 * in the same form as the PyTorch peer ({@code pytorch_lenet.py}): same model, SGD with
 * momentum 0.9 and learning rate 0.05, two threads unless THREADS says otherwise.
 *
 * <p>usage: {@code TrainBench MNIST_DIR [steps] [batch] [warm-up steps]}. The warm-up lets
 * the JIT compile the hot loops first (the peer runs 20 untimed steps). With
 * {@code -Djcnn.bench.jfr=FILE} the timed steps alone are recorded with Flight Recorder,
 * sampling every millisecond, for {@code scripts/jfr-top.py}.
 */
public final class TrainBench {

    private TrainBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: TrainBench MNIST_DIR [steps=300] [batch=64] [warmup=100]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        int threads = Integer.parseInt(System.getenv().getOrDefault("THREADS", "2"));
        MnistFiles mnist = MnistFiles.train(dir);
        MnistFiles warm = mnist.slice(0, warmup * batch);
        MnistFiles timed = mnist.slice(warmup * batch, steps * batch);
        try (CpuBackend cpu = new CpuBackend(BackendOptions.defaults().withThreads(threads));
                Sequential model = LeNet5.create()) {
            model.build(cpu, 0).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f));
            if (warmup > 0) {
                model.fit(warm.images(), warm.labels(), FitOptions.of(1, batch).seed(1));
            }
            Recording recording = startRecording();
            long cpuStart = Memory.processCpuNanos();
            long start = System.nanoTime();
            History h = model.fit(timed.images(), timed.labels(), FitOptions.of(1, batch).seed(2));
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (Memory.processCpuNanos() - cpuStart) / 1e9;
            stopRecording(recording);
            double rate = steps * (double) batch / seconds;
            System.out.println(String.format(Locale.ROOT,
                    "jcnn %s bs=%d steps=%d images/s=%.0f s/epoch=%.2f loss=%.3f threads=%d cpu_us/image=%.0f",
                    cpu.device(), batch, steps, rate, 60000 / rate, h.last().loss(), threads,
                    cpuSeconds * 1e6 / (steps * (double) batch)));
        }
    }

    /** A Flight Recorder recording of the timed steps, when -Djcnn.bench.jfr names a file. */
    static Recording startRecording() throws IOException {
        String file = System.getProperty("jcnn.bench.jfr");
        if (file == null) {
            return null;
        }
        Recording r = new Recording();
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
        r.enable("jdk.GarbageCollection");
        r.enable("jdk.ObjectAllocationSample");
        r.setDestination(Path.of(file));
        r.start();
        return r;
    }

    static void stopRecording(Recording r) {
        if (r != null) {
            r.stop();
            r.close();
        }
    }
}
