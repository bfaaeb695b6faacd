package dev.jcnn.samples.train;

import dev.jcnn.train.Optimizer;
import dev.jcnn.train.TrainingListener;

/**
 * Sets the optimizer's learning rate at the start of each epoch from the run's settings
 * alone, so a resumed run uses the same rate as an uninterrupted one.
 */
public record LearningRateDecay(Optimizer optimizer, TrainConfig config) implements TrainingListener {

    @Override
    public void onEpochStart(int epoch, int batches) {
        optimizer.setLearningRate(config.learningRate(epoch));
    }
}
