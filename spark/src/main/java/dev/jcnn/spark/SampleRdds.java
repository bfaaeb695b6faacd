package dev.jcnn.spark;

import dev.jcnn.data.SampleSource;
import dev.jcnn.data.Targets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/** Spark RDDs of {@link Sample}s from jcnn's sample sources (MNIST, CIFAR-10, an image folder, arrays). */
public final class SampleRdds {

    private SampleRdds() {
    }

    /**
     * The source's labelled samples as an RDD of this many partitions, in the source's order:
     * partition p holds a contiguous run of samples, as {@code parallelize} slices a list. The
     * samples are read on the driver (so the source must fit in its memory) and shipped to
     * every executor once, as a broadcast: the RDD's tasks carry only their partition's range,
     * and an executor that is lost fetches the broadcast again. A data set larger than the
     * driver's memory is read by the executors from shared storage with Spark's own readers.
     *
     * @throws IllegalArgumentException when the source has no samples, its targets are not class
     *                                  labels, or partitions is not positive
     */
    public static JavaRDD<Sample> of(JavaSparkContext sc, SampleSource source, int partitions) {
        if (source == null || source.size() == 0) {
            throw new IllegalArgumentException("SampleRdds.of: no samples" + (source == null ? " (null)" : ""));
        }
        if (source.targets() != Targets.CLASS_LABELS) {
            throw new IllegalArgumentException("SampleRdds.of: the samples need class labels, but their targets are "
                    + source.targets());
        }
        if (partitions < 1 || partitions > source.size()) {
            throw new IllegalArgumentException("SampleRdds.of: partitions must be 1 to the " + source.size()
                    + " samples, got " + partitions);
        }
        int n = source.size();
        int size = source.sampleShape().size();
        if ((long) n * size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("SampleRdds.of: " + n + " samples of " + size + " values are more than one"
                    + " array holds; read them on the executors instead");
        }
        float[] values = new float[n * size];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            source.copySample(i, values, i * size);
            labels[i] = source.label(i);
        }
        Broadcast<float[]> sharedValues = sc.broadcast(values);
        Broadcast<int[]> sharedLabels = sc.broadcast(labels);
        List<int[]> ranges = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            // the slices parallelize makes: [p·n/P, (p+1)·n/P)
            ranges.add(new int[] {(int) ((long) p * n / partitions), (int) ((long) (p + 1) * n / partitions)});
        }
        return sc.parallelize(ranges, partitions).flatMap(range -> {
            float[] v = sharedValues.value();
            int[] l = sharedLabels.value();
            List<Sample> out = new ArrayList<>(range[1] - range[0]);
            for (int i = range[0]; i < range[1]; i++) {
                out.add(new Sample(Arrays.copyOfRange(v, i * size, (i + 1) * size), l[i]));
            }
            return out.iterator();
        });
    }
}
