package dev.jcnn.samples.train;

import dev.jcnn.train.Adam;
import dev.jcnn.train.Optimizer;
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
    ADAM(0.001f);

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
            case ADAM -> new Adam(new dev.jcnn.backend.AdamSpec(learningRate, 0.9f, 0.999f, 1e-8f, weightDecay));
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
