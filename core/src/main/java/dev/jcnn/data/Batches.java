package dev.jcnn.data;

import dev.jcnn.tensor.Shape;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * The batches of a {@link SampleSource}, epoch by epoch: in the source's order, or shuffled
 * anew each epoch from a seed. The last batch of an epoch holds the remainder. A batch is
 * read from the source when it is drawn, so the source is never held in one array.
 *
 * <p>A shuffled epoch's order depends only on (seed, epoch): epoch 3 of a run resumed from a
 * checkpoint sees the same batches as epoch 3 of a run that never stopped. With an
 * {@link Augmentation} each sample is changed as drawn from (seed, epoch, sample index), so a
 * batch is a function of (epoch, batch number) alone: {@link #batch(int, int, int[])} may be
 * called from several threads at once, in any order, and gives the same values.
 */
public final class Batches implements Iterable<Batch> {

    private final SampleSource data;
    private final int batchSize;
    private final Long seed;
    private final Augmentation augmentation;
    private final long augmentationSeed;

    /** The batches of batchSize samples in the source's order. */
    public Batches(SampleSource data, int batchSize) {
        this(data, batchSize, null, Augmentation.none(), 0);
    }

    private Batches(SampleSource data, int batchSize, Long seed, Augmentation augmentation, long augmentationSeed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size " + batchSize + ": expected a positive size");
        }
        if (data == null) {
            throw new IllegalArgumentException("batches need a source of samples, got null");
        }
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        this.augmentation = augmentation;
        this.augmentationSeed = augmentationSeed;
    }

    /** The same batching, each epoch in an order drawn from (seed, epoch). */
    public Batches shuffled(long shuffleSeed) {
        return new Batches(data, batchSize, shuffleSeed, augmentation, augmentationSeed);
    }

    /**
     * The same batching with each input changed by the augmentation as drawn from (seed,
     * epoch, the sample's index in the source).
     *
     * @throws IllegalArgumentException when the samples are not images (C, H, W) with class
     *                                  labels or no targets: moving an input away from its
     *                                  target tensor would teach the wrong target
     */
    public Batches augmented(Augmentation a, long seed) {
        if (a == null) {
            throw new IllegalArgumentException("augmented: expected an augmentation (Augmentation.none() for none), got null");
        }
        a.check(data.sampleShape());
        if (!a.isNone() && data.targets() == Targets.TENSORS) {
            throw new IllegalArgumentException("augmentation " + a + " moves the inputs but not their target tensors of"
                    + " shape " + data.targetShape() + "; augment only sources with class labels");
        }
        return new Batches(data, batchSize, this.seed, a, seed);
    }

    /** The augmentation applied to each input; {@link Augmentation#none()} unless {@link #augmented}. */
    public Augmentation augmentation() {
        return augmentation;
    }

    /** How many batches an epoch has: ceil(size / batchSize). */
    public int count() {
        // in long: a batch size near Integer.MAX_VALUE must not wrap the sum to a negative count
        return (int) ((data.size() + (long) batchSize - 1) / batchSize);
    }

    public int batchSize() {
        return batchSize;
    }

    /** The source the batches are read from. */
    public SampleSource source() {
        return data;
    }

    /**
     * The order of the samples in an epoch (counted from 1): 0, 1, 2, ... unshuffled, else a
     * Fisher-Yates shuffle drawn from {@code new Random(seed · 1,000,003 + epoch)}.
     */
    public int[] order(int epoch) {
        int[] order = shuffledOrder(epoch);
        if (order == null) {
            order = new int[data.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
        }
        return order;
    }

    /** The epoch's shuffled order, or null when the batches keep the source's order. */
    private int[] shuffledOrder(int epoch) {
        if (seed == null) {
            return null;
        }
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random r = new Random(seed * 1_000_003L + epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The batches of an epoch (counted from 1), each read from the source as it is drawn. */
    public Iterable<Batch> epoch(int epoch) {
        return () -> new Iterator<>() {
            private final int[] order = shuffledOrder(epoch);
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
                return read(order, epoch, next++);
            }
        };
    }

    /**
     * Batch number {@code k} (from 0) of an epoch (from 1), given that epoch's {@link #order}:
     * the same values whichever thread asks and whenever, as only (epoch, k) decide them.
     * The source is read from the calling thread, so sources read this way from several
     * threads must allow it (the ones in this package do).
     */
    public Batch batch(int epoch, int k, int[] order) {
        if (k < 0 || k >= count()) {
            throw new IndexOutOfBoundsException("batch " + k + " of " + count());
        }
        if (order.length != data.size()) {
            throw new IllegalArgumentException("an order of " + order.length + " samples for a source of "
                    + data.size());
        }
        return read(order, epoch, k);
    }

    /** Batch number {@code k} of the first epoch, counting from 0. */
    public Batch get(int k) {
        if (k < 0 || k >= count()) {
            throw new IndexOutOfBoundsException("batch " + k + " of " + count());
        }
        return read(shuffledOrder(1), 1, k);
    }

    /** The batches of the first epoch. */
    @Override
    public Iterator<Batch> iterator() {
        return epoch(1).iterator();
    }

    /** Batch k of an epoch in an order (null: the source's own). */
    private Batch read(int[] order, int epoch, int k) {
        int from = Math.multiplyExact(k, batchSize);
        int to = (int) Math.min((long) from + batchSize, data.size());
        int n = to - from;
        Shape shape = data.sampleShape().withBatch(n);
        int per = data.sampleShape().size();
        float[] x = new float[shape.size()];
        float[] scratch = augmentation.isNone() ? null : new float[per];
        for (int i = 0; i < n; i++) {
            int index = order == null ? from + i : order[from + i];
            data.copySample(index, x, i * per);
            augmentation.apply(x, i * per, data.sampleShape(), augmentationSeed, epoch, index, scratch);
        }
        return switch (data.targets()) {
            case CLASS_LABELS -> {
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = data.label((order == null ? from + i : order[from + i]));
                }
                yield new Batch(shape, x, labels);
            }
            case TENSORS -> {
                Shape targetShape = data.targetShape().withBatch(n);
                int perTarget = data.targetShape().size();
                float[] t = new float[targetShape.size()];
                for (int i = 0; i < n; i++) {
                    data.copyTarget((order == null ? from + i : order[from + i]), t, i * perTarget);
                }
                yield new Batch(shape, x, null, targetShape, t);
            }
            case NONE -> new Batch(shape, x, null);
        };
    }
}
