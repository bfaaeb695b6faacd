package dev.jcnn.spark;

import java.io.Serializable;

/**
 * One labelled sample as a Spark record: its values in the model's input layout (CHW floats,
 * as {@code SampleSource.copySample} writes them) and its class label.
 *
 * @param values the sample's values, sampleShape.size() of them
 * @param label  its class, from 0
 */
public record Sample(float[] values, int label) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** @throws IllegalArgumentException when there are no values or the label is negative */
    public Sample {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("a sample needs values, got " + (values == null ? "null" : "none"));
        }
        if (label < 0) {
            throw new IllegalArgumentException("a sample's label is a class index from 0, got " + label);
        }
    }
}
