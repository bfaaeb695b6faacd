package dev.jcnn.model;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.ActivationOutput;
import dev.jcnn.layers.AffineLayer;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.MergeLayer;
import dev.jcnn.layers.Node;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.OutputHead;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
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
 * model owns; a layer fed only by the model's input computes no input gradient. This is the
 * one graph implementation: a {@link Sequential} is a Functional whose graph is a chain.
 */
public class Functional extends Model {

    /** Marks an input of a node that is the model's input. */
    private static final int MODEL_INPUT = -1;

    private final Node input;
    private Node output;
    private List<Node> order = List.of();
    private final List<Layer> layers = new ArrayList<>();
    private int[][] inputsOf = new int[0][];
    private Tensor[] values = new Tensor[0];
    private Tensor[] accumulators = new Tensor[0];
    /** Per node: whether a layer upstream of it has parameters, so that its input gradient is needed. */
    private boolean[] gradientNeeded = new boolean[0];
    private boolean built;

    /** A model named "functional" from this input to this output. */
    public Functional(Node input, Node output) {
        this("functional", input, output);
    }

    public Functional(String name, Node input, Node output) {
        this(name, input);
        if (output == null) {
            throw new IllegalArgumentException("model '" + name + "': output node is null");
        }
        if (output == input) {
            throw new IllegalArgumentException("model '" + name + "': the output is the input itself; apply a layer to it first");
        }
        setOutput(output);
    }

    /** A graph from this input whose output a subclass sets ({@link Sequential} as layers are added). */
    protected Functional(String name, Node input) {
        super(name, requireInput(name, input).shape());
        this.input = input;
    }

    /** The model's input node. */
    protected Node input() {
        return input;
    }

    /** The output node, null while a subclass has set none. */
    protected Node output() {
        return output;
    }

    /** The model's input node, where its graph starts (for exporters that walk the graph). */
    public Node inputNode() {
        return input;
    }

    /** The model's output node, the end of its graph; throws when the model has no layers yet. */
    public Node outputNode() {
        return requireOutput();
    }

    /** The layer nodes in the order a forward pass runs them, each after the nodes it reads. */
    public List<Node> nodes() {
        return Collections.unmodifiableList(order);
    }

    /**
     * The metadata of a weights file or checkpoint, with the architecture as JSON under
     * {@link ModelFormat#METADATA_KEY} when every layer can be stored (see {@link ModelFormat}).
     */
    @Override
    public Map<String, String> fileMetadata() {
        Map<String, String> meta = super.fileMetadata();
        if (output != null && ModelFormat.supports(this)) {
            meta.put(ModelFormat.METADATA_KEY, ModelFormat.write(this));
        }
        return meta;
    }

    /** Makes {@code node} the output and works out the graph to it; only before the model is built. */
    protected void setOutput(Node node) {
        if (built) {
            throw new IllegalStateException("model '" + name() + "' is built; its graph cannot change");
        }
        String name = name();
        List<Node> newOrder = topologicalOrder(name, input, node);
        Map<Node, Integer> index = new IdentityHashMap<>();
        Map<Layer, Node> seen = new IdentityHashMap<>();
        List<Layer> newLayers = new ArrayList<>();
        for (Node n : newOrder) {
            Node other = seen.put(n.layer(), n);
            if (other != null) {
                throw new IllegalArgumentException("model '" + name + "': layer '" + n.layer().name()
                        + "' computes two nodes; layers are not shared, make a new layer");
            }
            index.put(n, index.size());
            newLayers.add(n.layer());
        }
        checkUniqueNames(name, newLayers);
        int[][] newInputs = new int[newOrder.size()][];
        for (int i = 0; i < newOrder.size(); i++) {
            List<Node> in = newOrder.get(i).inputs();
            newInputs[i] = new int[in.size()];
            for (int j = 0; j < in.size(); j++) {
                newInputs[i][j] = in.get(j) == input ? MODEL_INPUT : index.get(in.get(j));
            }
        }
        this.output = node;
        this.order = newOrder;
        this.layers.clear();
        this.layers.addAll(newLayers);
        this.inputsOf = newInputs;
        this.values = new Tensor[newOrder.size()];
        this.accumulators = new Tensor[newOrder.size()];
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

    private static void checkUniqueNames(String model, List<Layer> layers) {
        Map<String, Boolean> names = new HashMap<>();
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

    private Node requireOutput() {
        if (output == null) {
            throw new IllegalStateException("model '" + name() + "' has no layers");
        }
        return output;
    }

    @Override
    public Shape outputShape() {
        return requireOutput().shape();
    }

    /** The per-sample output shape for inputs of another shape, each layer's shape inferred anew. */
    @Override
    public Shape outputShape(Shape sampleShape) {
        Node out = requireOutput();
        if (sampleShape.equals(inputShape())) {
            return out.shape();
        }
        Shape[] shapes = new Shape[order.size()];
        for (int i = 0; i < order.size(); i++) {
            Layer l = order.get(i).layer();
            List<Shape> in = new ArrayList<>(inputsOf[i].length);
            for (int j : inputsOf[i]) {
                in.add(j == MODEL_INPUT ? sampleShape : shapes[j]);
            }
            if (l instanceof MergeLayer m) {
                shapes[i] = m.outputShape(in);
            } else {
                Shape made = order.get(i).inputs().get(0).shape();
                if (!weightShapes(l, in.get(0)).equals(weightShapes(l, made))) {
                    throw new IllegalArgumentException(l.name() + ": its weights fit inputs of shape " + made + ", not "
                            + in.get(0));
                }
                shapes[i] = l.outputShape(in.get(0));
            }
        }
        return shapes[order.size() - 1];
    }

    private static List<Shape> weightShapes(Layer l, Shape input) {
        return l.parameterSpecs(input).stream().map(p -> p.shape()).toList();
    }

    /** The output's last activation, looking through the layers that pass values on (Flatten, Dropout). */
    @Override
    public OutputHead outputHead() {
        Node n = requireOutput();
        List<String> through = new ArrayList<>();
        while (n.layer().keepsValues() && n.inputs().size() == 1 && !n.inputs().get(0).isInput()) {
            through.add(0, n.layer().name());
            n = n.inputs().get(0);
        }
        Layer head = n.layer();
        return new OutputHead(head.name(), head instanceof ActivationOutput a ? a.activation() : null, through);
    }

    @Override
    protected List<Summary.Row> summaryRows() {
        List<Summary.Row> rows = new ArrayList<>();
        rows.add(new Summary.Row(input.name(), "InputLayer", inputShape(), 0, ""));
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

    @Override
    protected void buildLayers(Backend backend, Random random) {
        requireOutput();
        built = true;
        gradientNeeded = new boolean[order.size()];
        for (int i = 0; i < order.size(); i++) {
            for (int j : inputsOf[i]) {
                // node j comes first in the order, so it is built and its parameters are known
                gradientNeeded[i] |= j != MODEL_INPUT && (gradientNeeded[j] || !order.get(j).layer().parameters().isEmpty());
            }
            Node n = order.get(i);
            Layer l = n.layer();
            if (l instanceof MergeLayer m) {
                List<Shape> shapes = new ArrayList<>();
                for (Node in : n.inputs()) {
                    shapes.add(in.shape());
                }
                m.build(shapes, backend, random);
            } else {
                l.build(n.inputs().get(0).shape(), backend, random);
                if (l instanceof AffineLayer a && !gradientNeeded[i]) {
                    // nothing upstream learns (the data, or a Normalization or pooling on it): no backward-data pass
                    a.computeInputGradient(false);
                }
            }
        }
    }

    /**
     * The forward pass; refused with {@link IllegalStateException} while another thread uses the
     * model (see {@link Model}).
     */
    @Override
    public Tensor forward(Tensor x, boolean training) {
        backend();
        return exclusive("forward", training, () -> run(layers, inputsOf, values, x, training, layerTimes));
    }

    /**
     * Runs the layers in order, layer i reading the outputs that inputsOf[i] names (or the
     * model's input), each output kept in values; returns the last layer's output. The model
     * and its predictor's copies of the layers share this one loop.
     */
    static Tensor run(List<Layer> layers, int[][] inputsOf, Tensor[] values, Tensor x, boolean training,
            LayerTimes times) {
        Arrays.fill(values, null);
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            long start = times == null ? 0 : System.nanoTime();
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
            if (times != null) {
                times.forward(l, !fedByModelInputOnly(inputsOf[i]), System.nanoTime() - start);
            }
        }
        return values[layers.size() - 1];
    }

    private static boolean fedByModelInputOnly(int[] inputs) {
        for (int j : inputs) {
            if (j != MODEL_INPUT) {
                return false;
            }
        }
        return true;
    }

    /** A copy of the graph over inference copies of the layers, for one of a predictor's threads. */
    InferenceReplica newReplica() {
        backend();
        return new InferenceReplica(this, layers, inputsOf);
    }

    @Override
    public Tensor logits() {
        if (!(requireOutput().layer() instanceof ActivationOutput a)) {
            throw new IllegalStateException("model '" + name() + "': the output layer '" + output.layer().name()
                    + "' has no activation, so no logits apart from its output");
        }
        return a.logits();
    }

    @Override
    public void backward(Tensor dOutput, boolean fromLogits) {
        exclusive("backward", true, () -> {
            backwardExclusively(dOutput, fromLogits);
            return null;
        });
    }

    private void backwardExclusively(Tensor dOutput, boolean fromLogits) {
        int last = order.size() - 1;
        Tensor[] grads = new Tensor[order.size()];
        grads[last] = dOutput;
        for (int i = last; i >= 0; i--) {
            Tensor g = grads[i];
            Layer l = order.get(i).layer();
            if (g == null || !gradientNeeded[i] && l.parameters().isEmpty()) {
                // nothing here or upstream learns: a Normalization on the data computes no gradient
                continue;
            }
            List<Tensor> dxs;
            LayerTimes times = layerTimes;
            long start = times == null ? 0 : System.nanoTime();
            if (fromLogits && i == last) {
                dxs = Collections.singletonList(((ActivationOutput) l).backwardFromLogits(g));
            } else if (l instanceof MergeLayer m) {
                dxs = m.backwardInputs(g);
            } else {
                dxs = Collections.singletonList(l.backward(g));
            }
            if (times != null) {
                times.backward(l, !fedByModelInputOnly(inputsOf[i]), System.nanoTime() - start);
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
        exclusive("close", true, () -> {
            for (int i = 0; i < accumulators.length; i++) {
                if (accumulators[i] != null) {
                    accumulators[i].close();
                    accumulators[i] = null;
                }
            }
            Arrays.fill(values, null);
            super.close();
            return null;
        });
    }
}
