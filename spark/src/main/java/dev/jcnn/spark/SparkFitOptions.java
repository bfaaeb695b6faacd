package dev.jcnn.spark;

/**
 * How {@link SparkTrainer#fit} trains: epochs, the batch each partition contributes to a step
 * (the global batch is that times the partitions), whether each partition's order is
 * reshuffled every epoch, and the depth of Spark's tree aggregation.
 *
 * @param epochs           passes over the data, at least 1
 * @param batchPerWorker   samples each partition contributes to a step, at least 1
 * @param shuffle          whether each partition visits its samples in a new order every epoch
 * @param seed             the seed of those orders (the same seed gives the same steps, retries included)
 * @param aggregationDepth the depth of {@code treeAggregate}, at least 1 (2, Spark's default, suits up to
 *                         tens of partitions; deeper trees spread the combining over executors)
 */
public record SparkFitOptions(int epochs, int batchPerWorker, boolean shuffle, long seed, int aggregationDepth) {

    /** @throws IllegalArgumentException naming the option out of range */
    public SparkFitOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("SparkFitOptions: epochs must be at least 1, got " + epochs);
        }
        if (batchPerWorker < 1) {
            throw new IllegalArgumentException("SparkFitOptions: batchPerWorker must be at least 1, got " + batchPerWorker);
        }
        if (aggregationDepth < 1) {
            throw new IllegalArgumentException("SparkFitOptions: aggregationDepth must be at least 1, got "
                    + aggregationDepth);
        }
    }

    /** These epochs and batch per worker, shuffled with seed 42, aggregation depth 2. */
    public static SparkFitOptions of(int epochs, int batchPerWorker) {
        return new SparkFitOptions(epochs, batchPerWorker, true, 42L, 2);
    }

    /** The same options with shuffling on or off. */
    public SparkFitOptions shuffle(boolean on) {
        return new SparkFitOptions(epochs, batchPerWorker, on, seed, aggregationDepth);
    }

    /** The same options with this shuffling seed. */
    public SparkFitOptions seed(long s) {
        return new SparkFitOptions(epochs, batchPerWorker, shuffle, s, aggregationDepth);
    }
}
