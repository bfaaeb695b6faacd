package dev.jcnn.golden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcnn.backend.Backend;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.ActivationLayer;
import dev.jcnn.layers.AvgPool2D;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Padding;
import dev.jcnn.layers.Parameter;
import dev.jcnn.model.Sequential;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.cases.Output;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.History;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code sgd_step} golden op: builds the Sequential the case lists, loads the case's
 * weights, trains one step on its batch with softmax cross-entropy and SGD (momentum
 * buffers start at zero), and returns the loss before the step and every parameter after it.
 * Layer i's weights are the case's "i.w" and "i.b".
 */
final class SgdStep {

    private SgdStep() {
    }

    static Map<String, Output> run(GoldenCase c, Backend backend) {
        GoldenTensor x = c.input("x");
        int[] labels = c.input("labels").ints(c.file() + ": inputs.labels");
        JsonNode layers = c.param("layers");
        if (!layers.isArray() || layers.isEmpty()) {
            throw new IllegalArgumentException(c.file() + ": parameter 'layers' is " + layers + ", expected a list of layers");
        }
        Sequential model = new Sequential("golden_" + c.name(), x.shape().withoutBatch());
        Map<String, Output> out = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            model.add(layer(c, i, layers.get(i)).named("layer" + i));
        }
        try {
            model.build(backend, 0);
            model.compile(new SparseCategoricalCrossEntropy(),
                    new Sgd((float) c.doubleParam("lr"), (float) c.doubleParam("momentum", 0)));
            Set<String> loaded = new HashSet<>();
            for (Parameter p : model.parameters()) {
                String key = goldenKey(p.name());
                GoldenTensor t = c.input(key);
                if (!t.shape().equals(p.value().shape())) {
                    throw new IllegalArgumentException(c.file() + ": input '" + key + "' has shape " + t.shape()
                            + ", the model's " + p.name() + " has " + p.value().shape());
                }
                backend.write(p.value(), t.floats());
                loaded.add(key);
            }
            for (String key : c.inputs().keySet()) {
                if (!key.equals("x") && !key.equals("labels") && !loaded.contains(key)) {
                    throw new IllegalArgumentException(c.file() + ": input '" + key + "' belongs to no parameter of the model "
                            + model.layers().stream().map(Layer::type).toList());
                }
            }
            History h = model.fit(x.floats(), labels, FitOptions.of(1, x.shape().batch()).shuffle(false));
            out.put("loss", new Output(Shape.of(1), new float[] {(float) h.last().loss()}, Output.Kind.FORWARD));
            for (Parameter p : model.parameters()) {
                out.put(goldenKey(p.name()), new Output(p.value().shape(), p.value().toArray(), Output.Kind.BACKWARD));
            }
            return out;
        } finally {
            model.close();
        }
    }

    /** "layer3/kernel" → "3.w", "layer3/bias" → "3.b". */
    private static String goldenKey(String parameterName) {
        String[] parts = parameterName.split("/");
        String index = parts[0].substring("layer".length());
        return switch (parts[1]) {
            case "kernel" -> index + ".w";
            case "bias" -> index + ".b";
            default -> throw new IllegalStateException("parameter " + parameterName + " has no golden name");
        };
    }

    /** The layer for one entry of params.layers, read as make_golden.py's apply() reads it. */
    private static Layer layer(GoldenCase c, int i, JsonNode spec) {
        String where = "parameter 'layers'[" + i + "]";
        JsonNode type = spec.get("type");
        if (type == null || !type.isTextual()) {
            throw new IllegalArgumentException(c.file() + ": " + where + " has no \"type\": " + spec);
        }
        return switch (type.textValue()) {
            case "conv2d" -> {
                int[] k = GoldenCase.pair(c.file(), where + ".kernel", field(c, where, spec, "kernel"));
                int[] s = GoldenCase.pair(c.file(), where + ".stride", field(c, where, spec, "stride"));
                int[] p = GoldenCase.pair(c.file(), where + ".padding", field(c, where, spec, "padding"));
                yield new Conv2D(field(c, where, spec, "filters").intValue(), k[0], k[1]).strides(s[0], s[1])
                        .padding(Padding.of(p[0], p[1]));
            }
            case "dense" -> new Dense(field(c, where, spec, "units").intValue());
            case "relu" -> new ActivationLayer(Activation.RELU);
            case "tanh" -> new ActivationLayer(Activation.TANH);
            // apply() passes kernel and stride only: pooling there has no padding
            case "max_pool2d" -> {
                int[] k = GoldenCase.pair(c.file(), where + ".kernel", field(c, where, spec, "kernel"));
                int[] s = GoldenCase.pair(c.file(), where + ".stride", field(c, where, spec, "stride"));
                yield new MaxPool2D(k[0], k[1]).strides(s[0], s[1]);
            }
            case "avg_pool2d" -> {
                int[] k = GoldenCase.pair(c.file(), where + ".kernel", field(c, where, spec, "kernel"));
                int[] s = GoldenCase.pair(c.file(), where + ".stride", field(c, where, spec, "stride"));
                yield new AvgPool2D(k[0], k[1]).countIncludePad(true).strides(s[0], s[1]);
            }
            case "flatten" -> new Flatten();
            default -> throw new IllegalArgumentException(c.file() + ": " + where + " has type '" + type.textValue()
                    + "', which sgd_step cannot build; known: conv2d, dense, relu, tanh, max_pool2d, avg_pool2d, flatten");
        };
    }

    private static JsonNode field(GoldenCase c, String where, JsonNode spec, String key) {
        JsonNode n = spec.get(key);
        if (n == null) {
            throw new IllegalArgumentException(c.file() + ": " + where + " (" + spec.get("type") + ") has no \"" + key + "\"");
        }
        return n;
    }
}
