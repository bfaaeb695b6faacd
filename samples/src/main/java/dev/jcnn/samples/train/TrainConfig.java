package dev.jcnn.samples.train;

import dev.jcnn.train.LearningRateSchedule;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a training run was asked to do; kept in each checkpoint so that {@code --resume}
 * continues the same run (same data slice, optimizer and shuffling).
 *
 * @param model           zoo name
 * @param epochs          the last epoch to train
 * @param batchSize       images per step
 * @param optimizer       the optimizer
 * @param learningRate    its learning rate in the first epoch
 * @param lrDecay         the factor the learning rate is multiplied by after each epoch
 * @param momentum        momentum for the SGD variants
 * @param weightDecay     L2 weight decay
 * @param seed            seeds the weights and each epoch's shuffle
 * @param limit           training images used (the first ones), 0 for all
 * @param validationSplit the fraction of those held out (the last ones) for validation
 * @param clipNorm        the global norm gradients are clipped to, 0 for none
 * @param lrSchedule      the learning-rate schedule, per epoch ({@link #schedule}); "" for lrDecay's
 * @param earlyStopping   the patience of early stopping on the validation loss, in epochs; 0 for none
 */
public record TrainConfig(String model, int epochs, int batchSize, OptimizerChoice optimizer, float learningRate,
                          double lrDecay, float momentum, float weightDecay, long seed, int limit, double validationSplit,
                          float clipNorm, String lrSchedule, int earlyStopping) {

    private static final String PREFIX = "train.";

    /** Without clipping, schedule (lrDecay's) or early stopping. */
    public TrainConfig(String model, int epochs, int batchSize, OptimizerChoice optimizer, float learningRate,
            double lrDecay, float momentum, float weightDecay, long seed, int limit, double validationSplit) {
        this(model, epochs, batchSize, optimizer, learningRate, lrDecay, momentum, weightDecay, seed, limit,
                validationSplit, 0f, "", 0);
    }

    public TrainConfig {
        if (epochs <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("epochs and batch size must be positive, got --epochs " + epochs
                    + ", --batch-size " + batchSize);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("--learning-rate must be positive, got " + learningRate);
        }
        if (!(lrDecay > 0 && lrDecay <= 1)) {
            throw new IllegalArgumentException("--lr-decay must be in (0, 1], got " + lrDecay);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must be 0 (all) or positive, got " + limit);
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("--validation-split must be in [0, 1), got " + validationSplit);
        }
        if (!(clipNorm >= 0) || !Float.isFinite(clipNorm)) {
            throw new IllegalArgumentException("--clip-norm must be 0 (off) or positive, got " + clipNorm);
        }
        if (earlyStopping < 0) {
            throw new IllegalArgumentException("--early-stopping must be 0 (off) or a patience in epochs, got "
                    + earlyStopping);
        }
        lrSchedule = lrSchedule == null ? "" : lrSchedule.trim();
        if (!lrSchedule.isEmpty()) {
            if (lrDecay != 1) {
                throw new IllegalArgumentException("--lr-decay " + lrDecay + " and --lr-schedule " + lrSchedule
                        + " both set the learning rate; give one");
            }
            parseSchedule(lrSchedule, learningRate, epochs);
        }
    }

    /**
     * The run's learning-rate schedule, per epoch: --lr-schedule's, else --lr-decay's
     * exponential one (learningRate · lrDecay^(epoch − 1), a constant rate for 1).
     */
    public LearningRateSchedule schedule() {
        return lrSchedule.isEmpty() ? LearningRateSchedule.exponential(learningRate, lrDecay, LearningRateSchedule.Unit.EPOCH)
                : parseSchedule(lrSchedule, learningRate, epochs);
    }

    /**
     * --lr-schedule's forms, per epoch: step:N:G (× G every N epochs), exp:G (× G per epoch),
     * cosine (from the rate to 0 over all epochs) or cosine:W (after W epochs of linear warm-up).
     *
     * @throws IllegalArgumentException naming the value and the forms
     */
    public static LearningRateSchedule parseSchedule(String spec, float base, int epochs) {
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":", -1);
        String forms = "; expected step:N:G, exp:G, cosine or cosine:WARMUP (per epoch)";
        try {
            return switch (parts[0]) {
                case "step" -> {
                    if (parts.length != 3) {
                        throw new IllegalArgumentException("step takes N and G");
                    }
                    yield LearningRateSchedule.step(base, Integer.parseInt(parts[1]), Double.parseDouble(parts[2]),
                            LearningRateSchedule.Unit.EPOCH);
                }
                case "exp" -> {
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("exp takes G");
                    }
                    yield LearningRateSchedule.exponential(base, Double.parseDouble(parts[1]), LearningRateSchedule.Unit.EPOCH);
                }
                case "cosine" -> {
                    if (parts.length > 2) {
                        throw new IllegalArgumentException("cosine takes at most a warm-up");
                    }
                    long warmup = parts.length == 2 ? Long.parseLong(parts[1]) : 0;
                    yield LearningRateSchedule.cosine(base, epochs, warmup, 0f, LearningRateSchedule.Unit.EPOCH);
                }
                default -> throw new IllegalArgumentException("unknown schedule '" + parts[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            String why = e instanceof NumberFormatException ? "not a number: " + e.getMessage() : e.getMessage();
            throw new IllegalArgumentException("--lr-schedule " + spec + ": " + why + forms, e);
        }
    }

    /** The same run with another last epoch. */
    public TrainConfig withEpochs(int e) {
        return new TrainConfig(model, e, batchSize, optimizer, learningRate, lrDecay, momentum, weightDecay, seed, limit,
                validationSplit, clipNorm, lrSchedule, earlyStopping);
    }

    /** The learning rate of an epoch (counting from 1): the {@link #schedule}'s at epoch − 1. */
    public float learningRate(int epoch) {
        return schedule().learningRate(epoch - 1L);
    }

    /** As checkpoint metadata, keys prefixed "train.". */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "model", model);
        m.put(PREFIX + "epochs", Integer.toString(epochs));
        m.put(PREFIX + "batchSize", Integer.toString(batchSize));
        m.put(PREFIX + "optimizer", optimizer.id());
        m.put(PREFIX + "learningRate", Float.toString(learningRate));
        m.put(PREFIX + "lrDecay", Double.toString(lrDecay));
        m.put(PREFIX + "momentum", Float.toString(momentum));
        m.put(PREFIX + "weightDecay", Float.toString(weightDecay));
        m.put(PREFIX + "seed", Long.toString(seed));
        m.put(PREFIX + "limit", Integer.toString(limit));
        m.put(PREFIX + "validationSplit", Double.toString(validationSplit));
        m.put(PREFIX + "clipNorm", Float.toString(clipNorm));
        m.put(PREFIX + "lrSchedule", lrSchedule);
        m.put(PREFIX + "earlyStopping", Integer.toString(earlyStopping));
        return m;
    }

    /** Reads what {@link #toMetadata} wrote; names the missing or malformed key and its value. */
    public static TrainConfig fromMetadata(Map<String, String> m, String where) {
        String optimizer = get(m, "optimizer", where);
        OptimizerChoice opt;
        try {
            opt = OptimizerChoice.parse(optimizer);
        } catch (IllegalArgumentException e) {
            throw malformed(where, "optimizer", optimizer, OptimizerChoice.choices());
        }
        try {
            return new TrainConfig(get(m, "model", where), integer(m, "epochs", where), integer(m, "batchSize", where),
                    opt, (float) number(m, "learningRate", where), number(m, "lrDecay", where),
                    (float) number(m, "momentum", where), (float) number(m, "weightDecay", where),
                    whole(m, "seed", where), integer(m, "limit", where), number(m, "validationSplit", where),
                    // absent from the checkpoints of runs before these flags: their defaults
                    m.containsKey(PREFIX + "clipNorm") ? (float) number(m, "clipNorm", where) : 0f,
                    m.getOrDefault(PREFIX + "lrSchedule", ""),
                    m.containsKey(PREFIX + "earlyStopping") ? integer(m, "earlyStopping", where) : 0);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(where + ": ")) {
                throw e;
            }
            throw new IllegalArgumentException(where + ": malformed training settings in the checkpoint: "
                    + e.getMessage(), e);
        }
    }

    /** The integer a checkpoint's metadata holds under PREFIX + key; names key and value when it holds none. */
    static int integer(Map<String, String> m, String key, String where) {
        String v = get(m, key, where);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw malformed(where, key, v, "an integer");
        }
    }

    private static long whole(Map<String, String> m, String key, String where) {
        String v = get(m, key, where);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw malformed(where, key, v, "an integer");
        }
    }

    private static double number(Map<String, String> m, String key, String where) {
        String v = get(m, key, where);
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw malformed(where, key, v, "a number");
        }
    }

    private static IllegalArgumentException malformed(String where, String key, String value, String expected) {
        return new IllegalArgumentException(where + ": malformed training settings in the checkpoint: '" + PREFIX + key
                + "' is '" + value + "', expected " + expected);
    }

    private static String get(Map<String, String> m, String key, String where) {
        String v = m.get(PREFIX + key);
        if (v == null) {
            throw new IllegalArgumentException(where + ": the checkpoint has no '" + PREFIX + key
                    + "' entry (not written by 'jcnn train'?)");
        }
        return v;
    }
}
