package dev.jcnn.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a loop over independent indices (samples, groups, tiles) on a fixed number of
 * threads: the calling thread and threads − 1 workers of this backend. Each index must write
 * only its own outputs, so results never depend on the thread count or on scheduling.
 *
 * <p>A training step issues a few dozen loops back to back, each often under a millisecond,
 * so waking threads must be cheap: as OpenMP runtimes do, an idle worker spins for a short
 * while ({@link #SPIN_NANOS}) before it parks, and a new loop reaches a spinning worker in
 * well under a microsecond. (A ForkJoinPool round trip costs tens of microseconds here.)
 */
final class Parallel implements AutoCloseable {

    /** A loop body over the indices [from, to); it may allocate its scratch once per call. */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Work (in multiply-adds or elements touched, roughly) below which handing a loop to the
     * other threads costs more than it saves.
     */
    static final long SERIAL_WORK = 1 << 16;

    /** How long an idle worker spins, waiting for the next loop, before it parks. */
    static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Worker[] workers;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    /** The loop being run; a new one is published by bumping {@link #epoch}. */
    private volatile Loop current;
    private final AtomicInteger epoch = new AtomicInteger();
    private volatile boolean closed;

    /** @param threads the number of threads, 0 for every available processor */
    Parallel(int threads) {
        this.threads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        this.workers = new Worker[this.threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    int threads() {
        return threads;
    }

    /** The calling thread's working arrays, kept for this backend's later calls. */
    Scratch scratch() {
        return scratch.get();
    }

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
     * balance out; the calling thread takes chunks too. Returns when every chunk is done and
     * rethrows the first failure. A loop started from inside another runs on the calling thread.
     */
    void forRange(int n, RangeBody body) {
        if (workers.length == 0 || n <= 1 || Thread.currentThread() instanceof Worker) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        Loop loop = new Loop(n, Math.min(n, threads * 4), body, Thread.currentThread());
        current = loop;
        epoch.incrementAndGet();
        for (Worker w : workers) {
            if (w.parked) {
                LockSupport.unpark(w);
            }
        }
        loop.share();
        loop.await();
        Throwable failure = loop.failure;
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** Stops the workers; the backend runs no loop afterwards. */
    @Override
    public void close() {
        closed = true;
        epoch.incrementAndGet();
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** One call of forRange: its chunks, handed out one at a time, and the count still running. */
    private static final class Loop {
        private final int n;
        private final int chunks;
        private final RangeBody body;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger unfinished;
        private volatile Throwable failure;

        Loop(int n, int chunks, RangeBody body, Thread caller) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
            this.caller = caller;
            this.unfinished = new AtomicInteger(chunks);
        }

        void share() {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    if (failure == null) {
                        body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                    }
                } catch (RuntimeException | Error e) {
                    if (failure == null) {
                        failure = e;
                    }
                } finally {
                    if (unfinished.decrementAndGet() == 0) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        /** Returns when every chunk has finished: spins briefly, then parks until the last one unparks it. */
        void await() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (unfinished.get() > 0) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 100_000);
                }
            }
        }
    }

    /** A worker: takes chunks of each new loop, spins a while when idle, then parks. */
    private final class Worker extends Thread {
        private volatile boolean parked;

        Worker(int index) {
            super("jcnn-cpu-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            int seen = epoch.get();
            while (!closed) {
                int now = epoch.get();
                if (now != seen) {
                    seen = now;
                    Loop loop = current;
                    if (loop != null) {
                        loop.share();
                    }
                    continue;
                }
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (epoch.get() == seen && System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                }
                if (epoch.get() == seen && !closed) {
                    parked = true;
                    if (epoch.get() == seen && !closed) {
                        LockSupport.park(this);
                    }
                    parked = false;
                }
            }
        }
    }
}
