package dev.jcnn.layers;

import dev.jcnn.tensor.Shape;

/** The input of a functional model, Keras' {@code keras.Input(shape)}: a symbolic {@link Node} of a per-sample shape. */
public final class Input {

    private Input() {
    }

    /** An input named "input" of per-sample shape dims, e.g. {@code Input.of(1, 28, 28)}. */
    public static Node of(int... dims) {
        return of("input", Shape.of(dims));
    }

    /** A named input of this per-sample shape. */
    public static Node of(String name, Shape shape) {
        if (name == null || name.isEmpty() || shape == null) {
            throw new IllegalArgumentException("an input needs a name and a shape, got name '" + name + "', shape " + shape);
        }
        return Node.input(name, shape);
    }
}
