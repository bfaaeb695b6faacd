package dev.jcnn.model;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.data.SampleSource;
import dev.jcnn.train.AdamW;
import dev.jcnn.train.BestModelCheckpoint;
import dev.jcnn.train.ClassMetrics;
import dev.jcnn.train.EarlyStopping;
import dev.jcnn.train.Evaluation;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.LearningRateSchedule;
import dev.jcnn.train.Monitor;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.train.TopKAccuracy;
import java.nio.file.Path;
import java.util.List;

/** docs/library.md's example of the training controls: TrainingControlsExampleTest runs it. */
final class TrainingControlsExample {

    private TrainingControlsExample() {
    }

    /** Trains model (built) on train with validation, keeps the best epoch in best, evaluates on test. */
    static Evaluation train(Sequential model, SampleSource train, SampleSource validation, SampleSource test, Path best,
            int epochs, float lr) {
        model.compile(new SparseCategoricalCrossEntropy(), new AdamW(new AdamSpec(lr, 0.9f, 0.999f, 1e-8f, 0.01f)));
        int stepsPerEpoch = (train.size() + 63) / 64;
        LearningRateSchedule cosine = LearningRateSchedule.cosine(lr, (long) epochs * stepsPerEpoch, stepsPerEpoch,
                0f, LearningRateSchedule.Unit.STEP);                     // per step, one epoch of warm-up
        History history = model.fit(train, FitOptions.of(epochs, 64)
                .validation(validation)
                .schedule(cosine)
                .gradientClipping(1.0f)                                  // global norm, as clip_grad_norm_
                .listeners(new EarlyStopping(Monitor.VAL_LOSS, 3, 1e-4, true),
                        new BestModelCheckpoint(best, Monitor.VAL_ACCURACY, 0)));
        history.stopReason().ifPresent(System.out::println);             // set when early stopping stopped it
        int classes = model.outputShape().dim(0);
        return model.evaluate(test, 64, List.of(new TopKAccuracy(2), ClassMetrics.meanIou(classes),
                ClassMetrics.precision(0, classes), ClassMetrics.recall(0, classes)));
    }
}
