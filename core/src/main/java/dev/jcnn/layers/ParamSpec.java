package dev.jcnn.layers;

import dev.jcnn.tensor.Shape;

/**
 * A parameter a layer will own once built: its name within the layer, shape and how it
 * is initialised. {@code summary()} counts parameters from these without building.
 */
public record ParamSpec(String name, Shape shape, Init init, int fanIn, int fanOut) {

    /** Initial values. */
    public enum Init {
        /** He (Kaiming) normal: std sqrt(2 / fanIn), for the ReLU family. */
        HE_NORMAL,
        /** Glorot (Xavier) uniform: limit sqrt(6 / (fanIn + fanOut)), for the rest. */
        GLOROT_UNIFORM,
        ZEROS,
        /** 1, BatchNormalization's starting scale and moving variance. */
        ONES,
        /** 0.25, PReLU's starting slope. */
        QUARTER
    }
}
