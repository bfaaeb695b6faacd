package dev.jcnn.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mean loss and the loss's metric over a data set ({@code accuracy}: NaN for a loss without a
 * metric), and the figures of the further metrics {@code evaluate} was given, by name, in
 * their order.
 */
public record Evaluation(double loss, double accuracy, int samples, Map<String, Double> metrics) {

    public Evaluation {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** Without further metrics. */
    public Evaluation(double loss, double accuracy, int samples) {
        this(loss, accuracy, samples, Map.of());
    }

    /**
     * A further metric's figure.
     *
     * @throws IllegalArgumentException naming the metrics there are, when none has this name
     */
    public double metric(String name) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new IllegalArgumentException("evaluation has no metric '" + name + "'; it has " + metrics.keySet());
        }
        return v;
    }
}
