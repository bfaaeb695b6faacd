package dev.jcnn.layers;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A layer that merges the outputs of several layers into one (Add, Concatenate), used in
 * functional models: {@code new Add().apply(a, b)}. It takes at least two inputs; the
 * single-input methods of {@link Layer} say so when a merge is put in a Sequential.
 */
public abstract class MergeLayer extends Layer {

    private List<Shape> inputShapes = List.of();

    protected MergeLayer() {
        super(null);
    }

    /** The per-sample output shape for these per-sample input shapes; throws naming this layer when they do not fit. */
    public abstract Shape outputShape(List<Shape> inputs);

    /** The forward pass over one batch tensor per input, in the order the layer was applied to them. */
    public abstract Tensor forward(List<Tensor> xs, boolean training);

    /**
     * The backward pass: the gradient for each input, in order. An entry may be the same tensor
     * as dy or as another entry (Add passes dy on unchanged); callers must not write into them.
     */
    public abstract List<Tensor> backwardInputs(Tensor dy);

    /** Builds the merge for these per-sample input shapes; returns the output shape. */
    public Shape build(List<Shape> inputs, Backend backend, Random random) {
        Shape out = outputShape(inputs);
        attach(inputs.get(0), backend, random);
        this.inputShapes = List.copyOf(inputs);
        return out;
    }

    /** The per-sample input shapes the merge was built for. */
    public List<Shape> inputShapes() {
        return inputShapes;
    }

    @Override
    public Shape outputShape(Shape input) {
        throw new IllegalArgumentException(name() + ": " + type() + " merges two or more inputs and cannot follow a single"
                + " layer; use it in a functional model: new " + type() + "().apply(a, b)");
    }

    @Override
    public Shape build(Shape input, Backend backend, Random random) {
        return build(List.of(input), backend, random);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        return forward(List.of(x), training);
    }

    @Override
    public Tensor backward(Tensor dy) {
        return backwardInputs(dy).get(0);
    }

    /** Checks the count of inputs: at least two. */
    protected void requireSeveral(int count) {
        if (count < 2) {
            throw new IllegalArgumentException(name() + ": " + type() + " merges two or more inputs, got " + count);
        }
    }

    /** Shapes as "(8, 4, 4) and (4, 4, 4)" for messages. */
    protected static String describe(List<Shape> shapes) {
        List<String> parts = new ArrayList<>();
        for (Shape s : shapes) {
            parts.add(s.toString());
        }
        return String.join(" and ", parts);
    }

    /** The batch shapes of these tensors. */
    protected static List<Shape> shapesOf(List<Tensor> xs) {
        List<Shape> shapes = new ArrayList<>();
        for (Tensor t : xs) {
            shapes.add(t.shape());
        }
        return shapes;
    }
}
