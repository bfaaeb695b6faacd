package dev.jcnn.io;

import dev.jcnn.backend.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Named tensors to and from a {@link TensorFile}: what weights files and checkpoints are made
 * of. Loading checks every name and shape before it replaces a single value, so a file that
 * does not fit changes nothing.
 */
public final class NamedTensors {

    private NamedTensors() {
    }

    /** Writes the tensors' values, in the map's order, with the metadata, atomically. */
    public static void save(Path path, Map<String, String> metadata, Map<String, Tensor> tensors) throws IOException {
        Map<String, TensorFile.Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            entries.put(e.getKey(), new TensorFile.Entry(e.getValue().shape(), e.getValue().toArray()));
        }
        TensorFile.write(path, metadata, entries);
    }

    /**
     * Reads the file into the target tensors, by name, and returns its metadata. The file's
     * tensors whose names {@code skip} accepts are left out; every other one must be a target,
     * and every target must be in the file with its shape.
     *
     * @param owner what the tensors belong to, for messages, e.g. "model 'lenet5'"
     * @throws WeightsFileException naming the file and the tensor that does not fit
     */
    public static Map<String, String> load(Path path, Map<String, Tensor> targets, Predicate<String> skip, String owner)
            throws IOException {
        TensorFile.Contents c = TensorFile.read(path);
        Map<String, TensorFile.Entry> entries = new LinkedHashMap<>(c.tensors());
        entries.keySet().removeIf(skip);
        for (Map.Entry<String, Tensor> t : targets.entrySet()) {
            TensorFile.Entry e = entries.get(t.getKey());
            if (e == null) {
                throw new WeightsFileException(path + ": has no tensor '" + t.getKey() + "' that " + owner
                        + " needs; the file holds " + entries.keySet());
            }
            if (!e.shape().equals(t.getValue().shape())) {
                throw new WeightsFileException(path + ": tensor '" + t.getKey() + "' has shape " + e.shape()
                        + ", " + owner + " expects " + t.getValue().shape());
            }
        }
        for (String k : entries.keySet()) {
            if (!targets.containsKey(k)) {
                throw new WeightsFileException(path + ": tensor '" + k + "' does not belong to " + owner
                        + " (a different architecture?)");
            }
        }
        for (Map.Entry<String, Tensor> t : targets.entrySet()) {
            t.getValue().backend().write(t.getValue(), entries.get(t.getKey()).data());
        }
        return c.metadata();
    }
}
