package dev.jcnn.train;

import java.util.List;

/** Several listeners called in order, for {@link FitOptions#listeners}. */
final class TrainingListeners implements TrainingListener {

    private final List<TrainingListener> all;

    private TrainingListeners(List<TrainingListener> all) {
        this.all = all;
    }

    static TrainingListener of(TrainingListener... listeners) {
        for (int i = 0; i < listeners.length; i++) {
            if (listeners[i] == null) {
                throw new IllegalArgumentException("listeners: listener " + i + " is null");
            }
        }
        return new TrainingListeners(List.of(listeners));
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
