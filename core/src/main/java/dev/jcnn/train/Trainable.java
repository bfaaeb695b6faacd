package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.Parameter;
import dev.jcnn.tensor.Shape;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a {@link Trainer} trains: a built model's forward and backward passes, its parameters
 * and what its output is. {@code dev.jcnn.model.Model} implements it; the trainer knows
 * nothing else of the graph.
 */
public interface Trainable {

    String name();

    /** The per-sample input shape the model was made for. */
    Shape inputShape();

    /**
     * The per-sample output shape for samples of this shape (a fully convolutional model takes
     * other sizes too).
     *
     * @throws IllegalArgumentException naming the layer that cannot take it
     */
    Shape outputShape(Shape sampleShape);

    /** The backend it is built on; throws IllegalStateException when it is not built. */
    Backend backend();

    /** The trainable parameters, in a fixed order. */
    List<Parameter> parameters();

    /** What the output is: its last activation and the layers that pass it on. */
    OutputHead outputHead();

    /** The forward pass over a batch; returns the output, a buffer the model owns. */
    Tensor forward(Tensor x, boolean training);

    /** The output layer's values before its activation in the last forward pass. */
    Tensor logits();

    /** The backward pass from the output's gradient, or from the logits' gradient when fromLogits. */
    void backward(Tensor dOutput, boolean fromLogits);

    /** Where the last forward pass first produced non-finite values, in words, for error messages. */
    String locateNonFinite();

    /** Every tensor a weights file holds, by name: the parameters, then the non-trainable state. */
    Map<String, Tensor> weights();

    /** The metadata a weights file records about the model (name, input shape, summary). */
    Map<String, String> fileMetadata();

    /**
     * Runs one call of the trainer on the model (fit, evaluate, predict) and returns its result.
     * A model whose layers keep each call's activations serves one such call at a time and
     * throws {@link IllegalStateException}, naming the rule, when another thread's call is
     * running, or when {@code changesWeights} and predictions read its weights; by default the
     * call just runs.
     */
    default <T> T exclusive(String call, boolean changesWeights, Supplier<T> body) {
        return body.get();
    }
}
