package dev.jcnn.samples.cli;

import dev.jcnn.backend.Backend;
import dev.jcnn.io.TensorFile;
import dev.jcnn.model.Sequential;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens a saved model: the file's metadata names the zoo model, which is rebuilt and loaded. */
final class ModelFiles {

    /** The weights file that {@code jcnn train} writes in its output folder. */
    static final String WEIGHTS = "model.jcnn";
    /** The checkpoint it rewrites at each epoch's end. */
    static final String CHECKPOINT = "checkpoint.jcnn";

    private ModelFiles() {
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
     * Rebuilds the file's model on the backend, loads its weights and compiles it with its loss
     * for evaluation. When the load fails, the model built for it is closed, so that its
     * tensors do not outlive the command.
     */
    static Sequential open(Path file, Backend backend) throws IOException {
        Sequential m = ModelZoo.create(modelName(file));
        try {
            m.build(backend, 0L);
            m.load(file);
            m.compile(new SparseCategoricalCrossEntropy());
            return m;
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }
}
