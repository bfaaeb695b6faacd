package dev.jcnn.layers;

import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A symbolic tensor of a functional model: a model input ({@link Input#of}) or the output of a
 * layer applied to other nodes ({@link Layer#apply}). It holds no data, only its per-sample
 * shape, inferred when the layer is applied so that a misfit fails at once, and what feeds it.
 *
 * <pre>{@code
 * Node x = Input.of(8, 16, 16);
 * Node h = new Conv2D(8, 3).padding(Padding.SAME).activation(Activation.RELU).apply(x);
 * h = new Conv2D(8, 3).padding(Padding.SAME).apply(h);
 * Node y = new ActivationLayer(Activation.RELU).apply(new Add().apply(h, x));   // a residual block
 * }</pre>
 */
public final class Node {

    private final Layer layer;
    private final String inputName;
    private final List<Node> inputs;
    private final Shape shape;
    private final Naming naming;

    private Node(Layer layer, String inputName, List<Node> inputs, Shape shape, Naming naming) {
        this.layer = layer;
        this.inputName = inputName;
        this.inputs = inputs;
        this.shape = shape;
        this.naming = naming;
    }

    /** A model input of this per-sample shape; its graph names unnamed layers "conv2d_1", "conv2d_2", ... */
    static Node input(String name, Shape shape) {
        Naming naming = new Naming();
        naming.claim(name);
        return new Node(null, name, List.of(), shape, naming);
    }

    /**
     * The node of {@code layer} applied to {@code inputs}, what {@link Layer#apply} returns: names
     * the layer if it has no name and infers the output shape.
     *
     * @throws IllegalArgumentException naming the layer when the inputs do not fit it
     */
    public static Node of(Layer layer, Node... inputs) {
        if (layer == null) {
            throw new IllegalArgumentException("a node needs a layer, got null");
        }
        if (inputs == null || inputs.length == 0 || Arrays.asList(inputs).contains(null)) {
            throw new IllegalArgumentException(layer.type() + ": apply needs input nodes, got "
                    + (inputs == null ? "null" : Arrays.toString(inputs)));
        }
        Naming naming = inputs[0].naming;
        String given = layer.name();
        naming.name(layer);
        try {
            return new Node(layer, null, List.of(inputs), inferShape(layer, inputs), naming);
        } catch (RuntimeException e) {
            naming.release(layer.name());
            layer.named(given);
            throw e;
        }
    }

    private static Shape inferShape(Layer layer, Node[] inputs) {
        if (layer instanceof MergeLayer && inputs.length == 1) {
            // a merge after one layer (as in a Sequential): its single-input shape says to apply it to several
            return layer.outputShape(inputs[0].shape);
        }
        if (layer instanceof MergeLayer merge) {
            List<Shape> shapes = new ArrayList<>();
            for (Node n : inputs) {
                shapes.add(n.shape);
            }
            return merge.outputShape(shapes);
        }
        if (inputs.length != 1) {
            throw new IllegalArgumentException(layer.name() + ": takes one input, got " + inputs.length
                    + "; merge several with Add or Concatenate first");
        }
        return layer.outputShape(inputs[0].shape);
    }

    /** The per-sample shape, e.g. (8, 16, 16). */
    public Shape shape() {
        return shape;
    }

    /** The layer that computes this node, null for a model input. */
    public Layer layer() {
        return layer;
    }

    /** The nodes this one is computed from, in the layer's argument order (empty for an input). */
    public List<Node> inputs() {
        return inputs;
    }

    public boolean isInput() {
        return layer == null;
    }

    /** The input's name or the layer's. */
    public String name() {
        return isInput() ? inputName : layer.name();
    }

    @Override
    public String toString() {
        return name() + " " + shape;
    }
}
