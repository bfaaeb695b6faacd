package dev.jcnn.train;

import dev.jcnn.layers.Activation;
import java.util.List;

/**
 * What a model's output is, as a loss needs to know it: the layer whose values reach the
 * output, the activation that layer ends with, and the layers that pass those values on
 * unchanged (Flatten, Dropout) between it and the output.
 *
 * @param layer      the layer's name
 * @param activation the activation its output ends with, or null when it is no activation's
 *                   (pooling, normalization, a merge)
 * @param through    the names of the layers after it, in order; empty when it is the output layer
 */
public record OutputHead(String layer, Activation activation, List<String> through) {

    public OutputHead {
        through = List.copyOf(through);
    }

    /** Whether the layer is the model's output layer itself. */
    public boolean direct() {
        return through.isEmpty();
    }
}
