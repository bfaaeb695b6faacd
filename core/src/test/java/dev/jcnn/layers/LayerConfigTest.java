package dev.jcnn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.Padding2D;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every concrete layer class of core is stored and read back with all its settings. */
class LayerConfigTest {

    /**
     * One example per layer class, with settings off their defaults where it has any. A new
     * layer class fails {@link #everyLayerClassHasAnExampleAndAnEntry} until it gets a
     * {@link LayerConfig} entry and an example here.
     */
    private static final Map<Class<?>, Supplier<Layer>> EXAMPLES = Map.ofEntries(
            Map.entry(Conv2D.class, () -> new Conv2D(7, 3, 5).strides(2, 1).padding(Padding.SAME)
                    .activation(Activation.GELU).useBias(false).strict(true).dilation(2, 3).groups(7)),
            Map.entry(DepthwiseConv2D.class, () -> new DepthwiseConv2D(3, 5).depthMultiplier(2).strides(1, 2)
                    .padding(Padding.of(new Padding2D(1, 1, 2, 2))).activation(Activation.RELU6).useBias(false)
                    .strict(true).dilation(2, 1)),
            Map.entry(Conv2DTranspose.class, () -> new Conv2DTranspose(4, 3).strides(2)
                    .padding(Padding.of(new Padding2D(1, 0, 2, 1))).outputPadding(1, 0).activation(Activation.TANH)
                    .dilation(2, 1).groups(2)),
            Map.entry(Dense.class, () -> new Dense(12, Activation.SOFTMAX).useBias(false)),
            Map.entry(MaxPool2D.class, () -> new MaxPool2D(3, 2).strides(1, 2).padding(Padding.SAME).strict(true)),
            Map.entry(AvgPool2D.class, () -> new AvgPool2D(2).padding(Padding.of(1)).countIncludePad(true)
                    .ceilMode(true)),
            Map.entry(SumPool2D.class, () -> new SumPool2D(2, 3)),
            Map.entry(GlobalAveragePooling2D.class, GlobalAveragePooling2D::new),
            Map.entry(GlobalMaxPooling2D.class, GlobalMaxPooling2D::new),
            Map.entry(Flatten.class, Flatten::new),
            Map.entry(Dropout.class, () -> new Dropout(0.3).seed(-42)),
            Map.entry(BatchNormalization.class, () -> new BatchNormalization().momentum(0.9).epsilon(1e-5)),
            Map.entry(LocalResponseNorm.class, () -> new LocalResponseNorm(3, 0.5, 0.6, 1.5)),
            Map.entry(Normalization.class, () -> new Normalization(new float[] {0.1307f, -2.5f},
                    new float[] {0.3081f, 1e-3f})),
            Map.entry(ActivationLayer.class, () -> new ActivationLayer(Activation.GELU_TANH)),
            Map.entry(Softmax.class, Softmax::new),
            Map.entry(LeakyReLU.class, () -> new LeakyReLU(0.2f)),
            Map.entry(ELU.class, () -> new ELU(0.7f)),
            Map.entry(PReLU.class, PReLU::new),
            Map.entry(UpSampling2D.class, () -> new UpSampling2D(2, 3).interpolation(Interpolation.BILINEAR)),
            Map.entry(Add.class, Add::new),
            Map.entry(Concatenate.class, Concatenate::new));

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The concrete Layer classes compiled into core's dev.jcnn.layers, found by listing its class files. */
    static List<Class<?>> concreteLayerClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Layer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = root.resolve("dev/jcnn/layers");
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".class") || file.contains("$")) {
                    continue;
                }
                Class<?> c = Class.forName("dev.jcnn.layers." + file.substring(0, file.length() - 6));
                if (Layer.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    @Test
    void everyLayerClassHasAnExampleAndAnEntry() throws Exception {
        List<Class<?>> classes = concreteLayerClasses();
        assertTrue(classes.size() >= 19, "found only " + classes + " in " + Layer.class.getPackageName());
        for (Class<?> c : classes) {
            assertTrue(LayerConfig.layerClasses().contains(c), c.getSimpleName() + " has no LayerConfig entry: a model"
                    + " holding it could not be stored; register it in LayerConfig");
            assertTrue(EXAMPLES.containsKey(c), c.getSimpleName() + " has no example in LayerConfigTest.EXAMPLES");
        }
        assertEquals(classes.size(), LayerConfig.layerClasses().size(), "LayerConfig knows " + LayerConfig.layerClasses());
    }

    @Test
    void everyExampleRoundTripsWithAllItsSettings() {
        for (Map.Entry<Class<?>, Supplier<Layer>> e : EXAMPLES.entrySet()) {
            Layer layer = e.getValue().get().named("the_" + e.getKey().getSimpleName().toLowerCase());
            ObjectNode written = LayerConfig.write(layer);
            Layer back = LayerConfig.read(written);
            assertSame(e.getKey(), back.getClass());
            assertEquals(layer.name(), back.name());
            assertEquals(written, LayerConfig.write(back), "settings of " + e.getKey().getSimpleName());
            assertEquals(layer.type(), back.type());
        }
    }

    @Test
    void settingsReachTheRebuiltLayer() {
        Layer conv = LayerConfig.read(LayerConfig.write(EXAMPLES.get(Conv2D.class).get().named("c")));
        // (7, 9, 9) with kernel 3x5 dilated 2x3 (spanning 5x13), strides 2x1, same padding: ceil(9/2) x 9
        assertEquals(dev.jcnn.tensor.Shape.of(7, 5, 9), conv.outputShape(dev.jcnn.tensor.Shape.of(7, 9, 9)));
        assertEquals(List.of("kernel"), conv.parameterSpecs(dev.jcnn.tensor.Shape.of(7, 9, 9)).stream()
                .map(ParamSpec::name).toList(), "use_bias false");
        // seven groups of one channel: a depthwise kernel (7, 1, 3, 5)
        assertEquals(dev.jcnn.tensor.Shape.of(7, 1, 3, 5),
                conv.parameterSpecs(dev.jcnn.tensor.Shape.of(7, 9, 9)).get(0).shape());
        Layer depthwise = LayerConfig.read(LayerConfig.write(EXAMPLES.get(DepthwiseConv2D.class).get().named("d")));
        // 3 channels times multiplier 2; kernel 3x5 dilated 2x1 spans 5x5, padded 1/1 and 2/2, strides 1x2 on 8x9
        assertEquals(dev.jcnn.tensor.Shape.of(6, 6, 5), depthwise.outputShape(dev.jcnn.tensor.Shape.of(3, 8, 9)));
        assertEquals(List.of(dev.jcnn.tensor.Shape.of(6, 1, 3, 5)), depthwise.parameterSpecs(
                dev.jcnn.tensor.Shape.of(3, 8, 9)).stream().map(ParamSpec::shape).toList(), "use_bias false");
        Layer deconv = LayerConfig.read(LayerConfig.write(EXAMPLES.get(Conv2DTranspose.class).get().named("t")));
        // (4, 3, 3): kernel 3 dilated 2x1 spans 5x3; (3 − 1)·2 + 5 − 1 + 1 = 9 rows, (3 − 1)·2 + 3 − 3 = 4 columns
        assertEquals(dev.jcnn.tensor.Shape.of(4, 9, 4), deconv.outputShape(dev.jcnn.tensor.Shape.of(4, 3, 3)));
        // two groups: kernel (C_in, filters/2, 3, 3)
        assertEquals(dev.jcnn.tensor.Shape.of(4, 2, 3, 3),
                deconv.parameterSpecs(dev.jcnn.tensor.Shape.of(4, 3, 3)).get(0).shape());
        Normalization n = (Normalization) LayerConfig.read(LayerConfig.write(EXAMPLES.get(Normalization.class).get()
                .named("n")));
        assertEquals(0.3081f, n.std()[0]);
        assertEquals(-2.5f, n.mean()[1]);
    }

    @Test
    void ceilModeReachesThePoolAndOlderFilesWithoutItRoundDown() {
        ObjectNode ceil = LayerConfig.write(new MaxPool2D(2).ceilMode(true).named("p"));
        assertTrue(ceil.get("config").get("ceil_mode").booleanValue(), ceil.toString());
        Layer rounded = LayerConfig.read(ceil);
        assertEquals(dev.jcnn.tensor.Shape.of(1, 3, 3), rounded.outputShape(dev.jcnn.tensor.Shape.of(1, 5, 5)));
        // a file written before ceil mode has no ceil_mode field: it floors
        ((ObjectNode) ceil.get("config")).remove("ceil_mode");
        Layer floored = LayerConfig.read(ceil);
        assertEquals(dev.jcnn.tensor.Shape.of(1, 2, 2), floored.outputShape(dev.jcnn.tensor.Shape.of(1, 5, 5)));
        ((ObjectNode) ceil.get("config")).put("ceil_mode", "yes");
        String m = refusal(ceil);
        assertTrue(m.contains("layer 'p' (MaxPool2D): field 'ceil_mode'") && m.contains("expected true or false"), m);
    }

    @Test
    void localResponseNormSettingsRoundTripAndAnEvenSizeIsRefused() {
        LocalResponseNorm back = (LocalResponseNorm) LayerConfig.read(LayerConfig.write(new LocalResponseNorm()
                .named("lrn")));
        assertEquals(dev.jcnn.backend.LrnSpec.ALEXNET, back.spec());
        ObjectNode even = LayerConfig.write(new LocalResponseNorm().named("lrn"));
        ((ObjectNode) even.get("config")).put("size", 4);
        String m = refusal(even);
        assertTrue(m.contains("lrn") && m.contains("size") && m.contains("4") && m.contains("odd"), m);
    }

    @Test
    void olderTransposedConvFilesWithoutDilationOrGroupsArePlain() {
        ObjectNode node = LayerConfig.write(new Conv2DTranspose(4, 3).dilation(2).groups(2).named("t"));
        assertEquals("[2,2]", node.get("config").get("dilation_rate").toString());
        assertEquals(2, node.get("config").get("groups").intValue());
        ((ObjectNode) node.get("config")).remove("dilation_rate");
        ((ObjectNode) node.get("config")).remove("groups");
        Conv2DTranspose plain = (Conv2DTranspose) LayerConfig.read(node);
        assertEquals(1, plain.groups());
        assertEquals(dev.jcnn.tensor.Shape.of(4, 7, 7), plain.outputShape(dev.jcnn.tensor.Shape.of(2, 5, 5)));
        ((ObjectNode) node.get("config")).put("groups", 3);
        String m = refusal(node);
        assertTrue(m.contains("layer 't' (Conv2DTranspose)") && m.contains("4 filters") && m.contains("3 groups"), m);
    }

    @Test
    void olderConvFilesWithoutDilationOrGroupsArePlainConvolutions() {
        ObjectNode node = LayerConfig.write(new Conv2D(4, 3).dilation(2).groups(2).named("c"));
        assertEquals("[2,2]", node.get("config").get("dilation_rate").toString());
        assertEquals(2, node.get("config").get("groups").intValue());
        ((ObjectNode) node.get("config")).remove("dilation_rate");
        ((ObjectNode) node.get("config")).remove("groups");
        Conv2D plain = (Conv2D) LayerConfig.read(node);
        assertEquals(1, plain.groups());
        assertEquals(dev.jcnn.tensor.Shape.of(4, 3, 3), plain.outputShape(dev.jcnn.tensor.Shape.of(2, 5, 5)));
        ((ObjectNode) node.get("config")).put("groups", 0);
        String m = refusal(node);
        assertTrue(m.contains("layer 'c' (Conv2D): field 'groups'") && m.contains("positive"), m);
    }

    private static ObjectNode conv() {
        return LayerConfig.write(new Conv2D(4, 3).named("conv2d_1"));
    }

    private static String refusal(ObjectNode node) {
        return assertThrows(IllegalArgumentException.class, () -> LayerConfig.read(node)).getMessage();
    }

    @Test
    void refusesUnknownTypesAndMissingUnknownOrBadFields() {
        ObjectNode unknown = conv();
        unknown.put("type", "Conv3D");
        String m = refusal(unknown);
        assertTrue(m.contains("conv2d_1") && m.contains("Conv3D") && m.contains("Conv2D"), m);

        ObjectNode missing = conv();
        ((ObjectNode) missing.get("config")).remove("filters");
        m = refusal(missing);
        assertTrue(m.contains("layer 'conv2d_1' (Conv2D): field 'filters' is missing"), m);

        ObjectNode extra = conv();
        ((ObjectNode) extra.get("config")).put("dilation", 2);
        m = refusal(extra);
        assertTrue(m.contains("conv2d_1") && m.contains("dilation"), m);

        ObjectNode negative = conv();
        ((ObjectNode) negative.get("config")).put("filters", -3);
        m = refusal(negative);
        assertTrue(m.contains("field 'filters' is number -3, expected a positive whole number"), m);

        ObjectNode activation = conv();
        ((ObjectNode) activation.get("config")).put("activation", "sigmoidal");
        m = refusal(activation);
        assertTrue(m.contains("field 'activation'") && m.contains("sigmoidal") && m.contains("relu"), m);

        ObjectNode padding = conv();
        ((ObjectNode) padding.get("config")).putArray("padding").add(1).add(2);
        m = refusal(padding);
        assertTrue(m.contains("field 'padding'"), m);

        ObjectNode rate = LayerConfig.write(new Dropout(0.5).named("dropout_1"));
        ((ObjectNode) rate.get("config")).put("rate", 1.5);
        m = refusal(rate);
        assertTrue(m.contains("dropout_1") && m.contains("rate") && m.contains("1.5"), m);

        ObjectNode std = LayerConfig.write(new Normalization(new float[] {0, 0}, new float[] {1, 1}).named("norm"));
        ((ObjectNode) std.get("config")).putArray("std").add(1.0).add(0.0);
        m = refusal(std);
        assertTrue(m.contains("layer 'norm'") && m.contains("channel 1") && m.contains("0.0"), m);
    }
}
