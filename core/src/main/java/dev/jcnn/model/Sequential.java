package dev.jcnn.model;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.AffineLayer;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.SoftmaxOutput;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A plain stack of layers, each feeding the next: Keras' {@code Sequential}.
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
public class Sequential extends Model {

    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, Integer> typeCounts = new HashMap<>();
    private final List<Tensor> lastOutputs = new ArrayList<>();

    /** A stack for samples of this per-sample shape, e.g. (1, 28, 28), holding these layers. */
    public Sequential(Shape inputShape, Layer... layers) {
        this("sequential", inputShape, layers);
    }

    public Sequential(String name, Shape inputShape, Layer... layers) {
        super(name, inputShape);
        for (Layer l : layers) {
            add(l);
        }
    }

    /** Appends a layer, naming it Keras-style ("conv2d_1") if it has no name; returns this model. */
    public Sequential add(Layer layer) {
        if (layer.name() == null) {
            String base = snake(layer.getClass().getSimpleName());
            int k = typeCounts.merge(base, 1, Integer::sum);
            layer.named(base + "_" + k);
        }
        for (Layer l : layers) {
            if (l.name().equals(layer.name())) {
                throw new IllegalArgumentException("model '" + name() + "' already has a layer named '" + layer.name() + "'");
            }
        }
        layers.add(layer);
        outputShape();
        return this;
    }

    @Override
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    protected Layer outputLayer() {
        if (layers.isEmpty()) {
            throw new IllegalStateException("model '" + name() + "' has no layers");
        }
        return layers.get(layers.size() - 1);
    }

    @Override
    public Shape outputShape() {
        Shape s = inputShape();
        for (Layer l : layers) {
            s = l.outputShape(s);
        }
        return s;
    }

    @Override
    protected List<Summary.Row> summaryRows() {
        List<Summary.Row> rows = new ArrayList<>();
        Shape s = inputShape();
        for (Layer l : layers) {
            Shape out = l.outputShape(s);
            long state = l.stateCount(s);
            rows.add(new Summary.Row(l.name(), l.type(), out, l.parameterCount(s) + state, "", state));
            s = out;
        }
        return rows;
    }

    @Override
    protected void buildLayers(Backend backend, Random random) {
        Shape s = inputShape();
        for (Layer l : layers) {
            s = l.build(s, backend, random);
        }
        if (!layers.isEmpty() && layers.get(0) instanceof AffineLayer first) {
            first.computeInputGradient(false);
        }
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        lastOutputs.clear();
        Tensor h = x;
        for (Layer l : layers) {
            h = l.forward(h, training);
            lastOutputs.add(h);
        }
        return h;
    }

    @Override
    protected void backward(Tensor dOutput, boolean fromLogits) {
        Tensor g = dOutput;
        for (int i = layers.size() - 1; i >= 0 && g != null; i--) {
            Layer l = layers.get(i);
            g = (fromLogits && i == layers.size() - 1) ? ((SoftmaxOutput) l).backwardFromLogits(g) : l.backward(g);
        }
    }

    @Override
    protected Tensor lastOutput(int index) {
        return index < lastOutputs.size() ? lastOutputs.get(index) : null;
    }

    /**
     * Keras' to_snake_case: Conv2D → conv2d, MaxPool2D → max_pool2d, Conv2DTranspose →
     * conv2d_transpose, PReLU → p_re_lu; ActivationLayer → activation.
     */
    static String snake(String type) {
        String t = type.endsWith("Layer") ? type.substring(0, type.length() - 5) : type;
        return t.replaceAll("(.)([A-Z][a-z0-9]+)", "$1_$2").replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
