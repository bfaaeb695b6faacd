package dev.jcnn.bench;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.model.Sequential;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import jdk.jfr.Recording;

/**
 * Trains LeNet-5 on MNIST with {@code Model.fit} and prints images/s in the form of the
 * PyTorch peer ({@code pytorch_lenet.py}): same model, SGD with momentum 0.9 and learning
 * rate 0.05, two threads unless THREADS says otherwise. It also prints the CPU time per
 * image, the live heap after a full collection while the model is still alive (the training
 * data and the framework's tensors and buffers; the data's own size is printed beside it) and
 * the process's peak resident memory.
 *
 * <p>usage: {@code TrainBench MNIST_DIR [steps=300] [batch=64] [warm-up steps=300]}. The
 * warm-up trains on the same samples first, for at least that many steps and at least
 * {@code -Djcnn.bench.warmupSeconds} (8) seconds, so that the JIT has compiled the hot loops
 * even on a busy machine (the peer runs 20 untimed steps; it has no JIT). With {@code -Djcnn.bench.jfr=FILE} the timed steps alone are
 * recorded with Flight Recorder, sampling every millisecond, for {@code scripts/jfr-top.py}.
 */
public final class TrainBench {

    private TrainBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: TrainBench MNIST_DIR [steps=300] [batch=64] [warmup=300]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        int threads = Integer.parseInt(System.getenv().getOrDefault("THREADS", "2"));
        MnistFiles.Slice timed = MnistFiles.train(dir).slice(0, steps * batch);
        double dataMb = (timed.images().length * 4.0 + timed.labels().length * 4.0) / (1024 * 1024);
        try (CpuBackend cpu = new CpuBackend(BackendOptions.defaults().withThreads(threads));
                Sequential model = ModelZoo.lenet5()) {
            model.build(cpu, 0).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f));
            long warmUntil = System.nanoTime() + (long) (Double.parseDouble(
                    System.getProperty("jcnn.bench.warmupSeconds", "8")) * 1e9);
            for (int done = 0; done < warmup || System.nanoTime() < warmUntil; done += steps) {
                model.fit(timed.images(), timed.labels(), FitOptions.of(1, batch).seed(1));
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
                    "jcnn cpu bs=%d steps=%d images/s=%.0f s/epoch=%.2f loss=%.3f threads=%d cpu_us/image=%.0f "
                            + "live_heap_mb=%.0f data_mb=%.0f peak_rss_mb=%.0f (%s)",
                    batch, steps, rate, 60000 / rate, h.last().loss(), threads, cpuSeconds * 1e6 / (steps * (double) batch),
                    Memory.liveHeapMb(), dataMb, Memory.peakRssMb(), cpu.device()));
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
