package dev.jcnn.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Runs a loop over independent indices (samples, filters, channels) on a fixed number of
 * threads. Each index must write only its own outputs, so results never depend on the
 * thread count or on scheduling.
 */
final class Parallel implements AutoCloseable {

    /** A loop body over the indices [from, to); it may allocate its scratch once per call. */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    private final int threads;
    private final ForkJoinPool pool;

    /** @param threads the number of threads, 0 for every available processor */
    Parallel(int threads) {
        this.threads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        this.pool = this.threads > 1 ? new ForkJoinPool(this.threads) : null;
    }

    int threads() {
        return threads;
    }

    /**
     * Runs body over [0, n) in contiguous chunks, a few per thread so that uneven chunks
     * balance out; returns when every chunk is done and rethrows the first failure.
     */
    void forRange(int n, RangeBody body) {
        if (pool == null || n <= 1) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        int chunks = Math.min(n, threads * 4);
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks.add(ForkJoinTask.adapt(() -> body.run(from, to)));
        }
        if (ForkJoinTask.inForkJoinPool() && ForkJoinTask.getPool() == pool) {
            ForkJoinTask.invokeAll(tasks);
        } else {
            pool.invoke(ForkJoinTask.adapt(() -> ForkJoinTask.invokeAll(tasks)));
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
