package dev.jcnn.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** The batches of a dataset, in its order; the last batch holds the remainder. */
public final class Batches implements Iterable<Batch> {

    private final Dataset data;
    private final int batchSize;

    public Batches(Dataset data, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size " + batchSize + ": expected a positive size");
        }
        this.data = data;
        this.batchSize = batchSize;
    }

    /** How many batches there are: ceil(size / batchSize). */
    public int count() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batch number {@code k}, counting from 0. */
    public Batch get(int k) {
        if (k < 0 || k >= count()) {
            throw new IndexOutOfBoundsException("batch " + k + " of " + count());
        }
        int from = k * batchSize;
        return data.batch(from, Math.min(from + batchSize, data.size()));
    }

    @Override
    public Iterator<Batch> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return get(next++);
            }
        };
    }
}
