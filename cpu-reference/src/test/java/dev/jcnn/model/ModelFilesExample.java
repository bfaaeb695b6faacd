package dev.jcnn.model;

import dev.jcnn.backend.Backend;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.data.SampleSource;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Normalization;
import dev.jcnn.layers.Padding;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.Adam;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** docs/model-files.md's example, line for line: train with a stored normalisation, save, reload from the file alone. */
final class ModelFilesExample {

    private ModelFilesExample() {
    }

    /** Trains on the given images, saves to {@code file} and returns the reloaded model's classes for the images. */
    static int[] run(float[] images, int[] labels, Path file) throws IOException {
        Shape shape = Shape.of(1, 12, 12);
        try (Backend backend = new CpuBackend()) {
            SampleSource train = SampleSource.of(shape, images, labels);
            Sequential model = new Sequential("bars", shape,
                    Normalization.adapt(train),                 // per-channel mean and std, stored in the file
                    new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU),
                    new MaxPool2D(2),
                    new Flatten(),
                    new Dense(2, Activation.SOFTMAX));
            model.build(backend, 1).compile(new SparseCategoricalCrossEntropy(), new Adam(0.01f));
            model.classNames(List.of("horizontal", "vertical"));
            model.fit(train, FitOptions.of(3, 16));
            model.save(file);                                   // weights, architecture, class names
            model.close();

            try (Model loaded = Model.load(file, backend)) {    // no Java code of the model needed
                System.out.println(loaded.summary() + loaded.classNames());
                return loaded.predictClasses(images, 32);
            }
        }
    }
}
