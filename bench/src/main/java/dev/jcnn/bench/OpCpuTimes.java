package dev.jcnn.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * The CPU time of each {@link OpBenchmarks} op on one thread, measured with the thread's own
 * CPU clock: on a machine shared with other work, wall-clock time drifts with the load,
 * while the CPU time an op needs stays close to steady. The best of several rounds per op.
 *
 * <p>usage: {@code OpCpuTimes [batch=64] [rounds=7] [filter]}
 */
public final class OpCpuTimes {

    private OpCpuTimes() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        String filter = args.length > 2 ? args[2] : "";
        OpBenchmarks ops = new OpBenchmarks();
        ops.batch = batch;
        ops.threads = 1;
        ops.setUp();
        ThreadMXBean clock = ManagementFactory.getThreadMXBean();
        double total = 0;
        try {
            for (Method m : OpBenchmarks.class.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(org.openjdk.jmh.annotations.Benchmark.class) || !m.getName().contains(filter)) {
                    continue;
                }
                long until = System.nanoTime() + 1_500_000_000L;
                while (System.nanoTime() < until) {
                    m.invoke(ops);
                }
                double best = Double.MAX_VALUE;
                for (int r = 0; r < rounds; r++) {
                    int calls = 20;
                    long start = clock.getCurrentThreadCpuTime();
                    for (int i = 0; i < calls; i++) {
                        m.invoke(ops);
                    }
                    best = Math.min(best, (clock.getCurrentThreadCpuTime() - start) / 1e3 / calls);
                }
                total += best;
                System.out.println(String.format(Locale.ROOT, "%-24s %9.1f us per batch of %d, %6.2f us per image",
                        m.getName(), best, batch, best / batch));
            }
            System.out.println(String.format(Locale.ROOT, "%-24s %9.1f us per batch, %6.2f us per image", "sum", total,
                    total / batch));
        } finally {
            ops.tearDown();
        }
    }
}
