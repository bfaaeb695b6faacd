package dev.jcnn.train;

import dev.jcnn.backend.Tensor;
import dev.jcnn.io.NamedTensors;
import dev.jcnn.io.WeightsFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A training checkpoint: the model's weights, the optimizer's state (moments, momentum
 * buffers) and step count, and metadata such as the epoch, in one {@link dev.jcnn.io.TensorFile}
 * written atomically. Loading it into a model of the same architecture and a fresh optimizer
 * of the same kind continues a run exactly.
 */
public final class Checkpoint {

    /** The prefix of the optimizer's tensors in the file, e.g. "optimizer/conv2d_1/kernel/m". */
    public static final String OPTIMIZER = "optimizer/";

    private Checkpoint() {
    }

    /** Saves weights, optimizer state (none when optimizer is null) and the extra metadata. */
    public static void save(Path path, Trainable model, Optimizer optimizer, Map<String, String> extra) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(model.fileMetadata());
        meta.putAll(extra);
        meta.put("kind", "checkpoint");
        meta.put("optimizer", optimizer == null ? "" : optimizer.describe());
        meta.put("iterations", Long.toString(optimizer == null ? 0 : optimizer.iterations()));
        NamedTensors.save(path, meta, tensors(model, optimizer));
    }

    /**
     * Loads a checkpoint: weights, optimizer state and step count; returns its metadata.
     * All or nothing: every tensor's name, shape and values (finite) and the step count are
     * checked before anything is replaced, so nothing changes when the file does not fit.
     *
     * @throws dev.jcnn.io.WeightsFileException naming the file and the tensor, or the metadata key and value, at fault
     */
    public static Map<String, String> load(Path path, Trainable model, Optimizer optimizer) throws IOException {
        return load(path, model, optimizer, c -> { });
    }

    /**
     * {@link #load(Path, Trainable, Optimizer)} with a check of the caller's run on the checked
     * values before any is written (a model checks its layers' state with it); the check throws
     * to refuse the file, which then changes nothing.
     */
    public static Map<String, String> load(Path path, Trainable model, Optimizer optimizer,
            Consumer<NamedTensors.Checked> check) throws IOException {
        NamedTensors.Checked checked = NamedTensors.read(path, tensors(model, optimizer), k -> false,
                "model '" + model.name() + "'");
        long iterations = iterations(path, checked.metadata());
        check.accept(checked);
        checked.apply();
        if (optimizer != null) {
            optimizer.setIterations(iterations);
        }
        return checked.metadata();
    }

    /** The optimizer's step count the metadata records (0 when absent). */
    private static long iterations(Path path, Map<String, String> meta) {
        String value = meta.getOrDefault("iterations", "0");
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || n > Integer.MAX_VALUE) {
            // the optimizers take the step count as an int (Adam's bias correction)
            throw new WeightsFileException(path + ": metadata 'iterations' is '" + value + "', expected the optimizer's"
                    + " step count, a whole number from 0 to " + Integer.MAX_VALUE);
        }
        return n;
    }

    private static Map<String, Tensor> tensors(Trainable model, Optimizer optimizer) {
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.weights());
        if (optimizer != null) {
            optimizer.state(model.parameters()).forEach((k, t) -> tensors.put(OPTIMIZER + k, t));
        }
        return tensors;
    }
}
