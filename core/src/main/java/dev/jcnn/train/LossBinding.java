package dev.jcnn.train;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.Activation;
import dev.jcnn.tensor.Shape;
import java.util.function.Function;

/**
 * How a loss reads a model's output, decided once when the two are paired, the way Keras
 * decides {@code from_logits}:
 * <ul>
 *   <li>a loss on values reads the output as it is;</li>
 *   <li>a loss on logits below the model's own final activation (softmax cross-entropy
 *       below a softmax, sigmoid cross-entropy below a sigmoid) reads the values before that
 *       activation and the backward pass starts there;</li>
 *   <li>a loss on logits of a model without a final squashing activation reads the output as
 *       logits, and predictions apply the loss's link, so a classifier predicts probabilities;</li>
 *   <li>anything else is refused, with what to change: probabilities that reach the output
 *       through Flatten or Dropout, or the other squashing activation (a sigmoid under
 *       softmax cross-entropy).</li>
 * </ul>
 */
public final class LossBinding {

    private static final LossBinding OUTPUT_AS_IS = new LossBinding(false, Activation.LINEAR);

    private final boolean readsLogits;
    private final Activation predictionLink;

    private LossBinding(boolean readsLogits, Activation predictionLink) {
        this.readsLogits = readsLogits;
        this.predictionLink = predictionLink;
    }

    /** No loss: predictions are the output as it is. */
    public static LossBinding none() {
        return OUTPUT_AS_IS;
    }

    /**
     * Pairs a loss with the output of model {@code model}.
     *
     * @throws IllegalArgumentException naming the loss, the layer and what to change when they disagree
     */
    public static LossBinding of(String model, Loss loss, OutputHead head) {
        LossInput input = loss.input();
        if (input == LossInput.VALUES) {
            return OUTPUT_AS_IS;
        }
        Activation link = input.link();
        Activation ends = head.activation();
        String endsName = ends == null ? null : ends.name().toLowerCase(java.util.Locale.ROOT);
        if (ends == link) {
            if (head.direct()) {
                return new LossBinding(true, Activation.LINEAR);
            }
            throw new IllegalArgumentException("model '" + model + "': " + loss.name() + " reads " + input.describe()
                    + ", but the output is the " + endsName + " of layer '" + head.layer() + "' passed on through '"
                    + String.join("', '", head.through()) + "', so its probabilities would be taken for logits; make the "
                    + endsName + " the last layer (e.g. " + lastLayerHint(link) + " after the Flatten) or drop it so"
                    + " that the output holds logits");
        }
        if (ends == Activation.SOFTMAX || ends == Activation.SIGMOID) {
            throw new IllegalArgumentException("model '" + model + "': " + loss.name() + " reads " + input.describe()
                    + ", but the output ends in a " + endsName + " (layer '" + head.layer() + "'); end the model in a "
                    + input.linkName() + " or in a layer without activation");
        }
        return new LossBinding(false, link);
    }

    private static String lastLayerHint(Activation link) {
        return link == Activation.SOFTMAX ? "new Softmax()" : "new ActivationLayer(Activation." + link.name() + ")";
    }

    /** Whether the loss reads the values before the output layer's activation (and backward starts there). */
    public boolean readsLogits() {
        return readsLogits;
    }

    /** The activation predictions apply to the output: the loss's link when the output holds logits, else LINEAR. */
    public Activation predictionLink() {
        return predictionLink;
    }

    /**
     * The predictions for a batch of outputs of shape (N, C, ...): the output itself, or its
     * link computed by the output's backend (the sigmoid, or the softmax over axis 1 at each
     * position) into a tensor of the output's shape that {@code buffer} gives, so that the math
     * is the backend's, as for a model that ends in the activation itself.
     */
    public Tensor predictions(Tensor output, Function<Shape, Tensor> buffer) {
        if (predictionLink == Activation.LINEAR) {
            return output;
        }
        Tensor linked = buffer.apply(output.shape());
        if (predictionLink == Activation.SOFTMAX) {
            output.backend().softmax().forward(output, false, linked);
        } else if (predictionLink == Activation.SIGMOID) {
            output.backend().activations().forward(ActivationSpec.SIGMOID, output, linked);
        } else {
            throw new IllegalStateException("no prediction link " + predictionLink);
        }
        return linked;
    }
}
