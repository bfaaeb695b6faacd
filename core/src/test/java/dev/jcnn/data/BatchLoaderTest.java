package dev.jcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.tensor.Shape;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Batches prepared on background threads: the same for any thread count, bounded, errors passed on, threads ended. */
class BatchLoaderTest {

    private static final Shape SHAPE = Shape.of(1, 6, 6);

    /** n images of seeded values; each read takes a little while and records its thread. */
    private static final class SlowSource implements SampleSource {
        final int n;
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final AtomicInteger reads = new AtomicInteger();
        final int failAt;

        SlowSource(int n, int failAt) {
            this.n = n;
            this.failAt = failAt;
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public Shape sampleShape() {
            return SHAPE;
        }

        @Override
        public void copySample(int index, float[] dst, int offset) {
            threads.add(Thread.currentThread().getName());
            reads.incrementAndGet();
            if (index == failAt) {
                throw new UncheckedIOException("sample " + index + " is unreadable", new java.io.IOException("disk"));
            }
            for (int i = 0; i < SHAPE.size(); i++) {
                dst[offset + i] = ((index * 31 + i * 7) % 97) / 97f;
            }
            if (index % 16 == 0) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public Targets targets() {
            return Targets.CLASS_LABELS;
        }

        @Override
        public int label(int index) {
            return index % 5;
        }
    }

    private static List<Batch> all(Batches b, int epoch, int threads) {
        List<Batch> out = new ArrayList<>();
        try (BatchLoader loader = BatchLoader.of(b, epoch, threads, Math.max(1, 2 * threads))) {
            while (loader.hasNext()) {
                out.add(loader.next());
            }
        }
        return out;
    }

    private static long loaderThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(BatchLoader.THREAD_PREFIX) && t.isAlive()).count();
    }

    @Test
    void anyThreadCountGivesTheSameBatchesBitForBitInTheSameOrder() {
        SlowSource data = new SlowSource(203, -1);
        Batches b = new Batches(data, 16).shuffled(3).augmented(Augmentation.parse("crop:2,flip,shift:1"), 8);
        for (int epoch = 1; epoch <= 2; epoch++) {
            List<Batch> reference = new ArrayList<>();
            b.epoch(epoch).forEach(reference::add);
            for (int threads : new int[] {0, 1, 2, 4}) {
                List<Batch> got = all(b, epoch, threads);
                assertEquals(reference.size(), got.size());
                for (int k = 0; k < got.size(); k++) {
                    assertArrayEquals(reference.get(k).images(), got.get(k).images(),
                            threads + " threads, epoch " + epoch + ", batch " + k);
                    assertArrayEquals(reference.get(k).labels(), got.get(k).labels());
                }
            }
        }
        assertTrue(data.threads.stream().filter(n -> n.startsWith(BatchLoader.THREAD_PREFIX)).count() >= 4,
                "read on the loaders' threads: " + data.threads);
        assertEquals(0, loaderThreadsAlive(), "every thread ended");
    }

    @Test
    void aWorkersExceptionIsThrownOnTheTakingThreadWithItsMessageAndTheThreadsEnd() {
        // sample 70 is in batch 4 of the unshuffled epoch
        Batches b = new Batches(new SlowSource(160, 70), 16);
        BatchLoader loader = BatchLoader.of(b, 1, 3, 6);
        for (int k = 0; k < 4; k++) {
            assertEquals(16, loader.next().size());
        }
        UncheckedIOException e = assertThrows(UncheckedIOException.class, loader::next);
        assertEquals("sample 70 is unreadable", e.getMessage());
        assertTrue(e.getSuppressed().length == 1
                && e.getSuppressed()[0].getMessage().contains("batch 4 of epoch 1 on a background thread"));
        assertFalse(loader.hasNext(), "closed after the error");
        assertThrows(NoSuchElementException.class, loader::next);
        assertTrue(loader.pool().isTerminated());
        assertEquals(0, loaderThreadsAlive());
        loader.close(); // a second close does nothing
    }

    @Test
    void closingEarlyDropsTheRestAndEndsEveryThread() {
        SlowSource data = new SlowSource(16 * 100, -1);
        Batches b = new Batches(data, 16);
        try (BatchLoader loader = BatchLoader.of(b, 1, 4, 8)) {
            loader.next();
            loader.next();
            assertEquals(4, loader.threadsStarted());
        }
        assertEquals(0, loaderThreadsAlive());
        int reads = data.reads.get();
        assertTrue(reads <= 16 * (2 + 8 + 4), "at most the batches ahead were read: " + reads);
        assertEquals(reads, data.reads.get(), "and nothing after close");
    }

    @Test
    void noMoreThanDepthBatchesAreAheadOfTheTakingThread() throws InterruptedException {
        SlowSource data = new SlowSource(16 * 40, -1);
        try (BatchLoader loader = BatchLoader.of(new Batches(data, 16), 1, 2, 3)) {
            loader.next();
            // the workers run ahead (waited for up to 10 s on a busy machine) ...
            long until = System.nanoTime() + 10_000_000_000L;
            while (data.reads.get() < 4 * 16 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            Thread.sleep(100);
            // ... but no further than the depth: the batch taken and 3 ahead
            int readBatches = data.reads.get() / 16;
            assertEquals(4, readBatches, "read " + readBatches + " batches, depth 3 after 1 taken");
        }
    }

    @Test
    void withoutThreadsEachBatchIsReadWhenTakenAndBadSettingsAreRefused() {
        SlowSource data = new SlowSource(40, -1);
        try (BatchLoader loader = BatchLoader.of(new Batches(data, 16), 1, 0, 0)) {
            assertEquals(0, data.reads.get());
            loader.next();
            assertEquals(16, data.reads.get());
            assertEquals(0, loader.threadsStarted());
            assertSame(null, loader.pool());
        }
        assertTrue(data.threads.equals(Set.of(Thread.currentThread().getName())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchLoader.of(new Batches(data, 16), 1, 4, 2));
        assertTrue(e.getMessage().contains("4 threads, 2 batches ahead"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.of(new Batches(data, 16), 1, -1, 2));
    }
}
