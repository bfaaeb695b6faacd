package dev.jcnn.samples;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Backends;
import dev.jcnn.data.Mnist;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Padding;
import dev.jcnn.model.Sequential;
import dev.jcnn.samples.mnist.MnistFetcher;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.nio.file.Path;
import java.util.List;

/**
 * The program README.md shows: LeNet-5, its summary, and two epochs of training on MNIST on the
 * CPU backend, the images read from the dataset batch by batch.
 */
public final class ReadmeExample {

    private ReadmeExample() {
    }

    public static void main(String[] args) throws Exception {
        Mnist mnist = Mnist.load(MnistFetcher.configured(null, List.of(), System.getenv()).ensure());

        try (Backend cpu = Backends.create("cpu");
             Sequential lenet = new Sequential("lenet5", Shape.of(1, 28, 28),
                 new Conv2D(6, 5).padding(Padding.SAME).activation(Activation.RELU),
                 new MaxPool2D(2),
                 new Conv2D(16, 5).activation(Activation.RELU),
                 new MaxPool2D(2),
                 new Flatten(),
                 new Dense(120, Activation.RELU),
                 new Dense(84, Activation.RELU),
                 new Dense(10, Activation.SOFTMAX))) {
            System.out.print(lenet.summary());
            lenet.build(cpu, 42).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f, 0.9f));
            History h = lenet.fit(mnist.train(), FitOptions.of(2, 64).validation(mnist.test()));
            System.out.printf("test accuracy %.4f%n", h.last().valAccuracy());
            lenet.save(Path.of("lenet5.jcnn"));
        }
    }
}
