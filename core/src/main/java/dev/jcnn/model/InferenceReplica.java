package dev.jcnn.model;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.ActivationOutput;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.Parameter;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.OutputHead;
import dev.jcnn.train.Trainable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One thread's copy of a functional model for inference: the same graph over
 * {@link Layer#inferenceCopy inference copies} of its layers, which share the model's weights
 * and have buffers of their own. A {@link Predictor} hands one to each thread that predicts.
 */
final class InferenceReplica implements Trainable, AutoCloseable {

    private final Functional source;
    private final List<Layer> copies;
    private final int[][] inputsOf;
    private final Tensor[] values;

    InferenceReplica(Functional source, List<Layer> layers, int[][] inputsOf) {
        this.source = source;
        this.copies = new ArrayList<>(layers.size());
        for (Layer l : layers) {
            copies.add(l.inferenceCopy());
        }
        this.inputsOf = inputsOf;
        this.values = new Tensor[layers.size()];
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public Shape inputShape() {
        return source.inputShape();
    }

    @Override
    public Shape outputShape(Shape sampleShape) {
        return source.outputShape(sampleShape);
    }

    @Override
    public Backend backend() {
        return source.backend();
    }

    @Override
    public List<Parameter> parameters() {
        return source.parameters();
    }

    @Override
    public OutputHead outputHead() {
        return source.outputHead();
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (training) {
            throw new IllegalStateException("model '" + name() + "': a predictor's copy of the layers only predicts;"
                    + " train the model itself");
        }
        return Functional.run(copies, inputsOf, values, x, false, null);
    }

    @Override
    public Tensor logits() {
        if (!(copies.get(copies.size() - 1) instanceof ActivationOutput a)) {
            throw new IllegalStateException("model '" + name() + "': the output layer has no activation, so no logits");
        }
        return a.logits();
    }

    @Override
    public void backward(Tensor dOutput, boolean fromLogits) {
        throw new UnsupportedOperationException("model '" + name() + "': a predictor's copy of the layers only"
                + " predicts; train the model itself");
    }

    @Override
    public String locateNonFinite() {
        return source.locateNonFinite();
    }

    @Override
    public Map<String, Tensor> weights() {
        return source.weights();
    }

    @Override
    public Map<String, String> fileMetadata() {
        return source.fileMetadata();
    }

    /** Frees the copies' buffers; the weights stay the model's. */
    @Override
    public void close() {
        java.util.Arrays.fill(values, null);
        copies.forEach(Layer::close);
    }
}
