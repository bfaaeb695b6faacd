package dev.jcnn.samples.train;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.RmsPropSpec;
import dev.jcnn.train.Adam;
import dev.jcnn.train.AdamW;
import dev.jcnn.train.Optimizer;
import dev.jcnn.train.RmsProp;
import dev.jcnn.train.Sgd;
import java.util.Locale;

/** The optimizers the command line offers, by name. */
public enum OptimizerChoice {
    /** Plain stochastic gradient descent. */
    SGD(0.05f),
    /** SGD with momentum. */
    MOMENTUM(0.05f),
    /** SGD with Nesterov momentum. */
    NESTEROV(0.05f),
    /** Adam. */
    ADAM(0.001f),
    /** Adam with decoupled weight decay (PyTorch's AdamW); --weight-decay is the decoupled one, 0.01 by default. */
    ADAMW(0.001f),
    /** RMSprop with PyTorch's defaults (alpha 0.99, eps 1e-8, no momentum, not centered). */
    RMSPROP(0.01f);

    private final float defaultLearningRate;

    OptimizerChoice(float defaultLearningRate) {
        this.defaultLearningRate = defaultLearningRate;
    }

    public float defaultLearningRate() {
        return defaultLearningRate;
    }

    /** A new optimizer of this kind. */
    public Optimizer create(float learningRate, float momentum, float weightDecay) {
        return switch (this) {
            case SGD -> new Sgd(learningRate, 0f, false, weightDecay);
            case MOMENTUM -> new Sgd(learningRate, momentum, false, weightDecay);
            case NESTEROV -> new Sgd(learningRate, momentum, true, weightDecay);
            case ADAM -> new Adam(new AdamSpec(learningRate, 0.9f, 0.999f, 1e-8f, weightDecay));
            case ADAMW -> new AdamW(new AdamSpec(learningRate, 0.9f, 0.999f, 1e-8f, weightDecay));
            case RMSPROP -> new RmsProp(new RmsPropSpec(learningRate, 0.99f, 1e-8f, weightDecay, 0f, false));
        };
    }

    /** The weight decay when --weight-decay is not given: AdamW's 0.01 (PyTorch's default), else none. */
    public float defaultWeightDecay() {
        return this == ADAMW ? AdamW.DEFAULT_WEIGHT_DECAY : 0f;
    }

    /**
     * The choice of this name, in any case ("adam", "Adam").
     *
     * @throws IllegalArgumentException naming the value and every choice
     */
    public static OptimizerChoice parse(String name) {
        for (OptimizerChoice c : values()) {
            if (c.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("optimizer '" + name + "': expected one of " + choices());
    }

    /** The names {@link #parse} takes: "sgd, momentum, nesterov, adam, adamw or rmsprop". */
    public static String choices() {
        StringBuilder b = new StringBuilder();
        OptimizerChoice[] all = values();
        for (int i = 0; i < all.length; i++) {
            b.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].id());
        }
        return b.toString();
    }

    /** The lower-case name the command line and checkpoints use. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
