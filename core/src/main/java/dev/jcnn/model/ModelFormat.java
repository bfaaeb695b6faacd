package dev.jcnn.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcnn.layers.Input;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.LayerConfig;
import dev.jcnn.layers.Node;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's architecture as JSON, stored in its weights file's metadata under
 * {@link #METADATA_KEY}, so that {@link Model#load(java.nio.file.Path, dev.jcnn.backend.Backend)}
 * rebuilds the model without its Java code:
 *
 * <pre>{@code
 * {"format": 1, "class": "Sequential", "name": "lenet5",
 *  "input": {"name": "input", "shape": [1, 28, 28]},
 *  "layers": [{"type": "Conv2D", "name": "conv2d_1", "inputs": ["input"], "config": {...}}, ...],
 *  "output": "dense_3",
 *  "class_names": ["0", "1", ...]}
 * }</pre>
 *
 * The layers come in the order a forward pass runs them, each after the layers it reads; a
 * layer's {@code inputs} name the model's input or earlier layers, several for a merge. Each
 * layer's {@code type} and {@code config} are {@link LayerConfig}'s. {@code class_names} is
 * absent when the model has none. Reading refuses a future {@code format}, JSON over
 * {@link #MAX_CHARS} characters or nested deeper than {@link #MAX_DEPTH}, and any missing,
 * unknown or bad field, with a message naming the layer and the field.
 */
public final class ModelFormat {

    /** The metadata key of the architecture in a weights file or checkpoint. */
    public static final String METADATA_KEY = "architecture";

    /** The version this code writes and reads. */
    public static final int FORMAT = 1;

    /** The longest architecture accepted, in characters: 8 Mi, some 40,000 layers. */
    public static final int MAX_CHARS = 8 << 20;

    /** The deepest nesting accepted; the format itself needs 5. */
    public static final int MAX_DEPTH = 16;

    /** The most class names accepted. */
    public static final int MAX_CLASSES = 1 << 16;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_CHARS).maxNumberLength(64).build())
            .build()).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Set<String> TOP_FIELDS = Set.of("format", "class", "name", "input", "layers", "output",
            "class_names");

    private ModelFormat() {
    }

    /** Whether every layer of the model can be stored (a layer class made outside core may not). */
    public static boolean supports(Functional model) {
        return model.layers().stream().allMatch(LayerConfig::supports);
    }

    /**
     * The model's architecture as JSON.
     *
     * @throws IllegalArgumentException naming the layer whose class {@link LayerConfig} cannot store
     */
    public static String write(Functional model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("class", model instanceof Sequential ? "Sequential" : "Functional");
        root.put("name", model.name());
        ObjectNode input = root.putObject("input");
        input.put("name", model.inputNode().name());
        ArrayNode shape = input.putArray("shape");
        for (int d : model.inputShape().dims()) {
            shape.add(d);
        }
        ArrayNode layers = root.putArray("layers");
        for (Node n : model.nodes()) {
            ObjectNode entry = LayerConfig.write(n.layer());
            ArrayNode inputs = JSON.createArrayNode();
            for (Node in : n.inputs()) {
                inputs.add(in.name());
            }
            // "inputs" before "config", so that a reader sees the graph first
            ObjectNode ordered = JSON.createObjectNode();
            ordered.set("type", entry.get("type"));
            ordered.set("name", entry.get("name"));
            ordered.set("inputs", inputs);
            ordered.set("config", entry.get("config"));
            layers.add(ordered);
        }
        root.put("output", model.outputNode().name());
        if (!model.classNames().isEmpty()) {
            ArrayNode names = root.putArray("class_names");
            model.classNames().forEach(names::add);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model '" + model.name() + "': its architecture could not be written as JSON", e);
        }
    }

    /**
     * The unbuilt model this JSON describes, its class names set.
     *
     * @throws IllegalArgumentException naming the layer and the field at fault, for JSON that
     *     is malformed, too large or too deep, of a future format, or describes no valid model
     */
    public static Functional read(String json) {
        if (json.length() > MAX_CHARS) {
            throw new IllegalArgumentException("the architecture is " + json.length() + " characters, more than the limit"
                    + " of " + MAX_CHARS);
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the architecture is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the architecture is " + describe(root) + ", expected a JSON object");
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isIntegralNumber()) {
            throw new IllegalArgumentException("the architecture's field 'format' is " + describe(format)
                    + ", expected the format version " + FORMAT);
        }
        if (format.asLong() != FORMAT) {
            throw new IllegalArgumentException("the architecture has format " + format.asText() + ", this jcnn reads"
                    + " format " + FORMAT + (format.asLong() > FORMAT ? " (written by a newer jcnn: upgrade to read it)" : ""));
        }
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP_FIELDS.contains(f)) {
                throw new IllegalArgumentException("the architecture has an unknown field '" + f + "'; known: "
                        + TOP_FIELDS);
            }
        }
        String kind = text(root, "class", "the architecture");
        if (!kind.equals("Sequential") && !kind.equals("Functional")) {
            throw new IllegalArgumentException("the architecture's field 'class' is '" + kind
                    + "', expected \"Sequential\" or \"Functional\"");
        }
        String name = text(root, "name", "the architecture");
        JsonNode input = field(root, "input", "the architecture");
        if (!input.isObject()) {
            throw new IllegalArgumentException("the architecture's field 'input' is " + describe(input)
                    + ", expected {\"name\", \"shape\"}");
        }
        String inputName = text(input, "name", "the input");
        Shape shape = shape(field(input, "shape", "the input"));
        JsonNode layers = field(root, "layers", "the architecture");
        if (!layers.isArray() || layers.isEmpty()) {
            throw new IllegalArgumentException("the architecture's field 'layers' is " + describe(layers)
                    + ", expected a non-empty list of layers");
        }
        String outputName = text(root, "output", "the architecture");
        Functional model = kind.equals("Sequential") ? sequential(name, inputName, shape, layers)
                : functional(name, inputName, shape, layers, outputName);
        Node out = model.outputNode();
        if (!out.name().equals(outputName)) {
            throw new IllegalArgumentException("the architecture's field 'output' is '" + outputName + "', but the "
                    + kind + "'s last layer is '" + out.name() + "'");
        }
        JsonNode classes = root.get("class_names");
        if (classes != null && !classes.isNull()) {
            model.classNames(classNames(classes));
        }
        return model;
    }

    private static Sequential sequential(String name, String inputName, Shape shape, JsonNode layers) {
        if (!inputName.equals("input")) {
            throw new IllegalArgumentException("the architecture is a Sequential with input '" + inputName
                    + "', expected 'input'");
        }
        Sequential model = new Sequential(name, shape);
        String previous = inputName;
        for (JsonNode entry : layers) {
            Layer layer = LayerConfig.read(entry);
            List<String> inputs = inputs(entry, layer.name());
            if (!inputs.equals(List.of(previous))) {
                throw new IllegalArgumentException("layer '" + layer.name() + "': field 'inputs' is " + inputs
                        + ", but in a Sequential it reads the layer before it, ['" + previous + "']");
            }
            try {
                model.add(layer);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IllegalArgumentException("layer '" + layer.name() + "': " + e.getMessage(), e);
            }
            previous = layer.name();
        }
        return model;
    }

    private static Functional functional(String name, String inputName, Shape shape, JsonNode layers, String output) {
        Node input = Input.of(inputName, shape);
        Map<String, Node> nodes = new HashMap<>();
        nodes.put(inputName, input);
        for (JsonNode entry : layers) {
            Layer layer = LayerConfig.read(entry);
            List<String> inputs = inputs(entry, layer.name());
            Node[] from = new Node[inputs.size()];
            for (int i = 0; i < from.length; i++) {
                from[i] = nodes.get(inputs.get(i));
                if (from[i] == null) {
                    throw new IllegalArgumentException("layer '" + layer.name() + "': field 'inputs' names '"
                            + inputs.get(i) + "', which is neither the input nor a layer before it");
                }
            }
            if (nodes.containsKey(layer.name())) {
                throw new IllegalArgumentException("layer '" + layer.name() + "': the name is used twice");
            }
            try {
                nodes.put(layer.name(), layer.apply(from));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IllegalArgumentException("layer '" + layer.name() + "': " + e.getMessage(), e);
            }
        }
        Node out = nodes.get(output);
        if (out == null || out == input) {
            throw new IllegalArgumentException("the architecture's field 'output' is '" + output
                    + "', which names no layer");
        }
        Functional model = new Functional(name, input, out);
        if (model.layers().size() != layers.size()) {
            throw new IllegalArgumentException("the architecture lists " + layers.size() + " layers, but only "
                    + model.layers().size() + " lead to the output '" + output + "'");
        }
        return model;
    }

    private static List<String> inputs(JsonNode entry, String layer) {
        JsonNode n = entry.get("inputs");
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw new IllegalArgumentException("layer '" + layer + "': field 'inputs' is " + describe(n)
                    + ", expected a non-empty list of names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException("layer '" + layer + "': field 'inputs' holds " + describe(e)
                        + ", expected names");
            }
            names.add(e.asText());
        }
        for (var it = entry.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("type", "name", "inputs", "config").contains(f)) {
                throw new IllegalArgumentException("layer '" + layer + "': unknown field '" + f
                        + "'; known: type, name, inputs, config");
            }
        }
        return names;
    }

    private static Shape shape(JsonNode n) {
        if (!n.isArray() || n.isEmpty() || n.size() > 8) {
            throw new IllegalArgumentException("the input's field 'shape' is " + describe(n)
                    + ", expected 1 to 8 positive sizes");
        }
        int[] dims = new int[n.size()];
        long size = 1;
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = n.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() <= 0) {
                throw new IllegalArgumentException("the input's field 'shape' is " + describe(n)
                        + ", expected positive whole sizes");
            }
            dims[i] = d.intValue();
            size *= dims[i];
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the input's field 'shape' is " + n + ", more than "
                        + Integer.MAX_VALUE + " values per sample");
            }
        }
        return Shape.of(dims);
    }

    private static List<String> classNames(JsonNode n) {
        if (!n.isArray() || n.size() > MAX_CLASSES) {
            throw new IllegalArgumentException("the architecture's field 'class_names' is " + describe(n)
                    + ", expected a list of at most " + MAX_CLASSES + " names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException("the architecture's field 'class_names' holds " + describe(e)
                        + ", expected strings");
            }
            names.add(e.asText());
        }
        return names;
    }

    private static JsonNode field(JsonNode n, String field, String what) {
        JsonNode v = n.get(field);
        if (v == null) {
            throw new IllegalArgumentException(what + " has no field '" + field + "'");
        }
        return v;
    }

    private static String text(JsonNode n, String field, String what) {
        JsonNode v = field(n, field, what);
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(what + "'s field '" + field + "' is " + describe(v)
                    + ", expected a non-empty string");
        }
        return v.asText();
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        String text = n.toString();
        String kind = n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        return text.length() <= 40 ? kind + " " + text : kind + " " + text.substring(0, 40) + "...";
    }
}
