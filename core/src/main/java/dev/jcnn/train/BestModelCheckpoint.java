package dev.jcnn.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Saves a {@link Checkpoint} (weights, optimizer state, step count) each time the monitored
 * figure improves on the best so far by more than {@code minDelta}, as Keras'
 * {@code ModelCheckpoint(save_best_only=True)}; the file is replaced atomically, so it always
 * holds the best epoch's model whole. Its metadata adds "epoch", "monitor" and "best". The
 * best figure starts afresh with each {@code fit} call.
 */
public final class BestModelCheckpoint implements TrainingListener {

    private static final Logger LOG = LogManager.getLogger(BestModelCheckpoint.class);

    private final Path path;
    private final Monitor monitor;
    private final double minDelta;
    private TrainingControl control;
    private double best;
    private int bestEpoch;

    /** @throws IllegalArgumentException when path or monitor is null or minDelta negative */
    public BestModelCheckpoint(Path path, Monitor monitor, double minDelta) {
        if (path == null || monitor == null) {
            throw new IllegalArgumentException("best-model checkpoint: expected a path and a monitor, got " + path + ", "
                    + monitor);
        }
        this.path = path;
        this.monitor = monitor;
        this.minDelta = Monitor.checkMinDelta("best-model checkpoint", minDelta);
    }

    @Override
    public void onFitStart(TrainingControl c) {
        control = c;
        best = monitor.worst();
        bestEpoch = 0;
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        double value = monitor.value(stats, "best-model checkpoint");
        if (!monitor.improves(value, best, minDelta)) {
            return;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", Integer.toString(stats.epoch()));
        meta.put("monitor", monitor.id());
        meta.put("best", Double.toString(value));
        try {
            Checkpoint.save(path, control.model(), control.optimizer(), meta);
        } catch (IOException e) {
            throw new UncheckedIOException("best-model checkpoint: cannot write " + path + " after epoch " + stats.epoch()
                    + ": " + e.getMessage(), e);
        }
        LOG.info("epoch {}: {} improved to {} (from {}); saved {}", stats.epoch(), monitor.id(), value, best, path);
        best = value;
        bestEpoch = stats.epoch();
    }

    /** The best figure saved in the last run. */
    public double best() {
        return best;
    }

    /** The epoch the file holds; 0 before any was saved. */
    public int bestEpoch() {
        return bestEpoch;
    }
}
