package dev.jcnn.samples.cli;

import dev.jcnn.samples.plot.ConfusionMatrix;
import dev.jcnn.samples.plot.HtmlReport;
import dev.jcnn.samples.plot.Png;
import dev.jcnn.samples.plot.RunPlots;
import dev.jcnn.samples.train.TrainConfig;
import dev.jcnn.train.EpochStats;
import dev.jcnn.train.Evaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training run produced, and its outputs: the curves, the confusion matrix, the HTML
 * page and the JSON figures.
 */
record TrainReport(String model, long parameters, String backend, String device, TrainConfig config,
                   int trainImages, int validationImages, int testImages, List<EpochStats> history,
                   Evaluation test, ConfusionMatrix confusion, double trainSeconds) {

    /** Writes loss.png, accuracy.png, confusion.png and report.html into dir. */
    void writePictures(Path dir) throws IOException {
        RunPlots.curves(dir, model, history);
        Png.write(confusion.draw(model + ": confusion on " + testImages + " test images"), dir.resolve(RunPlots.CONFUSION));
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("model", model + " (" + String.format("%,d", parameters) + " parameters)");
        figures.put("backend", backend + ": " + device);
        figures.put("data", trainImages + " training, " + validationImages + " validation, " + testImages + " test images");
        figures.put("epochs", Integer.toString(config.epochs()));
        figures.put("optimizer", config.optimizer().id() + ", learning rate " + config.learningRate()
                + (config.lrSchedule().isEmpty() ? (config.lrDecay() < 1 ? " × " + config.lrDecay() + " per epoch" : "")
                : ", schedule " + config.schedule().describe())
                + (config.clipNorm() > 0 ? ", gradients clipped to norm " + config.clipNorm() : "") + ", batch size "
                + config.batchSize());
        figures.put("test accuracy", String.format("%.4f", test.accuracy()));
        figures.put("test loss", String.format("%.4f", test.loss()));
        figures.put("training time", String.format("%.1f s", trainSeconds));
        Map<String, String> images = new LinkedHashMap<>();
        images.put(RunPlots.LOSS, "loss per epoch");
        images.put(RunPlots.ACCURACY, "accuracy per epoch");
        images.put(RunPlots.CONFUSION, "confusion matrix on the test images");
        HtmlReport.write(dir.resolve(RunPlots.REPORT), "jcnn train " + model, figures, images);
    }

    /** The figures for train.json; NaN (no such figure) becomes null. */
    Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("model", model);
        j.put("parameters", parameters);
        j.put("backend", backend);
        j.put("device", device);
        j.put("config", config);
        j.put("trainImages", trainImages);
        j.put("validationImages", validationImages);
        j.put("testImages", testImages);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (EpochStats s : history) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("epoch", s.epoch());
            r.put("loss", JsonOutput.num(s.loss()));
            r.put("accuracy", JsonOutput.num(s.accuracy()));
            r.put("valLoss", JsonOutput.num(s.valLoss()));
            r.put("valAccuracy", JsonOutput.num(s.valAccuracy()));
            r.put("seconds", s.seconds());
            r.put("imagesPerSecond", s.imagesPerSecond());
            rows.add(r);
        }
        j.put("epochs", rows);
        j.put("testLoss", JsonOutput.num(test.loss()));
        j.put("testAccuracy", JsonOutput.num(test.accuracy()));
        j.put("trainSeconds", trainSeconds);
        j.put("imagesPerSecond", history.isEmpty() ? null
                : history.stream().mapToDouble(EpochStats::imagesPerSecond).average().orElse(0));
        return j;
    }
}
