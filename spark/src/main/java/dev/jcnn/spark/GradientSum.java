package dev.jcnn.spark;

import java.io.Serializable;

/**
 * What the tasks of one step send back, summed by Spark's tree aggregation: every gradient
 * and state value times its task's sample count (so that the sum divided by the count is the
 * gradient of the whole global batch, exactly as one worker would compute it), the loss times
 * the count, the correct predictions, and the longest task's compute time.
 */
final class GradientSum implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Gradients then state values, each times its task's sample count; null before the first task's. */
    float[] weighted;
    long samples;
    double lossSum;
    long correct;
    long maxComputeNanos;
    int tasks;

    /** Adds another sum into this one and returns this one (Spark's aggregate allows it: the zero value is copied per task). */
    GradientSum merge(GradientSum other) {
        if (other.weighted != null) {
            if (weighted == null) {
                weighted = other.weighted.clone();
            } else {
                if (weighted.length != other.weighted.length) {
                    throw new IllegalStateException("two replicas sent gradients of " + weighted.length + " and "
                            + other.weighted.length + " values: their models differ");
                }
                for (int i = 0; i < weighted.length; i++) {
                    weighted[i] += other.weighted[i];
                }
            }
        }
        samples += other.samples;
        lossSum += other.lossSum;
        correct += other.correct;
        maxComputeNanos = Math.max(maxComputeNanos, other.maxComputeNanos);
        tasks += other.tasks;
        return this;
    }
}
