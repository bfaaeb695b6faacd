package dev.jcnn.samples.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcnn.model.Model;
import dev.jcnn.train.EpochStats;
import dev.jcnn.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Saves a checkpoint at the end of every epoch: weights, optimizer state, the run's settings
 * and its history so far. {@link Model#saveCheckpoint} writes a temporary file and renames it
 * over the last checkpoint, so killing the process at any moment leaves the previous
 * checkpoint or the new one, whole.
 */
public final class Checkpointer implements TrainingListener {

    private static final Logger LOG = LogManager.getLogger(Checkpointer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String EPOCH = "train.epoch";
    static final String HISTORY = "train.history";
    /** The dataset the run trains on; checkpoints written before it existed were all MNIST's. */
    public static final String DATASET = "train.dataset";
    /** The run's augmentation ({@code Augmentation.toString()}); checkpoints written before it existed had none. */
    public static final String AUGMENT = "train.augment";
    /** Whether the run's model starts with a Normalization layer ({@code --normalize}); absent means false. */
    public static final String NORMALIZE = "train.normalize";

    private final Model model;
    private final Path file;
    private final TrainConfig config;
    private final List<EpochStats> history;
    private final String dataset;
    private final Map<String, String> extra = new LinkedHashMap<>();

    /** @param earlier the epochs of this run done before (a resumed run), in order */
    public Checkpointer(Model model, Path file, TrainConfig config, List<EpochStats> earlier) {
        this(model, file, config, earlier, null);
    }

    /**
     * @param earlier the epochs of this run done before (a resumed run), in order
     * @param dataset the dataset's name, kept in each checkpoint as {@link #DATASET}; null for none
     */
    public Checkpointer(Model model, Path file, TrainConfig config, List<EpochStats> earlier, String dataset) {
        this.dataset = dataset;
        this.model = model;
        this.file = file;
        this.config = config;
        this.history = new ArrayList<>(earlier);
    }

    /** Also keeps this entry (e.g. {@link #AUGMENT}) in each checkpoint's metadata; returns this checkpointer. */
    public Checkpointer record(String key, String value) {
        extra.put(key, value);
        return this;
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        history.add(stats);
        Map<String, String> meta = new LinkedHashMap<>(config.toMetadata());
        meta.put(EPOCH, Integer.toString(stats.epoch()));
        meta.put(HISTORY, writeHistory(history));
        if (dataset != null) {
            meta.put(DATASET, dataset);
        }
        meta.putAll(extra);
        try {
            model.saveCheckpoint(file, meta);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint " + file + ": " + e.getMessage(), e);
        }
        LOG.info("checkpoint of epoch {} saved to {}", stats.epoch(), file);
    }

    /** Every epoch of the run so far, resumed ones included. */
    public List<EpochStats> history() {
        return List.copyOf(history);
    }

    /** What a checkpoint says about its run. */
    public record Saved(TrainConfig config, int epoch, List<EpochStats> history) {
    }

    /** Reads the run's settings, epoch and history from a checkpoint's metadata. */
    public static Saved read(Map<String, String> meta, Path file) {
        if (!"checkpoint".equals(meta.get("kind"))) {
            throw new IllegalArgumentException(file + ": not a checkpoint (kind '" + meta.get("kind")
                    + "'); --resume needs the checkpoint.jcnn that 'jcnn train' writes");
        }
        TrainConfig config = TrainConfig.fromMetadata(meta, file.toString());
        String epoch = meta.get(EPOCH);
        if (epoch == null) {
            throw new IllegalArgumentException(file + ": the checkpoint has no '" + EPOCH + "' entry");
        }
        int e;
        try {
            e = Integer.parseInt(epoch.trim());
        } catch (NumberFormatException x) {
            e = -1;
        }
        if (e < 0) {
            throw new IllegalArgumentException(file + ": malformed checkpoint: '" + EPOCH + "' is '" + epoch
                    + "', expected the number of epochs done (0 or more)");
        }
        return new Saved(config, e, readHistory(meta.getOrDefault(HISTORY, "[]"), file));
    }

    static String writeHistory(List<EpochStats> history) {
        try {
            List<Map<String, Double>> rows = new ArrayList<>();
            for (EpochStats s : history) {
                Map<String, Double> r = new LinkedHashMap<>();
                r.put("epoch", (double) s.epoch());
                r.put("loss", s.loss());
                r.put("accuracy", s.accuracy());
                r.put("valLoss", s.valLoss());
                r.put("valAccuracy", s.valAccuracy());
                r.put("seconds", s.seconds());
                r.put("imagesPerSecond", s.imagesPerSecond());
                rows.add(r);
            }
            return JSON.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<EpochStats> readHistory(String json, Path file) {
        try {
            List<Map<String, Object>> rows = JSON.readValue(json, new TypeReference<>() { });
            List<EpochStats> out = new ArrayList<>();
            for (Map<String, Object> r : rows) {
                out.add(new EpochStats((int) num(r, "epoch"), num(r, "loss"), num(r, "accuracy"), num(r, "valLoss"),
                        num(r, "valAccuracy"), num(r, "seconds"), num(r, "imagesPerSecond")));
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": unreadable history in the checkpoint: " + e.getOriginalMessage(), e);
        }
    }

    private static double num(Map<String, Object> r, String k) {
        Object v = r.get(k);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return Double.NaN; // Jackson writes NaN as the string "NaN"
    }
}
