package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;

/** Mean squared error over all elements. */
public final class MeanSquaredError implements Loss {

    @Override
    public String name() {
        return "mean_squared_error";
    }

    @Override
    public boolean usesLabels() {
        return false;
    }

    @Override
    public float compute(Backend backend, Tensor predictions, Tensor targets, Tensor dpredictions) {
        return backend.losses().meanSquaredError(predictions, targets, dpredictions);
    }
}
