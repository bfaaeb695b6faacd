package dev.jcnn.spark;

/**
 * One epoch of {@link SparkTrainer#fit}: its figures and where the time of its steps went.
 * A step's time is the driver's wall time from shipping the weights to having applied the
 * update; compute is the longest task's time (loading the weights, forward, backward, reading
 * the gradients), since the step waits for it; apply is the driver's optimizer step;
 * communication is the rest: broadcasting the weights, scheduling the tasks, serializing the
 * gradients and summing them in Spark's tree.
 *
 * @param epoch                 from 1
 * @param steps                 synchronous steps taken
 * @param samples               samples trained on
 * @param loss                  mean training loss over those samples
 * @param accuracy              fraction of those samples predicted right (during their step's forward pass)
 * @param seconds               wall time of the epoch
 * @param stepMillis            mean wall time of a step
 * @param computeMillis         mean time of a step's longest task
 * @param communicationMillis   mean of step minus compute minus apply
 * @param applyMillis           mean time of the driver's optimizer step
 */
public record SparkEpoch(int epoch, int steps, long samples, double loss, double accuracy, double seconds,
        double stepMillis, double computeMillis, double communicationMillis, double applyMillis) {
}
