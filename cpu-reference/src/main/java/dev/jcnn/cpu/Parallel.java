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
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /** @param threads the number of threads, 0 for every available processor */
    Parallel(int threads) {
        this.threads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        this.pool = this.threads > 1 ? new ForkJoinPool(this.threads) : null;
    }

    int threads() {
        return threads;
    }

    /** The calling thread's working arrays, kept for this backend's later calls. */
    Scratch scratch() {
        return scratch.get();
    }

    /**
     * Work (in multiply-adds or elements touched, roughly) below which handing a loop to the
     * other threads costs more than it saves: waking them takes microseconds.
     */
    static final long SERIAL_WORK = 1 << 16;

    /** Like {@link #forRange(int, RangeBody)}, but on the calling thread alone when the whole loop is small. */
    void forRange(int n, long work, RangeBody body) {
        if (work < SERIAL_WORK) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        forRange(n, body);
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
