package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.data.Targets;

/** Mean squared error over all elements, of the output's values as they are; no metric beside it. */
public final class MeanSquaredError implements Loss {

    @Override
    public String name() {
        return "mean_squared_error";
    }

    @Override
    public LossInput input() {
        return LossInput.VALUES;
    }

    @Override
    public Targets targets() {
        return Targets.TENSORS;
    }

    @Override
    public Metric metric() {
        return Metric.NONE;
    }

    @Override
    public float compute(Backend backend, Tensor predictions, Tensor targets, Tensor dpredictions) {
        return backend.losses().meanSquaredError(predictions, targets, dpredictions);
    }
}
