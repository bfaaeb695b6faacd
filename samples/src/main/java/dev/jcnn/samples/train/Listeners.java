package dev.jcnn.samples.train;

import dev.jcnn.train.EpochStats;
import dev.jcnn.train.History;
import dev.jcnn.train.TrainingControl;
import dev.jcnn.train.TrainingListener;
import java.util.List;

/** Several listeners called in order. */
public record Listeners(List<TrainingListener> all) implements TrainingListener {

    public static Listeners of(TrainingListener... listeners) {
        return new Listeners(List.of(listeners));
    }

    @Override
    public void onFitStart(TrainingControl control) {
        all.forEach(l -> l.onFitStart(control));
    }

    @Override
    public void onEpochStart(int epoch, int batches) {
        all.forEach(l -> l.onEpochStart(epoch, batches));
    }

    @Override
    public void onBatchEnd(int epoch, int batch, double runningLoss, double runningAccuracy) {
        all.forEach(l -> l.onBatchEnd(epoch, batch, runningLoss, runningAccuracy));
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        all.forEach(l -> l.onEpochEnd(stats));
    }

    @Override
    public void onFitEnd(History history) {
        all.forEach(l -> l.onFitEnd(history));
    }
}
