package dev.jcnn.layers;

import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.Collections;
import java.util.List;

/** Elementwise sum of two or more inputs of the same shape, Keras' {@code Add}: the join of a residual connection. */
public class Add extends MergeLayer {

    private int count;

    @Override
    public Shape outputShape(List<Shape> inputs) {
        requireSeveral(inputs.size());
        for (Shape s : inputs) {
            if (!s.equals(inputs.get(0))) {
                throw new IllegalArgumentException(name() + ": inputs have shapes " + describe(inputs)
                        + "; Add needs equal shapes");
            }
        }
        return inputs.get(0);
    }

    @Override
    public Tensor forward(List<Tensor> xs, boolean training) {
        requireSeveral(xs.size());
        List<Shape> shapes = shapesOf(xs);
        for (Shape s : shapes) {
            if (!s.equals(shapes.get(0))) {
                throw new IllegalArgumentException(name() + ": inputs have shapes " + describe(shapes)
                        + " in this batch; Add needs equal shapes");
            }
        }
        count = xs.size();
        Tensor y = buffer("y", shapes.get(0));
        backend().elementwise().add(xs.get(0), xs.get(1), y);
        for (int i = 2; i < xs.size(); i++) {
            backend().elementwise().add(y, xs.get(i), y);
        }
        return y;
    }

    /** The sum passes its gradient unchanged to every input. */
    @Override
    public List<Tensor> backwardInputs(Tensor dy) {
        return Collections.nCopies(count, dy);
    }
}
