package dev.jcnn.samples.cli;

import dev.jcnn.backend.Backend;
import dev.jcnn.io.TensorFile;
import dev.jcnn.model.Model;
import dev.jcnn.model.ModelFormat;
import dev.jcnn.onnx.OnnxImport;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Opens a saved model: rebuilt from the architecture the file stores ({@link Model#load(Path,
 * Backend)}), or, for a file written before the architecture was stored, from the zoo model its
 * metadata names.
 */
final class ModelFiles {

    /** The weights file that {@code jcnn train} writes in its output folder. */
    static final String WEIGHTS = "model.jcnn";
    /** The checkpoint it rewrites at each epoch's end. */
    static final String CHECKPOINT = "checkpoint.jcnn";

    /** The largest dimension of a saved input shape that is taken: 16,384. */
    static final int MAX_INPUT_DIM = 1 << 14;

    private ModelFiles() {
    }

    /** Whether the path names an ONNX file (by its ".onnx" ending), which {@link #openAny} imports. */
    static boolean isOnnx(Path file) {
        return file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    /** Checks the model file before any data is fetched: an ONNX file's readability, a jcnn file's model name. */
    static void check(Path file) throws IOException {
        if (isOnnx(file)) {
            readableFile(file, "MODEL_FILE");
        } else {
            modelName(file);
        }
    }

    /**
     * Opens a jcnn weights or checkpoint file as {@link #open} does, or imports an ONNX file
     * ({@link OnnxImport}), compiled with the classifiers' loss for evaluation.
     */
    static Model openAny(Path file, Backend backend) throws IOException {
        if (!isOnnx(file)) {
            return open(file, backend);
        }
        readableFile(file, "MODEL_FILE");
        Model m = OnnxImport.read(file, backend);
        try {
            m.compile(new SparseCategoricalCrossEntropy());
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The zoo name a weights or checkpoint file was saved from. */
    static String modelName(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "no such model file; 'jcnn train MODEL' writes " + WEIGHTS + " into its output folder");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + ": a folder, not a model file"
                    + (Files.isRegularFile(file.resolve(WEIGHTS)) ? " (did you mean " + file.resolve(WEIGHTS) + "?)" : ""));
        }
        String name = TensorFile.read(file).metadata().get("model");
        if (name == null) {
            throw new IllegalArgumentException(file + ": the file does not say which model it holds (no 'model' metadata)");
        }
        return name;
    }

    /** The "input" metadata, as {@code Shape.toString} writes it: "(3, 32, 32)". */
    static Shape parseShape(String text, Path file) {
        String t = text.strip();
        if (!t.startsWith("(") || !t.endsWith(")") || t.length() > 64) {
            throw new IllegalArgumentException(file + ": input shape '" + text + "' is not of the form (C, H, W)");
        }
        String[] parts = t.substring(1, t.length() - 1).split(",");
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": input shape '" + text + "' is not of the form (C, H, W)", e);
            }
            if (dims[i] <= 0 || dims[i] > MAX_INPUT_DIM) {
                throw new IllegalArgumentException(file + ": input shape '" + text + "': dimension " + dims[i]
                        + " is outside 1.." + MAX_INPUT_DIM);
            }
        }
        if (dims.length != 3) {
            throw new IllegalArgumentException(file + ": input shape '" + text + "' has " + dims.length
                    + " dimensions, expected 3 (C, H, W)");
        }
        return Shape.of(dims);
    }

    /** Refuses a path that is not a readable file, naming it and the option that gave it. */
    static Path readableFile(Path file, String option) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file (" + option + ")");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + ": a folder, not a file (" + option + ")");
        }
        if (!Files.isReadable(file)) {
            throw new java.nio.file.AccessDeniedException(file.toString(), null, "permission denied (" + option + ")");
        }
        return file;
    }

    /**
     * The file's model, unbuilt (for its summary): from the stored architecture, or from the
     * zoo for a file written before it was stored.
     */
    static Model unbuilt(Path file) throws IOException {
        String name = modelName(file);
        Map<String, String> meta = TensorFile.read(file).metadata();
        String json = meta.get(ModelFormat.METADATA_KEY);
        if (json != null) {
            try {
                return ModelFormat.read(json);
            } catch (IllegalArgumentException e) {
                throw new dev.jcnn.io.WeightsFileException(file + ": metadata '" + ModelFormat.METADATA_KEY + "': "
                        + e.getMessage());
            }
        }
        String input = meta.get("input");
        return input == null ? ModelZoo.create(name) : ModelZoo.create(name, parseShape(input, file));
    }

    /**
     * Rebuilds the file's model on the backend, loads its weights and compiles it with its loss
     * for evaluation: from the stored architecture when the file has one (any model, its
     * normalisation and class names included), else from the zoo model the metadata names.
     * When the load fails, the model built for it is closed, so that its tensors do not
     * outlive the command.
     */
    static Model open(Path file, Backend backend) throws IOException {
        String name = modelName(file);
        Map<String, String> meta = TensorFile.read(file).metadata();
        Model m;
        if (meta.containsKey(ModelFormat.METADATA_KEY)) {
            m = Model.load(file, backend);
        } else {
            String input = meta.get("input");
            if (!ModelZoo.NAMES.contains(name.toLowerCase(Locale.ROOT)) && !name.equalsIgnoreCase("cifar")) {
                throw new IllegalArgumentException(file + " holds weights only, written before format "
                        + ModelFormat.FORMAT + ", of model '" + name + "', which is no zoo model ("
                        + String.join(", ", ModelZoo.NAMES) + "); rebuild it in code and load the weights into it");
            }
            m = input == null ? ModelZoo.create(name) : ModelZoo.create(name, parseShape(input, file));
        }
        try {
            if (!meta.containsKey(ModelFormat.METADATA_KEY)) {
                m.build(backend, 0L);
                m.load(file);
            }
            m.compile(new SparseCategoricalCrossEntropy());
            return m;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }
}
