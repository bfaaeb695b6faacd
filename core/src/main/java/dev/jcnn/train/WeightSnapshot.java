package dev.jcnn.train;

import dev.jcnn.backend.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** A host copy of a model's weights (every tensor a checkpoint saves), to be written back later. */
final class WeightSnapshot {

    private final Map<String, float[]> values = new LinkedHashMap<>();

    WeightSnapshot(Trainable model) {
        model.weights().forEach((name, t) -> values.put(name, t.toArray()));
    }

    /** Writes the copies back into the model's tensors of the same names. */
    void restore(Trainable model) {
        Map<String, Tensor> weights = model.weights();
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            Tensor t = weights.get(e.getKey());
            if (t == null || t.shape().size() != e.getValue().length) {
                throw new IllegalStateException("model '" + model.name() + "' no longer has weight '" + e.getKey()
                        + "' of " + e.getValue().length + " values; cannot restore the snapshot");
            }
            model.backend().write(t, e.getValue());
        }
    }
}
