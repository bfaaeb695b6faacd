package dev.jcnn.model;

import dev.jcnn.backend.Backend;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;

/** docs/zoo.md's example: a zoo model for another input size and class count; ZooExampleTest runs it. */
final class ZooExample {

    private ZooExample() {
    }

    /** A ResNet-18 for 64×64 images of ten classes, trained for one epoch on the images and labels given. */
    static Model resnet18ForTenClasses(Backend backend, float[] images, int[] labels) {
        Model model = ModelZoo.create("resnet18", Shape.of(3, 64, 64), 10);   // Functional: a graph with skips
        model.build(backend, 42).compile(new SparseCategoricalCrossEntropy(), new Sgd(0.01f, 0.9f));
        System.out.println(model.trainableParameterCount());                   // 11,181,642: Dense 512 → 10
        History history = model.fit(images, labels, FitOptions.of(1, 8));
        System.out.println(history.last().loss());
        return model;
    }
}
