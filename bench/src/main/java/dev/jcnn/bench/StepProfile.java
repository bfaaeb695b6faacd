package dev.jcnn.bench;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.model.Sequential;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one LeNet-5 training step spends its CPU time, op by op: the model trains on a
 * backend wrapped in a proxy that reads the calling thread's CPU clock around every call.
 * Run with THREADS=1 (the default here), so that the calling thread does all the work and
 * the clock sees it; ops are told apart by name and input shape, and the rest of the step
 * (the model's own bookkeeping) is what remains of the total.
 *
 * <p>usage: {@code StepProfile MNIST_DIR [steps=200] [batch=64]}
 */
public final class StepProfile {

    private StepProfile() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int threads = Integer.parseInt(System.getenv().getOrDefault("THREADS", "1"));
        MnistFiles.Slice data = MnistFiles.train(dir).slice(0, steps * batch);
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        Map<String, long[]> times = new TreeMap<>();
        boolean[] on = {false};
        try (CpuBackend cpu = new CpuBackend(BackendOptions.defaults().withThreads(threads));
                Sequential model = ModelZoo.lenet5()) {
            Backend timed = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                    (proxy, method, margs) -> {
                        long start = clock.getCurrentThreadCpuTime();
                        try {
                            return method.invoke(cpu, margs);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        } finally {
                            if (on[0]) {
                                String shape = margs != null && margs.length > 0 && margs[0] instanceof Tensor t
                                        ? t.shape().toString() : "";
                                long[] slot = times.computeIfAbsent(method.getName() + " " + shape, k -> new long[2]);
                                slot[0] += clock.getCurrentThreadCpuTime() - start;
                                slot[1]++;
                            }
                        }
                    });
            model.build(timed, 0).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f));
            long warmUntil = System.nanoTime() + 8_000_000_000L;
            while (System.nanoTime() < warmUntil) {
                model.fit(data.images(), data.labels(), FitOptions.of(1, batch).seed(1));
            }
            on[0] = true;
            long start = clock.getCurrentThreadCpuTime();
            model.fit(data.images(), data.labels(), FitOptions.of(1, batch).seed(2));
            double total = (clock.getCurrentThreadCpuTime() - start) / 1e3 / steps / batch;
            double ops = 0;
            for (Map.Entry<String, long[]> e : times.entrySet()) {
                double perImage = e.getValue()[0] / 1e3 / steps / batch;
                ops += perImage;
                if (perImage >= 0.05) {
                    System.out.println(String.format(Locale.ROOT, "%7.2f us/image  %5.1f%%  %s (%d calls)", perImage,
                            100 * perImage / total, e.getKey(), e.getValue()[1]));
                }
            }
            System.out.println(String.format(Locale.ROOT, "%7.2f us/image  %5.1f%%  every backend call", ops, 100 * ops / total));
            System.out.println(String.format(Locale.ROOT, "%7.2f us/image  %5.1f%%  the step on the calling thread, %s",
                    total, 100.0, cpu.device()));
        }
    }
}
