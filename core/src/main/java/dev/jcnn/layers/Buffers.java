package dev.jcnn.layers;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * A layer's working tensors (outputs, input gradients), kept across training steps and
 * reallocated only when the shape changes, so a training loop allocates nothing per step.
 */
final class Buffers implements AutoCloseable {

    private final Map<String, Tensor> tensors = new HashMap<>();

    Tensor get(Backend backend, String key, Shape shape) {
        Tensor t = tensors.get(key);
        if (t != null && t.shape().equals(shape)) {
            return t;
        }
        if (t != null) {
            t.close();
        }
        t = backend.allocate(shape);
        tensors.put(key, t);
        return t;
    }

    @Override
    public void close() {
        tensors.values().forEach(Tensor::close);
        tensors.clear();
    }
}
