package dev.jcnn.testing.cases;

import dev.jcnn.tensor.Shape;

/**
 * One output of a case's run, read back to the host: its shape, its values and its kind,
 * which chooses the tolerance it is held to.
 */
public record Output(Shape shape, float[] values, Kind kind) {

    /** Forward outputs (and losses) or gradients (and updated parameters and statistics). */
    public enum Kind {
        FORWARD,
        BACKWARD
    }

    public Output {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("output of shape " + shape + " holds " + values.length + " values");
        }
    }
}
