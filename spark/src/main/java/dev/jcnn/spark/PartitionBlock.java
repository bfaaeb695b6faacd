package dev.jcnn.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The samples of one partition gathered into two arrays, cached by Spark, so that a step's
 * task reads its slice by index instead of walking the partition's records.
 */
final class PartitionBlock implements Serializable {

    private static final long serialVersionUID = 1L;

    final int partition;
    final int sampleSize;
    final float[] values;
    final int[] labels;

    private PartitionBlock(int partition, int sampleSize, float[] values, int[] labels) {
        this.partition = partition;
        this.sampleSize = sampleSize;
        this.values = values;
        this.labels = labels;
    }

    int count() {
        return labels.length;
    }

    /** The partition's samples in one block; every sample must have the first one's size. */
    static PartitionBlock of(int partition, Iterator<Sample> samples) {
        List<Sample> all = new ArrayList<>();
        samples.forEachRemaining(all::add);
        int size = all.isEmpty() ? 0 : all.get(0).values().length;
        float[] values = new float[all.size() * size];
        int[] labels = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            Sample s = all.get(i);
            if (s.values().length != size) {
                throw new IllegalArgumentException("sample " + i + " of partition " + partition + " has "
                        + s.values().length + " values, expected " + size + " as the partition's first sample");
            }
            System.arraycopy(s.values(), 0, values, i * size, size);
            labels[i] = s.label();
        }
        return new PartitionBlock(partition, size, values, labels);
    }
}
