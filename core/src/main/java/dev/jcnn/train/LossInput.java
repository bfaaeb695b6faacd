package dev.jcnn.train;

import dev.jcnn.layers.Activation;

/**
 * What a loss reads from a model's output. A loss on logits pairs with the activation that
 * turns them into probabilities, its link: when the model's last layer ends in that activation
 * the loss reads the values before it, and when the model ends without one its output are the
 * logits and {@code predict} applies the link, so a classifier predicts probabilities either way.
 */
public enum LossInput {
    /** Scores whose softmax over the channel axis are the class probabilities. */
    SOFTMAX_LOGITS(Activation.SOFTMAX),
    /** Scores whose sigmoid is each element's probability. */
    SIGMOID_LOGITS(Activation.SIGMOID),
    /** The output's values themselves (a regression). */
    VALUES(Activation.LINEAR);

    private final Activation link;

    LossInput(Activation link) {
        this.link = link;
    }

    /** The activation that maps what the loss reads to what the model predicts; LINEAR for values. */
    public Activation link() {
        return link;
    }

    /** For messages, e.g. "logits (the values before a softmax)". */
    public String describe() {
        return this == VALUES ? "the output's values" : "logits (the values before a " + linkName() + ")";
    }

    String linkName() {
        return link.name().toLowerCase(java.util.Locale.ROOT);
    }
}
