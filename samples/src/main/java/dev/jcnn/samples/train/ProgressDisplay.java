package dev.jcnn.samples.train;

import dev.jcnn.train.EpochStats;
import dev.jcnn.train.TrainingListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress: on a terminal, one progress bar per epoch with its ETA, the
 * running loss and accuracy; otherwise plain lines, about every tenth of an epoch.
 */
public final class ProgressDisplay implements TrainingListener {

    private final PrintWriter out;
    private final PrintStream barOut;
    private final int epochs;
    private ProgressBar bar;
    private int batches;
    private long epochStart;

    /**
     * @param out    where plain lines and each epoch's closing line go
     * @param barOut the terminal the bars are drawn on, or null for plain lines
     * @param epochs the last epoch number, for "epoch 3/10"
     */
    public ProgressDisplay(PrintWriter out, PrintStream barOut, int epochs) {
        this.out = out;
        this.barOut = barOut;
        this.epochs = epochs;
    }

    /** Whether this process writes to an interactive terminal. */
    public static boolean isTerminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void onEpochStart(int epoch, int batchCount) {
        batches = batchCount;
        epochStart = System.nanoTime();
        if (barOut != null) {
            bar = new ProgressBarBuilder()
                    .setTaskName("epoch " + epoch + "/" + epochs)
                    .setInitialMax(batchCount)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setUnit(" batches", 1)
                    .setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(barOut))
                    .build();
        }
    }

    @Override
    public void onBatchEnd(int epoch, int batch, double runningLoss, double runningAccuracy) {
        String figures = String.format("loss %.4f accuracy %.4f", runningLoss, runningAccuracy);
        if (bar != null) {
            bar.stepTo(batch);
            bar.setExtraMessage(figures);
            if (batch == batches) {
                // closed before fit logs the epoch line, so the two do not share a line
                bar.close();
                bar = null;
            }
            return;
        }
        if (barOut == null && (batch % Math.max(1, batches / 10) == 0 || batch == batches)) {
            double elapsed = (System.nanoTime() - epochStart) / 1e9;
            long eta = Math.round(elapsed / batch * (batches - batch));
            out.printf("epoch %d/%d  batch %d/%d (%3d%%)  %s  eta %s%n", epoch, epochs, batch, batches,
                    100L * batch / batches, figures, format(Duration.ofSeconds(eta)));
            out.flush();
        }
    }

    @Override
    public void onEpochEnd(EpochStats s) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.printf("epoch %d/%d  loss %.4f  accuracy %.4f%s  %.1f s  %.0f images/s%n", s.epoch(), epochs, s.loss(),
                s.accuracy(), Double.isNaN(s.valLoss()) ? ""
                        : String.format("  val_loss %.4f  val_accuracy %.4f", s.valLoss(), s.valAccuracy()),
                s.seconds(), s.imagesPerSecond());
        out.flush();
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
