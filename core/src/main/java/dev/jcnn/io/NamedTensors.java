package dev.jcnn.io;

import dev.jcnn.backend.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Named tensors to and from a {@link TensorFile}: what weights files and checkpoints are made
 * of. Loading checks every name, shape and value (all finite) before it replaces a single
 * one, so a file that does not fit changes nothing.
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
     * Reads the file into the target tensors, by name, and returns its metadata: {@link #read}
     * then {@link Checked#apply}.
     *
     * @throws WeightsFileException naming the file and the tensor that does not fit
     */
    public static Map<String, String> load(Path path, Map<String, Tensor> targets, Predicate<String> skip, String owner)
            throws IOException {
        Checked c = read(path, targets, skip, owner);
        c.apply();
        return c.metadata();
    }

    /**
     * Reads and checks the file against the target tensors without changing them. The file's
     * tensors whose names {@code skip} accepts are left out; every other one must be a target,
     * every target must be in the file with its shape, and every value must be finite. A
     * caller with metadata of its own to check does so before it {@link Checked#apply applies}
     * the result, so that a load is all or nothing.
     *
     * @param owner what the tensors belong to, for messages, e.g. "model 'lenet5'"
     * @throws WeightsFileException naming the file, the tensor and, for a value, its index
     */
    public static Checked read(Path path, Map<String, Tensor> targets, Predicate<String> skip, String owner)
            throws IOException {
        return check(path, TensorFile.read(path), targets, skip, owner);
    }

    /**
     * {@link #read} for contents already read from {@code path} (by a caller that needed the
     * metadata first, such as a model rebuilt from its stored architecture).
     */
    public static Checked check(Path path, TensorFile.Contents c, Map<String, Tensor> targets, Predicate<String> skip,
            String owner) {
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
        for (Map.Entry<String, TensorFile.Entry> e : entries.entrySet()) {
            if (!targets.containsKey(e.getKey())) {
                throw new WeightsFileException(path + ": tensor '" + e.getKey() + "' does not belong to " + owner
                        + " (a different architecture?)");
            }
            float[] v = e.getValue().data();
            int at = firstNonFinite(v);
            if (at >= 0) {
                throw new WeightsFileException(path + ": tensor '" + e.getKey() + "' holds a non-finite value, " + v[at]
                        + " at index " + at + " of " + e.getValue().shape() + " (" + countNonFinite(v)
                        + " in all); a model trained to NaN or a damaged file, refused for " + owner);
            }
        }
        List<Map.Entry<Tensor, float[]>> values = new ArrayList<>();
        for (Map.Entry<String, Tensor> t : targets.entrySet()) {
            values.add(Map.entry(t.getValue(), entries.get(t.getKey()).data()));
        }
        return new Checked(c.metadata(), values);
    }

    /** The index of the first NaN or infinite value, or -1 when all are finite. */
    public static int firstNonFinite(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }

    private static int countNonFinite(float[] v) {
        int n = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                n++;
            }
        }
        return n;
    }

    /** A file's metadata and values, checked against their targets and not yet written into them. */
    public static final class Checked {

        private final Map<String, String> metadata;
        private final List<Map.Entry<Tensor, float[]>> values;

        private Checked(Map<String, String> metadata, List<Map.Entry<Tensor, float[]>> values) {
            this.metadata = metadata;
            this.values = values;
        }

        /** The file's metadata. */
        public Map<String, String> metadata() {
            return metadata;
        }

        /** The checked values for this target tensor, not to be modified; null when it is no target. */
        public float[] valuesFor(Tensor target) {
            for (Map.Entry<Tensor, float[]> e : values) {
                if (e.getKey() == target) {
                    return e.getValue();
                }
            }
            return null;
        }

        /** Writes every value into its target tensor. */
        public void apply() {
            values.forEach(e -> e.getKey().backend().write(e.getKey(), e.getValue()));
        }
    }
}
