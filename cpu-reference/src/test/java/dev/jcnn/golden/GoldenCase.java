package dev.jcnn.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tolerance;
import dev.jcnn.testing.cases.GoldenParams;
import dev.jcnn.testing.cases.Inputs;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One golden case as {@code make_golden.py} writes it: {"name", "op", "params", "rtol",
 * "atol", "inputs": {name: {"shape", "data"}}, "outputs": {...}}. Parsing checks every field
 * and names the file and field when one is missing or malformed. The op table builds its case
 * from the parameters and input shapes ({@link GoldenParams}).
 */
public record GoldenCase(String file, String name, String op, JsonNode params, Tolerance tolerance,
                         Map<String, GoldenTensor> inputs, Map<String, GoldenTensor> outputs) implements GoldenParams {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses one case; file names it in messages. */
    public static GoldenCase parse(String file, InputStream in) throws IOException {
        JsonNode root = JSON.readTree(in);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object, got " + (root == null ? "nothing" : root.getNodeType()));
        }
        JsonNode params = root.get("params");
        return new GoldenCase(file, text(file, root, "name"), text(file, root, "op"),
                params == null || params.isNull() ? JSON.createObjectNode() : params,
                Tolerance.of(number(file, root, "rtol"), number(file, root, "atol")),
                tensors(file, root, "inputs"), tensors(file, root, "outputs"));
    }

    /** An input by name; throws naming the case and the inputs it has. */
    public GoldenTensor input(String key) {
        GoldenTensor t = inputs.get(key);
        if (t == null) {
            throw new IllegalArgumentException(file + ": op " + op + " needs input '" + key + "', the case has " + inputs.keySet());
        }
        return t;
    }

    @Override
    public Shape inputShape(String key) {
        return input(key).shape();
    }

    /** The inputs as the op table's runs take them: float32 values by name. */
    public Inputs givenInputs() {
        Map<String, Inputs.Given> given = new LinkedHashMap<>();
        inputs.forEach((k, t) -> given.put(k, new Inputs.Given(t.shape(), t.floats())));
        return Inputs.given(given);
    }

    /** An integer parameter. */
    @Override
    public int intParam(String key) {
        JsonNode n = param(key);
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new IllegalArgumentException(file + ": parameter '" + key + "' is " + n + ", expected an integer");
        }
        return n.intValue();
    }

    /** A parameter given as two integers (height, width), e.g. "kernel": [3, 5]; a single integer means both. */
    @Override
    public int[] pairParam(String key) {
        return pair(file, "parameter '" + key + "'", param(key));
    }

    @Override
    public boolean hasParam(String key) {
        return params.has(key);
    }

    /** A required number parameter. */
    @Override
    public double doubleParam(String key) {
        JsonNode n = param(key);
        if (!n.isNumber()) {
            throw new IllegalArgumentException(file + ": parameter '" + key + "' is " + n + ", expected a number");
        }
        return n.doubleValue();
    }

    /** A number parameter, or the default when the case does not give it. */
    @Override
    public double doubleParam(String key, double defaultValue) {
        JsonNode n = params.get(key);
        if (n == null) {
            return defaultValue;
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException(file + ": parameter '" + key + "' is " + n + ", expected a number");
        }
        return n.doubleValue();
    }

    /** A boolean parameter, or the default when the case does not give it. */
    @Override
    public boolean booleanParam(String key, boolean defaultValue) {
        JsonNode n = params.get(key);
        if (n == null) {
            return defaultValue;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException(file + ": parameter '" + key + "' is " + n + ", expected true or false");
        }
        return n.booleanValue();
    }

    /** A text parameter that is one of choices, or the default when the case does not give it. */
    @Override
    public String choiceParam(String key, String defaultValue, String... choices) {
        JsonNode n = params.get(key);
        if (n == null) {
            return defaultValue;
        }
        if (!n.isTextual() || !List.of(choices).contains(n.textValue())) {
            throw new IllegalArgumentException(file + ": parameter '" + key + "' is " + n + ", expected one of "
                    + List.of(choices));
        }
        return n.textValue();
    }

    /** A required parameter. */
    public JsonNode param(String key) {
        JsonNode n = params.get(key);
        if (n == null) {
            throw new IllegalArgumentException(file + ": op " + op + " needs parameter '" + key + "', the case has "
                    + fieldNames(params));
        }
        return n;
    }

    static int[] pair(String file, String what, JsonNode n) {
        if (n.isIntegralNumber()) {
            return new int[] {n.intValue(), n.intValue()};
        }
        if (n.isArray() && n.size() == 2 && n.get(0).isIntegralNumber() && n.get(1).isIntegralNumber()) {
            return new int[] {n.get(0).intValue(), n.get(1).intValue()};
        }
        throw new IllegalArgumentException(file + ": " + what + " is " + n + ", expected [height, width]");
    }

    static String fieldNames(JsonNode node) {
        StringBuilder b = new StringBuilder("[");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            b.append(it.next()).append(it.hasNext() ? ", " : "");
        }
        return b.append(']').toString();
    }

    private static String text(String file, JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException(file + ": field '" + key + "' is " + (n == null ? "missing" : n) + ", expected a string");
        }
        return n.textValue();
    }

    private static double number(String file, JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || !n.isNumber()) {
            throw new IllegalArgumentException(file + ": field '" + key + "' is " + (n == null ? "missing" : n) + ", expected a number");
        }
        return n.doubleValue();
    }

    private static Map<String, GoldenTensor> tensors(String file, JsonNode root, String key) {
        JsonNode group = root.get(key);
        if (group == null || !group.isObject()) {
            throw new IllegalArgumentException(file + ": field '" + key + "' is " + (group == null ? "missing" : group.getNodeType())
                    + ", expected an object of tensors");
        }
        Map<String, GoldenTensor> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = group.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), tensor(file + ": " + key + "." + e.getKey(), e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    private static GoldenTensor tensor(String where, JsonNode node) {
        JsonNode shape = node.get("shape");
        JsonNode data = node.get("data");
        if (shape == null || !shape.isArray() || data == null || !data.isArray()) {
            throw new IllegalArgumentException(where + ": expected {\"shape\": [...], \"data\": [...]}");
        }
        int[] dims = new int[shape.size()];
        long size = 1;
        for (int i = 0; i < dims.length; i++) {
            if (!shape.get(i).isIntegralNumber() || shape.get(i).intValue() <= 0) {
                throw new IllegalArgumentException(where + ": dimension " + i + " of shape " + shape + " is not a positive integer");
            }
            dims[i] = shape.get(i).intValue();
            size *= dims[i];
        }
        if (dims.length == 0) {
            dims = new int[] {1};   // a scalar
        }
        if (data.size() != size) {
            throw new IllegalArgumentException(where + ": shape " + shape + " holds " + size + " values, data has " + data.size());
        }
        double[] values = new double[data.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = data.get(i);
            if (!v.isNumber()) {
                throw new IllegalArgumentException(where + ": value " + v + " at index " + i + " is not a number");
            }
            values[i] = v.doubleValue();
        }
        return new GoldenTensor(Shape.of(dims), values);
    }
}
