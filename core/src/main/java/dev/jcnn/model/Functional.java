package dev.jcnn.model;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.AffineLayer;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.MergeLayer;
import dev.jcnn.layers.SoftmaxOutput;
import dev.jcnn.tensor.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A model from an input node to an output node through any graph of layers, Keras'
 * {@code keras.Model(inputs, outputs)}: branches, merges (Add, Concatenate) and skips.
 * {@link Sequential} is the special case of a chain.
 *
 * <pre>{@code
 * Node x = Input.of(1, 16, 16);
 * Node h = new Conv2D(8, 3).padding(Padding.SAME).activation(Activation.RELU).apply(x);
 * Node r = new Conv2D(8, 3).padding(Padding.SAME).activation(Activation.RELU).apply(h);
 * r = new Conv2D(8, 3).padding(Padding.SAME).apply(r);
 * h = new ActivationLayer(Activation.RELU).apply(new Add().apply(h, r));   // residual: relu(h + F(h))
 * Node y = new Dense(3, Activation.SOFTMAX).apply(new GlobalAveragePooling2D().apply(h));
 * Model m = new Functional("resnet", x, y);
 * }</pre>
 *
 * <p>The layers run in a topological order of the graph. In the backward pass a node whose
 * output feeds several layers receives the sum of their gradients, accumulated in a tensor the
 * model owns; a layer fed only by the model's input computes no input gradient.
 */
public class Functional extends Model {

    /** Marks an input of a node that is the model's input. */
    private static final int MODEL_INPUT = -1;

    private final Node output;
    private final List<Node> order;
    private final List<Layer> layers = new ArrayList<>();
    private final int[][] inputsOf;
    private final Tensor[] values;
    private final Tensor[] accumulators;

    /** A model named "functional" from this input to this output. */
    public Functional(Node input, Node output) {
        this("functional", input, output);
    }

    public Functional(String name, Node input, Node output) {
        super(name, requireInput(name, input).shape());
        if (output == null) {
            throw new IllegalArgumentException("model '" + name + "': output node is null");
        }
        if (output == input) {
            throw new IllegalArgumentException("model '" + name + "': the output is the input itself; apply a layer to it first");
        }
        this.output = output;
        this.order = topologicalOrder(name, input, output);
        Map<Node, Integer> index = new IdentityHashMap<>();
        Map<Layer, Node> seen = new IdentityHashMap<>();
        for (Node n : order) {
            Node other = seen.put(n.layer(), n);
            if (other != null) {
                throw new IllegalArgumentException("model '" + name + "': layer '" + n.layer().name()
                        + "' computes two nodes; layers are not shared, make a new layer");
            }
            index.put(n, index.size());
            layers.add(n.layer());
        }
        checkUniqueNames(name);
        this.inputsOf = new int[order.size()][];
        for (int i = 0; i < order.size(); i++) {
            List<Node> in = order.get(i).inputs();
            inputsOf[i] = new int[in.size()];
            for (int j = 0; j < in.size(); j++) {
                inputsOf[i][j] = in.get(j) == input ? MODEL_INPUT : index.get(in.get(j));
            }
        }
        this.values = new Tensor[order.size()];
        this.accumulators = new Tensor[order.size()];
    }

    private static Node requireInput(String name, Node input) {
        if (input == null || !input.isInput()) {
            throw new IllegalArgumentException("model '" + name + "': expected an input node (Input.of(...)), got " + input);
        }
        return input;
    }

    /**
     * Every layer node the output depends on, each after the nodes it reads (depth-first,
     * inputs in argument order); throws when the output depends on another input node.
     */
    private static List<Node> topologicalOrder(String model, Node input, Node output) {
        List<Node> order = new ArrayList<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> stack = new ArrayDeque<>();
        Deque<Integer> next = new ArrayDeque<>();
        stack.push(output);
        next.push(0);
        while (!stack.isEmpty()) {
            Node n = stack.peek();
            int i = next.pop();
            if (i < n.inputs().size()) {
                next.push(i + 1);
                Node in = n.inputs().get(i);
                if (in == input) {
                    continue;
                }
                if (in.isInput()) {
                    throw new IllegalArgumentException("model '" + model + "': layer '" + n.name() + "' reads an input"
                            + " node '" + in.name() + "' " + in.shape() + " made by another Input.of call than the"
                            + " model's input; a model has one input");
                }
                if (seen.add(in)) {
                    stack.push(in);
                    next.push(0);
                }
            } else {
                stack.pop();
                order.add(n);
            }
        }
        return order;
    }

    private void checkUniqueNames(String model) {
        Map<String, Boolean> names = new java.util.HashMap<>();
        for (Layer l : layers) {
            if (names.put(l.name(), Boolean.TRUE) != null) {
                throw new IllegalArgumentException("model '" + model + "' has two layers named '" + l.name()
                        + "'; names key the weights file and must be unique");
            }
        }
    }

    @Override
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    protected Layer outputLayer() {
        return output.layer();
    }

    @Override
    public Shape outputShape() {
        return output.shape();
    }

    @Override
    protected List<Summary.Row> summaryRows() {
        List<Summary.Row> rows = new ArrayList<>();
        rows.add(new Summary.Row(inputName(), "InputLayer", inputShape(), 0, ""));
        for (int i = 0; i < order.size(); i++) {
            Node n = order.get(i);
            Layer l = n.layer();
            Shape in = n.inputs().get(0).shape();
            long params = l.parameterCount(in);
            long state = l.stateCount(in);
            List<String> from = new ArrayList<>();
            for (Node src : n.inputs()) {
                from.add(src.name());
            }
            rows.add(new Summary.Row(l.name(), l.type(), n.shape(), params + state, String.join(", ", from), state));
        }
        return rows;
    }

    private String inputName() {
        for (int i = 0; i < order.size(); i++) {
            for (int j = 0; j < inputsOf[i].length; j++) {
                if (inputsOf[i][j] == MODEL_INPUT) {
                    return order.get(i).inputs().get(j).name();
                }
            }
        }
        throw new IllegalStateException("model '" + name() + "' reads no input");
    }

    @Override
    protected void buildLayers(Backend backend, Random random) {
        for (Node n : order) {
            Layer l = n.layer();
            if (l instanceof MergeLayer m) {
                List<Shape> shapes = new ArrayList<>();
                for (Node in : n.inputs()) {
                    shapes.add(in.shape());
                }
                m.build(shapes, backend, random);
            } else {
                l.build(n.inputs().get(0).shape(), backend, random);
                if (l instanceof AffineLayer a && n.inputs().get(0).isInput()) {
                    a.computeInputGradient(false);
                }
            }
        }
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        java.util.Arrays.fill(values, null);
        for (int i = 0; i < order.size(); i++) {
            Layer l = order.get(i).layer();
            if (l instanceof MergeLayer m) {
                List<Tensor> xs = new ArrayList<>(inputsOf[i].length);
                for (int j : inputsOf[i]) {
                    xs.add(j == MODEL_INPUT ? x : values[j]);
                }
                values[i] = m.forward(xs, training);
            } else {
                int j = inputsOf[i][0];
                values[i] = l.forward(j == MODEL_INPUT ? x : values[j], training);
            }
        }
        return values[order.size() - 1];
    }

    @Override
    protected void backward(Tensor dOutput, boolean fromLogits) {
        int last = order.size() - 1;
        Tensor[] grads = new Tensor[order.size()];
        grads[last] = dOutput;
        for (int i = last; i >= 0; i--) {
            Tensor g = grads[i];
            if (g == null) {
                continue;
            }
            Layer l = order.get(i).layer();
            List<Tensor> dxs;
            if (fromLogits && i == last) {
                dxs = Collections.singletonList(((SoftmaxOutput) l).backwardFromLogits(g));
            } else if (l instanceof MergeLayer m) {
                dxs = m.backwardInputs(g);
            } else {
                dxs = Collections.singletonList(l.backward(g));
            }
            for (int j = 0; j < inputsOf[i].length; j++) {
                int src = inputsOf[i][j];
                if (src != MODEL_INPUT && dxs.get(j) != null) {
                    grads[src] = accumulate(src, grads[src], dxs.get(j));
                }
            }
        }
    }

    /**
     * The gradient of node k after one more contribution: the contribution itself when it is
     * the first, else the sum in the node's own accumulator (never written into a layer's buffer).
     */
    private Tensor accumulate(int k, Tensor sofar, Tensor more) {
        if (sofar == null) {
            return more;
        }
        Backend b = backend();
        Tensor acc = accumulators[k];
        if (acc == null || !acc.shape().equals(more.shape())) {
            if (acc != null) {
                acc.close();
            }
            acc = b.allocate(more.shape());
            accumulators[k] = acc;
        }
        if (sofar != acc) {
            b.elementwise().copy(sofar, acc);
        }
        b.elementwise().add(acc, more, acc);
        return acc;
    }

    @Override
    protected Tensor lastOutput(int index) {
        return values[index];
    }

    @Override
    public void close() {
        for (int i = 0; i < accumulators.length; i++) {
            if (accumulators[i] != null) {
                accumulators[i].close();
                accumulators[i] = null;
            }
        }
        java.util.Arrays.fill(values, null);
        super.close();
    }
}
