package dev.jcnn.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The batches of one epoch, prepared (read, augmented, packed) on background threads ahead of
 * the thread that takes them: at most {@code depth} batches are in preparation or waiting, so
 * memory stays bounded, and they are handed out in the epoch's order. As each batch depends
 * only on (epoch, batch number) ({@link Batches#batch}), the batches are the same, bit for
 * bit, for any number of threads. With 0 threads each batch is read by {@link #next} itself.
 *
 * <p>An exception thrown while a batch is prepared is thrown by the {@link #next} that would
 * have returned it, on the taking thread, with its own message and type. {@link #close} stops
 * the threads: batches not yet started are dropped, the ones being read are finished (a read
 * is never interrupted, as interrupting a thread that reads a file channel closes the
 * channel for everyone), and it returns once every thread has ended.
 */
public final class BatchLoader implements Iterator<Batch>, AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(BatchLoader.class);
    /** Names the loader threads: "jcnn-batches-L-T" for thread T of loader L. */
    public static final String THREAD_PREFIX = "jcnn-batches-";
    private static final AtomicInteger LOADERS = new AtomicInteger();

    private final Batches batches;
    private final int epoch;
    private final int[] order;
    private final int count;
    private final ThreadPoolExecutor pool;
    private final List<Thread> threads = new ArrayList<>();
    private final ArrayDeque<Future<Batch>> ahead = new ArrayDeque<>();
    private int submitted;
    private int taken;
    private long waitNanos;
    private boolean closed;

    private BatchLoader(Batches batches, int epoch, int threadCount, int depth) {
        this.batches = batches;
        this.epoch = epoch;
        this.order = batches.order(epoch);
        this.count = batches.count();
        if (threadCount == 0) {
            this.pool = null;
            return;
        }
        String prefix = THREAD_PREFIX + LOADERS.incrementAndGet() + "-";
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            synchronized (threads) {
                threads.add(t);
            }
            return t;
        };
        this.pool = new ThreadPoolExecutor(threadCount, threadCount, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                factory);
        try {
            while (submitted < Math.min(depth, count)) {
                submit();
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * The batches of an epoch (from 1), prepared by {@code threads} background threads up to
     * {@code depth} batches ahead; 0 threads reads each one when it is taken.
     *
     * @throws IllegalArgumentException when threads is negative, or positive with depth below it
     */
    public static BatchLoader of(Batches batches, int epoch, int threads, int depth) {
        if (batches == null) {
            throw new IllegalArgumentException("a batch loader needs batches, got null");
        }
        if (threads < 0 || threads > 0 && depth < threads) {
            throw new IllegalArgumentException("batch loader: " + threads + " threads, " + depth + " batches ahead;"
                    + " expected 0 threads, or at least as many batches ahead as threads");
        }
        return new BatchLoader(batches, epoch, threads, depth);
    }

    private void submit() {
        int k = submitted++;
        ahead.add(pool.submit(() -> batches.batch(epoch, k, order)));
    }

    @Override
    public boolean hasNext() {
        return !closed && taken < count;
    }

    /**
     * The next batch in the epoch's order, waiting for it if it is not ready.
     *
     * @throws NoSuchElementException after the last batch, or once closed
     * @throws RuntimeException       the exception that preparing this batch threw, as it was
     */
    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException(closed ? "the batch loader is closed" : "the epoch has " + count
                    + " batches, all taken");
        }
        long start = System.nanoTime();
        try {
            if (pool == null) {
                return batches.batch(epoch, taken, order);
            }
            Future<Batch> next = ahead.poll();
            if (submitted < count) {
                submit();
            }
            return take(next);
        } finally {
            taken++;
            waitNanos += System.nanoTime() - start;
        }
    }

    private Batch take(Future<Batch> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            close();
            Throwable cause = e.getCause();
            String where = "while preparing batch " + taken + " of epoch " + epoch + " on a background thread";
            if (cause instanceof RuntimeException r) {
                r.addSuppressed(new IllegalStateException(where));
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(where + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while waiting for batch " + taken + " of epoch " + epoch, e);
        }
    }

    /** Nanoseconds {@link #next} has spent so far: waiting for batches, or reading them without threads. */
    public long waitNanos() {
        return waitNanos;
    }

    /** Background threads started so far (0 without), for tests and logs. */
    int threadsStarted() {
        synchronized (threads) {
            return threads.size();
        }
    }

    /** Drops the batches not yet started, lets the running ones finish, and waits until every thread has ended. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pool == null) {
            return;
        }
        for (Future<Batch> f : ahead) {
            f.cancel(false);
        }
        ahead.clear();
        pool.shutdown();
        List<Thread> started;
        synchronized (threads) {
            started = List.copyOf(threads);
        }
        boolean interrupted = false;
        for (Thread t : started) {
            while (t.isAlive()) {
                try {
                    t.join(10_000);
                    if (t.isAlive()) {
                        LOG.warn("batch loader thread {} is still reading a batch after 10 s; waiting on", t.getName());
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The loader's executor, terminated once closed; for tests. */
    ExecutorService pool() {
        return pool;
    }
}
