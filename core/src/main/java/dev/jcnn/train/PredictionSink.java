package dev.jcnn.train;

import dev.jcnn.tensor.Shape;

/** Receives predictions batch by batch, so that predicting a large set never gathers them in one array. */
@FunctionalInterface
public interface PredictionSink {

    /**
     * One batch's predictions.
     *
     * @param first       the index in the source of the batch's first sample
     * @param shape       the batch shape of the predictions, (N, ...)
     * @param predictions shape.size() values, row-major; the sink may keep the array
     */
    void accept(int first, Shape shape, float[] predictions);
}
