package dev.jcnn.train;

import dev.jcnn.layers.Activation;
import dev.jcnn.tensor.Shape;

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
     * The predictions for a batch of outputs of shape (N, C, ...): the values themselves, their
     * sigmoid, or their softmax over the channel axis C at each position, in place.
     */
    public float[] predictions(float[] outputs, Shape shape) {
        switch (predictionLink) {
            case SIGMOID -> {
                for (int i = 0; i < outputs.length; i++) {
                    outputs[i] = (float) (1 / (1 + Math.exp(-outputs[i])));
                }
            }
            case SOFTMAX -> softmaxOverChannels(outputs, shape);
            case LINEAR -> {
            }
            default -> throw new IllegalStateException("no prediction link " + predictionLink);
        }
        return outputs;
    }

    private static void softmaxOverChannels(float[] v, Shape shape) {
        int n = shape.dim(0);
        int channels = shape.dim(1);
        int inner = shape.size() / (n * channels);
        for (int s = 0; s < n; s++) {
            for (int p = 0; p < inner; p++) {
                int base = s * channels * inner + p;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < channels; c++) {
                    max = Math.max(max, v[base + c * inner]);
                }
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += Math.exp(v[base + c * inner] - max);
                }
                for (int c = 0; c < channels; c++) {
                    v[base + c * inner] = (float) (Math.exp(v[base + c * inner] - max) / sum);
                }
            }
        }
    }
}
