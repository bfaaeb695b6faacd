package dev.jcnn.model;

import dev.jcnn.layers.Input;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.Node;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain stack of layers, each feeding the next: Keras' {@code Sequential}. As in Keras it
 * is a {@link Functional} model whose graph is a chain: each added layer is applied to the
 * output so far.
 *
 * <pre>{@code
 * Sequential lenet = new Sequential(Shape.of(1, 28, 28),
 *     new Conv2D(6, 5).padding(Padding.SAME).activation(Activation.RELU),
 *     new MaxPool2D(2),
 *     new Conv2D(16, 5).activation(Activation.RELU),
 *     new MaxPool2D(2),
 *     new Flatten(),
 *     new Dense(120, Activation.RELU),
 *     new Dense(84, Activation.RELU),
 *     new Dense(10, Activation.SOFTMAX));
 * }</pre>
 */
public class Sequential extends Functional {

    /** A stack for samples of this per-sample shape, e.g. (1, 28, 28), holding these layers. */
    public Sequential(Shape inputShape, Layer... layers) {
        this("sequential", inputShape, layers);
    }

    public Sequential(String name, Shape inputShape, Layer... layers) {
        super(name, Input.of("input", inputShape));
        for (Layer l : layers) {
            add(l);
        }
    }

    /**
     * Appends a layer, naming it Keras-style ("conv2d_1") if it has no name; returns this model.
     *
     * @throws IllegalArgumentException naming the layer when it does not fit the output so far
     */
    public Sequential add(Layer layer) {
        Node last = output() == null ? input() : output();
        setOutput(layer.apply(last));
        return this;
    }

    /** A chain's rows: no input row and no "Connected to" column, as Keras prints a Sequential. */
    @Override
    protected List<Summary.Row> summaryRows() {
        List<Summary.Row> rows = new ArrayList<>();
        for (Summary.Row r : super.summaryRows().subList(1, layers().size() + 1)) {
            rows.add(new Summary.Row(r.layer(), r.type(), r.output(), r.parameters(), "", r.nonTrainable()));
        }
        return rows;
    }
}
