package dev.jcnn.bench;

import dev.jcnn.layers.Activation;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Padding;
import dev.jcnn.model.Sequential;
import dev.jcnn.tensor.Shape;

/** The LeNet-5 of the samples and of the PyTorch peer: 6@5×5 SAME, pool, 16@5×5, pool, 120, 84, 10. */
final class LeNet5 {

    private LeNet5() {
    }

    static Sequential create() {
        return new Sequential("lenet5", Shape.of(1, 28, 28),
                new Conv2D(6, 5).padding(Padding.SAME).activation(Activation.RELU),
                new MaxPool2D(2),
                new Conv2D(16, 5).activation(Activation.RELU),
                new MaxPool2D(2),
                new Flatten(),
                new Dense(120, Activation.RELU),
                new Dense(84, Activation.RELU),
                new Dense(10, Activation.SOFTMAX));
    }
}
