package dev.jcnn.samples.plot;

import dev.jcnn.train.EpochStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The pictures of a training run: loss and accuracy per epoch (training and validation). */
public final class RunPlots {

    public static final String LOSS = "loss.png";
    public static final String ACCURACY = "accuracy.png";
    public static final String CONFUSION = "confusion.png";
    public static final String REPORT = "report.html";

    private RunPlots() {
    }

    /** Writes loss.png and accuracy.png into dir. */
    public static void curves(Path dir, String model, List<EpochStats> history) throws IOException {
        int n = history.size();
        double[] loss = new double[n];
        double[] valLoss = new double[n];
        double[] acc = new double[n];
        double[] valAcc = new double[n];
        for (int i = 0; i < n; i++) {
            EpochStats s = history.get(i);
            loss[i] = s.loss();
            valLoss[i] = s.valLoss();
            acc[i] = s.accuracy();
            valAcc[i] = s.valAccuracy();
        }
        Png.write(LineChart.draw(model + ": loss per epoch", "cross-entropy loss", List.of(
                new LineChart.Series("training", loss, LineChart.TRAIN),
                new LineChart.Series("validation", valLoss, LineChart.VALIDATION))), dir.resolve(LOSS));
        Png.write(LineChart.draw(model + ": accuracy per epoch", "accuracy", List.of(
                new LineChart.Series("training", acc, LineChart.TRAIN),
                new LineChart.Series("validation", valAcc, LineChart.VALIDATION))), dir.resolve(ACCURACY));
    }
}
