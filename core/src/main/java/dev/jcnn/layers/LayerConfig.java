package dev.jcnn.layers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.Padding2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Every layer's settings to and from JSON, for self-describing model files: one entry per
 * concrete layer class, so that adding a layer is one entry here (a test fails for a layer
 * class without one). A layer is written as {@code {"type": "Conv2D", "name": "conv2d_1",
 * "config": {...}}}, its type the class's simple name, its config every setting the
 * constructor and setters take, Keras' names in snake case: {@code filters}, {@code kernel}
 * [h, w], {@code strides} [h, w], {@code padding} ("valid", "same" or [top, bottom, left,
 * right]), {@code activation} ("relu"), {@code use_bias} ... Weights are not part of it.
 *
 * <p>Reading is strict: an unknown type, a missing or unknown field, or a value of the wrong
 * kind or out of range is an {@link IllegalArgumentException} naming the layer and the field.
 */
public final class LayerConfig {

    /** The longest per-channel list a Normalization config may hold. */
    public static final int MAX_CHANNELS = 1 << 16;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** How one layer class is written and read. */
    private record Codec<L extends Layer>(String type, Class<L> layerClass, BiConsumer<L, ObjectNode> writer,
            Function<Fields, L> reader) {

        void write(Layer layer, ObjectNode config) {
            writer.accept(layerClass.cast(layer), config);
        }
    }

    private static final Map<String, Codec<?>> BY_TYPE = new LinkedHashMap<>();
    private static final Map<Class<?>, Codec<?>> BY_CLASS = new LinkedHashMap<>();

    static {
        register(Conv2D.class, (l, c) -> {
            conv(l, c);
            c.put("strict", l.isStrict());
            c.set("dilation_rate", ints(l.dilation()));
            c.put("groups", l.groups());
        }, f -> {
            // files written before dilation and groups have neither: a plain convolution
            int[] dilation = f.config.has("dilation_rate") ? f.pair("dilation_rate") : new int[] {1, 1};
            int groups = f.config.has("groups") ? f.positiveInt("groups") : 1;
            return readConv(f, new Conv2D(f.positiveInt("filters"), f.pair("kernel")[0], f.pair("kernel")[1])
                    .<Conv2D>named(f.layer))
                    .strict(f.bool("strict")).dilation(dilation[0], dilation[1]).groups(groups);
        });
        register(DepthwiseConv2D.class, (l, c) -> {
            // no filters: they follow the input's channels, C·depth_multiplier
            kernelSettings(l, c);
            c.put("depth_multiplier", l.depthMultiplier());
            c.put("strict", l.isStrict());
            c.set("dilation_rate", ints(l.dilation()));
        }, f -> {
            int[] dilation = f.pair("dilation_rate");
            DepthwiseConv2D l = new DepthwiseConv2D(f.pair("kernel")[0], f.pair("kernel")[1])
                    .<DepthwiseConv2D>named(f.layer).depthMultiplier(f.positiveInt("depth_multiplier"));
            readConv(f, l); // sets Conv2D's settings on l
            return l.strict(f.bool("strict")).dilation(dilation[0], dilation[1]);
        });
        register(Conv2DTranspose.class, (l, c) -> {
            conv(l, c);
            int[] op = l.outputPadding();
            c.set("output_padding", op == null ? JSON.nullNode() : ints(op));
            c.set("dilation_rate", ints(l.dilation()));
            c.put("groups", l.groups());
        }, f -> {
            // named first, so that the setters' refusals name the layer
            Conv2DTranspose l = readConv(f, new Conv2DTranspose(f.positiveInt("filters"), f.pair("kernel")[0],
                    f.pair("kernel")[1]).<Conv2DTranspose>named(f.layer));
            int[] op = f.optionalCounts("output_padding", 2);
            // files written before dilation and groups have neither: a plain transposed convolution
            int[] dilation = f.config.has("dilation_rate") ? f.pair("dilation_rate") : new int[] {1, 1};
            int groups = f.config.has("groups") ? f.positiveInt("groups") : 1;
            l.dilation(dilation[0], dilation[1]).groups(groups);
            return op == null ? l : l.outputPadding(op[0], op[1]);
        });
        register(Dense.class, (l, c) -> {
            c.put("units", l.units());
            c.put("activation", name(l.activation()));
            c.put("use_bias", l.usesBias());
        }, f -> new Dense(f.positiveInt("units")).activation(f.activation("activation")).useBias(f.bool("use_bias")));
        register(MaxPool2D.class, LayerConfig::pool, f -> readPool(f, new MaxPool2D(f.pair("pool")[0], f.pair("pool")[1])));
        register(AvgPool2D.class, (l, c) -> {
            pool(l, c);
            c.put("count_include_pad", l.includesPad());
        }, f -> readPool(f, new AvgPool2D(f.pair("pool")[0], f.pair("pool")[1]))
                .countIncludePad(f.bool("count_include_pad")));
        register(SumPool2D.class, LayerConfig::pool, f -> readPool(f, new SumPool2D(f.pair("pool")[0], f.pair("pool")[1])));
        register(GlobalAveragePooling2D.class, (l, c) -> { }, f -> new GlobalAveragePooling2D());
        register(GlobalMaxPooling2D.class, (l, c) -> { }, f -> new GlobalMaxPooling2D());
        register(Flatten.class, (l, c) -> { }, f -> new Flatten());
        register(Dropout.class, (l, c) -> {
            c.put("rate", l.rate());
            Long seed = l.seedOrNull();
            c.set("seed", seed == null ? JSON.nullNode() : JSON.numberNode(seed));
        }, f -> {
            Dropout d = f.construct(() -> new Dropout(f.number("rate")));
            Long seed = f.optionalLong("seed");
            return seed == null ? d : d.seed(seed);
        });
        register(BatchNormalization.class, (l, c) -> {
            c.put("momentum", l.momentum());
            c.put("epsilon", l.epsilon());
        }, f -> f.construct(() -> new BatchNormalization().momentum(f.number("momentum")).epsilon(f.number("epsilon"))));
        register(LocalResponseNorm.class, (l, c) -> {
            c.put("size", l.spec().size());
            c.put("alpha", l.spec().alpha());
            c.put("beta", l.spec().beta());
            c.put("k", l.spec().k());
        }, f -> f.construct(() -> new LocalResponseNorm(f.positiveInt("size"), f.number("alpha"), f.number("beta"),
                f.number("k"))));
        register(Normalization.class, (l, c) -> {
            c.set("mean", floats(l.mean()));
            c.set("std", floats(l.std()));
        }, f -> {
            float[] mean = f.floats("mean");
            float[] std = f.floats("std");
            if (mean.length != std.length) {
                throw f.fail("std", "holds " + std.length + " values, 'mean' " + mean.length + "; expected one of each"
                        + " per channel");
            }
            Normalization.check("layer '" + f.layer + "'", mean, std);
            return new Normalization(mean, std);
        });
        register(ActivationLayer.class, (l, c) -> c.put("activation", name(l.activation())),
                f -> new ActivationLayer(f.activation("activation")));
        register(Softmax.class, (l, c) -> { }, f -> new Softmax());
        register(LeakyReLU.class, (l, c) -> c.put("slope", l.spec().alpha()),
                f -> f.construct(() -> new LeakyReLU((float) f.number("slope"))));
        register(ELU.class, (l, c) -> c.put("alpha", l.spec().alpha()),
                f -> f.construct(() -> new ELU((float) f.number("alpha"))));
        register(PReLU.class, (l, c) -> { }, f -> new PReLU());
        register(UpSampling2D.class, (l, c) -> {
            c.set("size", ints(l.spec().factorH(), l.spec().factorW()));
            c.put("interpolation", l.interpolation().name().toLowerCase(Locale.ROOT));
        }, f -> new UpSampling2D(f.pair("size")[0], f.pair("size")[1])
                .interpolation(f.enumValue("interpolation", Interpolation.class)));
        register(Add.class, (l, c) -> { }, f -> new Add());
        register(Concatenate.class, (l, c) -> { }, f -> new Concatenate());
    }

    private LayerConfig() {
    }

    private static <L extends Layer> void register(Class<L> type, BiConsumer<L, ObjectNode> writer,
            Function<Fields, L> reader) {
        Codec<L> codec = new Codec<>(type.getSimpleName(), type, writer, reader);
        BY_TYPE.put(codec.type(), codec);
        BY_CLASS.put(type, codec);
    }

    /** The layer classes that can be written and read, in registration order. */
    public static Set<Class<?>> layerClasses() {
        return Collections.unmodifiableSet(BY_CLASS.keySet());
    }

    /** Whether this layer's exact class has an entry (a subclass made elsewhere has none). */
    public static boolean supports(Layer layer) {
        return BY_CLASS.containsKey(layer.getClass());
    }

    /**
     * The layer as {@code {"type", "name", "config"}}.
     *
     * @throws IllegalArgumentException naming the layer and its class when the class has no entry
     */
    public static ObjectNode write(Layer layer) {
        Codec<?> codec = BY_CLASS.get(layer.getClass());
        if (codec == null) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' is a " + layer.getClass().getName()
                    + ", which LayerConfig cannot store; known: " + BY_TYPE.keySet());
        }
        ObjectNode node = JSON.objectNode();
        node.put("type", codec.type());
        node.put("name", layer.name());
        ObjectNode config = node.putObject("config");
        codec.write(layer, config);
        return node;
    }

    /**
     * A new, unbuilt layer from what {@link #write} made, named as stored.
     *
     * @param node a layer object; fields other than "type", "name" and "config" are the caller's
     * @throws IllegalArgumentException naming the layer and the field that is missing, unknown or bad
     */
    public static Layer read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a layer entry is " + describe(node) + ", expected an object");
        }
        JsonNode nameNode = node.get("name");
        if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isEmpty()) {
            throw new IllegalArgumentException("a layer entry has name " + describe(nameNode) + ", expected a non-empty"
                    + " string");
        }
        String name = nameNode.asText();
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new IllegalArgumentException("layer '" + name + "': field 'type' is " + describe(typeNode)
                    + ", expected one of " + BY_TYPE.keySet());
        }
        Codec<?> codec = BY_TYPE.get(typeNode.asText());
        if (codec == null) {
            throw new IllegalArgumentException("layer '" + name + "': unknown type '" + typeNode.asText()
                    + "' (written by a newer jcnn, or by hand?); known types: " + BY_TYPE.keySet());
        }
        JsonNode config = node.get("config");
        if (config == null || !config.isObject()) {
            throw new IllegalArgumentException("layer '" + name + "' (" + codec.type() + "): field 'config' is "
                    + describe(config) + ", expected an object");
        }
        Fields fields = new Fields(name, codec.type(), (ObjectNode) config);
        Layer layer;
        try {
            layer = codec.reader().apply(fields);
        } catch (Fields.BadField e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("layer '" + name + "' (" + codec.type() + "): " + e.getMessage(), e);
        }
        fields.requireAllRead();
        return layer.named(name);
    }

    private static void conv(BaseConv<?> l, ObjectNode c) {
        c.put("filters", l.filters);
        kernelSettings(l, c);
    }

    /** A convolution's settings but its filter count. */
    private static void kernelSettings(BaseConv<?> l, ObjectNode c) {
        c.set("kernel", ints(l.kernelH, l.kernelW));
        c.set("strides", ints(l.strideH, l.strideW));
        c.set("padding", padding(l.padding));
        c.put("activation", name(l.activation()));
        c.put("use_bias", l.usesBias());
    }

    private static <T extends BaseConv<T>> T readConv(Fields f, T layer) {
        int[] strides = f.pair("strides");
        return layer.strides(strides[0], strides[1]).padding(f.padding("padding"))
                .activation(f.activation("activation")).useBias(f.bool("use_bias"));
    }

    private static void pool(Pool2D<?> l, ObjectNode c) {
        int[] w = l.windowSettings();
        c.set("pool", ints(w[0], w[1]));
        c.set("strides", ints(w[2], w[3]));
        c.set("padding", padding(l.paddingMode()));
        c.put("strict", l.isStrict());
        c.put("ceil_mode", l.isCeilMode());
    }

    private static <T extends Pool2D<T>> T readPool(Fields f, T layer) {
        int[] strides = f.pair("strides");
        // files written before ceil mode have no ceil_mode: they rounded down
        return layer.strides(strides[0], strides[1]).padding(f.padding("padding")).strict(f.bool("strict"))
                .ceilMode(f.boolOr("ceil_mode", false));
    }

    private static JsonNode padding(Padding p) {
        Padding2D e = p.explicit();
        if (e == null) {
            return JSON.textNode(p == Padding.SAME ? "same" : "valid");
        }
        return ints(e.top(), e.bottom(), e.left(), e.right());
    }

    private static String name(Activation a) {
        return a.name().toLowerCase(Locale.ROOT);
    }

    private static ArrayNode ints(int... values) {
        ArrayNode a = JSON.arrayNode();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    private static ArrayNode floats(float[] values) {
        ArrayNode a = JSON.arrayNode();
        for (float v : values) {
            a.add(v);
        }
        return a;
    }

    /** A JSON value for messages: its kind and, when short, the value. */
    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        String text = n.toString();
        String kind = n.getNodeType().name().toLowerCase(Locale.ROOT);
        return text.length() <= 40 ? kind + " " + text : kind + " " + text.substring(0, 40) + "...";
    }

    /** One layer's config fields, read with checks; remembers which were read to refuse the others. */
    private static final class Fields {

        /** A field's value is missing or bad: the message names the layer and the field. */
        static final class BadField extends RuntimeException {
            private static final long serialVersionUID = 1L;

            BadField(String message) {
                super(message);
            }
        }

        final String layer;
        final String type;
        final ObjectNode config;
        final Set<String> read = new HashSet<>();

        Fields(String layer, String type, ObjectNode config) {
            this.layer = layer;
            this.type = type;
            this.config = config;
        }

        BadField fail(String field, String problem) {
            return new BadField("layer '" + layer + "' (" + type + "): field '" + field + "' " + problem);
        }

        /** Runs a constructor or setter whose own check may refuse a value, naming the layer. */
        <L> L construct(java.util.function.Supplier<L> make) {
            try {
                return make.get();
            } catch (BadField e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new BadField("layer '" + layer + "' (" + type + "): " + e.getMessage());
            }
        }

        private JsonNode get(String field) {
            read.add(field);
            JsonNode n = config.get(field);
            if (n == null) {
                throw fail(field, "is missing");
            }
            return n;
        }

        int positiveInt(String field) {
            JsonNode n = get(field);
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.intValue() <= 0) {
                throw fail(field, "is " + describe(n) + ", expected a positive whole number");
            }
            return n.intValue();
        }

        int[] pair(String field) {
            return counts(field, get(field), 2, 1);
        }

        int[] optionalCounts(String field, int length) {
            JsonNode n = get(field);
            return n.isNull() ? null : counts(field, n, length, 0);
        }

        private int[] counts(String field, JsonNode n, int length, int min) {
            if (!n.isArray() || n.size() != length) {
                throw fail(field, "is " + describe(n) + ", expected a list of " + length + " whole numbers");
            }
            int[] v = new int[length];
            for (int i = 0; i < length; i++) {
                JsonNode e = n.get(i);
                if (!e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() < min || e.intValue() > 1 << 20) {
                    throw fail(field, "is " + describe(n) + ", expected whole numbers from " + min + " to " + (1 << 20));
                }
                v[i] = e.intValue();
            }
            return v;
        }

        boolean bool(String field) {
            JsonNode n = get(field);
            if (!n.isBoolean()) {
                throw fail(field, "is " + describe(n) + ", expected true or false");
            }
            return n.booleanValue();
        }

        /** The field's value, or fallback where the field is absent. */
        boolean boolOr(String field, boolean fallback) {
            return config.has(field) ? bool(field) : fallback;
        }

        double number(String field) {
            JsonNode n = get(field);
            if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
                throw fail(field, "is " + describe(n) + ", expected a finite number");
            }
            return n.doubleValue();
        }

        Long optionalLong(String field) {
            JsonNode n = get(field);
            if (n.isNull()) {
                return null;
            }
            if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                throw fail(field, "is " + describe(n) + ", expected a whole number or null");
            }
            return n.longValue();
        }

        float[] floats(String field) {
            JsonNode n = get(field);
            if (!n.isArray() || n.isEmpty() || n.size() > MAX_CHANNELS) {
                throw fail(field, "is " + describe(n) + ", expected a list of 1 to " + MAX_CHANNELS + " numbers");
            }
            float[] v = new float[n.size()];
            for (int i = 0; i < v.length; i++) {
                JsonNode e = n.get(i);
                if (!e.isNumber()) {
                    throw fail(field, "element " + i + " is " + describe(e) + ", expected a number");
                }
                v[i] = e.floatValue();
            }
            return v;
        }

        Activation activation(String field) {
            return enumValue(field, Activation.class);
        }

        <E extends Enum<E>> E enumValue(String field, Class<E> type) {
            JsonNode n = get(field);
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                names.add(e.name().toLowerCase(Locale.ROOT));
                if (n.isTextual() && e.name().equalsIgnoreCase(n.asText())) {
                    return e;
                }
            }
            throw fail(field, "is " + describe(n) + ", expected one of " + names);
        }

        Padding padding(String field) {
            JsonNode n = get(field);
            if (n.isTextual() && n.asText().equals("valid")) {
                return Padding.VALID;
            }
            if (n.isTextual() && n.asText().equals("same")) {
                return Padding.SAME;
            }
            if (n.isArray()) {
                int[] p = counts(field, n, 4, 0);
                return Padding.of(new Padding2D(p[0], p[1], p[2], p[3]));
            }
            throw fail(field, "is " + describe(n) + ", expected \"valid\", \"same\" or [top, bottom, left, right]");
        }

        void requireAllRead() {
            List<String> unknown = new ArrayList<>();
            for (Iterator<String> it = config.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!read.contains(f)) {
                    unknown.add(f);
                }
            }
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("layer '" + layer + "' (" + type + "): unknown field"
                        + (unknown.size() > 1 ? "s " : " ") + unknown + " (written by a newer jcnn?); known: "
                        + new ArrayList<>(read));
            }
        }
    }

    static {
        // every entry's type is its class's simple name, so the names cannot collide unnoticed
        if (BY_TYPE.size() != BY_CLASS.size()) {
            throw new IllegalStateException("LayerConfig: two layer classes share a simple name: "
                    + Arrays.toString(BY_CLASS.keySet().toArray()));
        }
    }
}
