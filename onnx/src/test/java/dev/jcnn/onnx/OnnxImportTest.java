package dev.jcnn.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.data.SampleSource;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.ActivationLayer;
import dev.jcnn.model.Functional;
import dev.jcnn.model.Model;
import dev.jcnn.model.Sequential;
import dev.jcnn.onnx.proto.OnnxProto.ModelProto;
import dev.jcnn.onnx.proto.OnnxProto.NodeProto;
import dev.jcnn.onnx.proto.OnnxProto.TensorProto;
import dev.jcnn.tensor.Shape;
import dev.jcnn.train.FitOptions;
import dev.jcnn.train.Sgd;
import dev.jcnn.train.SparseCategoricalCrossEntropy;
import dev.jcnn.zoo.ModelZoo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Scanner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ONNX files made by PyTorch (scripts/make_onnx_models.py) and by jcnn's exporter, imported. */
class OnnxImportTest {

    private static CpuBackend cpu;

    @BeforeAll
    static void setUp() {
        cpu = new CpuBackend(BackendOptions.exact());
    }

    @AfterAll
    static void tearDown() {
        cpu.close();
    }

    /** A fixed input and PyTorch's output for it, as the generator script writes them. */
    private record Reference(Shape inputShape, float[] input, Shape outputShape, float[] output) {
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OnnxImportTest.class.getResourceAsStream("/pytorch/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /pytorch/" + name);
            }
            return in.readAllBytes();
        }
    }

    private static Reference reference(String model) throws IOException {
        try (Scanner s = new Scanner(new String(resource(model + ".txt"), StandardCharsets.US_ASCII))) {
            Shape inShape = shape(s.nextLine(), "input");
            float[] in = floats(s.nextLine(), inShape.size());
            Shape outShape = shape(s.nextLine(), "output");
            float[] out = floats(s.nextLine(), outShape.size());
            return new Reference(inShape, in, outShape, out);
        }
    }

    private static Shape shape(String line, String label) {
        String[] parts = line.trim().split(" ");
        assertEquals(label, parts[0]);
        int[] dims = new int[parts.length - 1];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = Integer.parseInt(parts[i + 1]);
        }
        return Shape.of(dims);
    }

    private static float[] floats(String line, int count) {
        String[] parts = line.trim().split(" ");
        assertEquals(count, parts.length);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = Float.parseFloat(parts[i]);
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "resblock_bn", "encoder_decoder", "mobile_block", "grouped_decoder"})
    void pytorchModelsPredictWhatPyTorchAndOnnxRuntimePredict(String name) throws Exception {
        byte[] onnx = resource(name + ".onnx");
        Reference ref = reference(name);
        try (Functional model = OnnxImport.read(onnx, cpu)) {
            assertEquals(ref.inputShape().withoutBatch(), model.inputShape());
            float[] jcnn = OnnxRuntimeCheck.forward(model, ref.input(), ref.inputShape());
            OnnxRuntimeCheck.assertClose(name + " vs PyTorch", ref.output(), jcnn);
            float[] ort = OnnxRuntimeCheck.run(onnx, ref.input(), ref.inputShape());
            OnnxRuntimeCheck.assertClose(name + " vs ONNX Runtime", ort, jcnn);
        }
    }

    @Test
    void importedLeNetTrainsFurther() throws Exception {
        try (Functional model = OnnxImport.read(resource("lenet5.onnx"), cpu)) {
            Random r = new Random(7);
            int n = 16;
            float[] x = OnnxRuntimeCheck.uniform(r, n * 28 * 28, 1f);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = i % 10;
            }
            model.compile(new SparseCategoricalCrossEntropy(), new Sgd(0.05f));
            SampleSource data = SampleSource.of(model.inputShape(), x, y);
            double before = model.trainer().evaluate(data, n).loss();
            float[] kernelBefore = model.layers().get(0).parameters().get(0).value().toArray();
            model.fit(x, y, FitOptions.of(1, n));
            float[] kernelAfter = model.layers().get(0).parameters().get(0).value().toArray();
            double after = model.trainer().evaluate(data, n).loss();
            assertNotEquals(Arrays.toString(kernelBefore), Arrays.toString(kernelAfter), "one step changes the weights");
            assertTrue(after < before, "the loss on the batch falls: " + before + " -> " + after);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ModelZoo.LENET5, ModelZoo.CIFAR, ModelZoo.FCN})
    void exportThenImportPredictsTheSame(String zoo, @TempDir Path dir) throws Exception {
        try (Model original = ModelZoo.create(zoo)) {
            original.build(cpu, 11);
            Path file = dir.resolve(zoo + ".onnx");
            OnnxExport.export(original, file);
            try (Functional imported = OnnxImport.read(file, cpu)) {
                Shape batch = original.inputShape().withBatch(3);
                float[] x = OnnxRuntimeCheck.uniform(new Random(3), batch.size(), 1f);
                OnnxRuntimeCheck.assertClose(zoo + " round trip", OnnxRuntimeCheck.forward(original, x, batch),
                        OnnxRuntimeCheck.forward(imported, x, batch));
            }
        }
    }

    @Test
    void unsupportedOperatorIsRefusedNamingNodeAndOp() throws Exception {
        ModelProto proto = ModelProto.parseFrom(resource("resblock_bn.onnx"));
        ModelProto.Builder b = proto.toBuilder();
        NodeProto relu = b.getGraph().getNode(1);
        b.getGraphBuilder().setNode(1, relu.toBuilder().setOpType("Selu").setName("the_selu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxImport.fromProto(b.build(), cpu, "selu.onnx"));
        assertTrue(e.getMessage().contains("selu.onnx"), e.getMessage());
        assertTrue(e.getMessage().contains("'the_selu'"), e.getMessage());
        assertTrue(e.getMessage().contains("op Selu"), e.getMessage());
        assertTrue(e.getMessage().contains("LeakyRelu"), "lists what is supported: " + e.getMessage());
    }

    /** lenet5.onnx with one attribute of its first Conv changed. */
    private static ModelProto lenetWithConvAttribute(String name, long... values) throws IOException {
        ModelProto.Builder b = ModelProto.parseFrom(resource("lenet5.onnx")).toBuilder();
        NodeProto.Builder conv = b.getGraph().getNode(0).toBuilder();
        for (int i = 0; i < conv.getAttributeCount(); i++) {
            var a = conv.getAttribute(i);
            if (a.getName().equals(name)) {
                var changed = a.toBuilder();
                if (a.getIntsCount() > 0) {
                    changed.clearInts();
                    for (long v : values) {
                        changed.addInts(v);
                    }
                } else {
                    changed.setI(values[0]);
                }
                conv.setAttribute(i, changed);
            }
        }
        b.getGraphBuilder().setNode(0, conv);
        return b.build();
    }

    @Test
    void unsupportedAttributeIsRefused() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxImport.fromProto(lenetWithConvAttribute("dilations", 0, 2), cpu, "dilated.onnx"));
        assertTrue(e.getMessage().contains("op Conv") && e.getMessage().contains("dilations=[0, 2]")
                && e.getMessage().contains("positive"), e.getMessage());
        // one input channel cannot be split into two groups
        e = assertThrows(IllegalArgumentException.class,
                () -> OnnxImport.fromProto(lenetWithConvAttribute("group", 2), cpu, "grouped.onnx"));
        assertTrue(e.getMessage().contains("grouped.onnx") && e.getMessage().contains("group=2")
                && e.getMessage().contains("1 channels"), e.getMessage());
    }

    /**
     * PyTorch's grouped and dilated Convs become Conv2D with groups and dilation, and a group per
     * input channel DepthwiseConv2D with the multiplier filters / channels.
     */
    @Test
    void groupedAndDilatedConvsImportAsGroupedConv2DAndDepthwiseConv2D() throws Exception {
        try (Functional model = OnnxImport.read(resource("mobile_block.onnx"), cpu)) {
            List<dev.jcnn.layers.DepthwiseConv2D> depthwise = model.layers().stream()
                    .filter(l -> l instanceof dev.jcnn.layers.DepthwiseConv2D)
                    .map(l -> (dev.jcnn.layers.DepthwiseConv2D) l).toList();
            assertEquals(2, depthwise.size(), model.summary());
            assertEquals(1, depthwise.get(0).depthMultiplier());
            assertEquals(16, depthwise.get(0).groups());
            assertEquals(2, depthwise.get(1).depthMultiplier());
            assertArrayEquals(new int[] {2, 2}, depthwise.get(1).dilation());
            dev.jcnn.layers.Conv2D grouped = model.layers().stream()
                    .filter(l -> l.getClass() == dev.jcnn.layers.Conv2D.class)
                    .map(l -> (dev.jcnn.layers.Conv2D) l).filter(c -> c.groups() > 1).findFirst().orElseThrow();
            assertEquals(4, grouped.groups());
            assertArrayEquals(new int[] {1, 2}, grouped.dilation());
        }
    }

    /** PyTorch's grouped and dilated ConvTransposes become Conv2DTranspose with groups and dilation. */
    @Test
    void groupedAndDilatedConvTransposesImportWithTheirGroupsAndDilation() throws Exception {
        try (Functional model = OnnxImport.read(resource("grouped_decoder.onnx"), cpu)) {
            List<dev.jcnn.layers.Conv2DTranspose> deconvs = model.layers().stream()
                    .filter(l -> l instanceof dev.jcnn.layers.Conv2DTranspose)
                    .map(l -> (dev.jcnn.layers.Conv2DTranspose) l).toList();
            assertEquals(2, deconvs.size(), model.summary());
            assertEquals(2, deconvs.get(0).groups());
            assertEquals(6, deconvs.get(0).filters());
            assertEquals(6, deconvs.get(1).groups());
            assertArrayEquals(new int[] {2, 2}, deconvs.get(1).dilation());
            assertEquals(Shape.of(6, 8, 8), model.outputShape());
        }
    }

    /**
     * jcnn's grouped, dilated and depthwise convolutions go out as Conv (ConvTranspose) and come
     * back as the same layers.
     */
    @Test
    void groupedDilatedAndDepthwiseConvolutionsRoundTrip(@TempDir Path dir) throws Exception {
        try (Sequential model = new Sequential("convs", Shape.of(4, 13, 12),
                new dev.jcnn.layers.Conv2D(6, 3).groups(2).dilation(2, 1).padding(dev.jcnn.layers.Padding.SAME),
                new dev.jcnn.layers.DepthwiseConv2D(3).depthMultiplier(2).strides(2).activation(Activation.RELU6),
                new dev.jcnn.layers.DepthwiseConv2D(3, 2).dilation(2).useBias(false)
                        .padding(dev.jcnn.layers.Padding.of(2)),
                new dev.jcnn.layers.Conv2DTranspose(4, 3).strides(2).outputPadding(1, 0).dilation(1, 2).groups(2))) {
            model.build(cpu, 21);
            OnnxRuntimeCheck.randomizeWeights(model, 22);
            Path file = dir.resolve("convs.onnx");
            OnnxExport.export(model, file);
            try (Functional imported = OnnxImport.read(file, cpu)) {
                List<String> types = imported.layers().stream().map(dev.jcnn.layers.Layer::type)
                        .filter(t -> t.contains("Conv")).toList();
                assertEquals(List.of("Conv2D", "DepthwiseConv2D", "DepthwiseConv2D", "Conv2DTranspose"), types);
                assertEquals(model.parameterCount(), imported.parameterCount());
                assertEquals(model.outputShape(), imported.outputShape());
                Shape batch = model.inputShape().withBatch(3);
                float[] x = OnnxRuntimeCheck.uniform(new Random(23), batch.size(), 1f);
                float[] original = OnnxRuntimeCheck.forward(model, x, batch);
                OnnxRuntimeCheck.assertClose("round trip", original, OnnxRuntimeCheck.forward(imported, x, batch));
                OnnxRuntimeCheck.assertClose("ONNX Runtime", OnnxRuntimeCheck.run(Files.readAllBytes(file), x, batch),
                        original);
            }
        }
    }

    @Test
    void malformedFileIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        byte[] good = resource("resblock_bn.onnx");
        Path file = dir.resolve("truncated.onnx");
        Files.write(file, Arrays.copyOf(good, good.length / 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxImport.read(file, cpu));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        Path junk = dir.resolve("junk.onnx");
        Files.write(junk, "not an onnx file at all\n".getBytes(StandardCharsets.US_ASCII));
        IllegalArgumentException j = assertThrows(IllegalArgumentException.class, () -> OnnxImport.read(junk, cpu));
        assertTrue(j.getMessage().contains(junk.toString()), j.getMessage());
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.onnx");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(OnnxImport.MAX_FILE_BYTES + 1); // sparse: no byte is written
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxImport.read(big, cpu));
        assertTrue(e.getMessage().contains(big.toString()) && e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void anIdentityBetweenGlobalPoolAndFlattenPassesThrough() throws Exception {
        ModelProto proto = ModelProto.parseFrom(resource("resblock_bn.onnx"));
        ModelProto.Builder b = proto.toBuilder();
        int flatten = -1;
        for (int i = 0; i < b.getGraph().getNodeCount(); i++) {
            if (b.getGraph().getNode(i).getOpType().equals("Flatten")) {
                flatten = i;
            }
        }
        NodeProto f = b.getGraph().getNode(flatten);
        String pooled = f.getInput(0);
        b.getGraphBuilder().setNode(flatten, f.toBuilder().setInput(0, "pooled_copy"));
        b.getGraphBuilder().addNode(flatten, NodeProto.newBuilder().setOpType("Identity").setName("copy")
                .addInput(pooled).addOutput("pooled_copy"));
        Reference ref = reference("resblock_bn");
        try (Functional model = OnnxImport.fromProto(b.build(), cpu, "identity.onnx")) {
            OnnxRuntimeCheck.assertClose("with an Identity", ref.output(),
                    OnnxRuntimeCheck.forward(model, ref.input(), ref.inputShape()));
        }
    }

    @Test
    void globalMaxPoolImportsAsGlobalMaxPooling2D() throws Exception {
        try (Sequential model = new Sequential("gmp", Shape.of(2, 5, 4), new dev.jcnn.layers.Conv2D(3, 3),
                new dev.jcnn.layers.GlobalMaxPooling2D(), new dev.jcnn.layers.Dense(2))) {
            model.build(cpu, 9);
            byte[] onnx = OnnxExport.toBytes(model);
            try (Functional imported = OnnxImport.fromProto(ModelProto.parseFrom(onnx), cpu, "gmp.onnx")) {
                assertTrue(imported.layers().stream().anyMatch(l -> l instanceof dev.jcnn.layers.GlobalMaxPooling2D),
                        imported.layers().toString());
                Shape batch = imported.inputShape().withBatch(3);
                float[] x = OnnxRuntimeCheck.uniform(new Random(8), batch.size(), 1f);
                OnnxRuntimeCheck.assertClose("global max pool", OnnxRuntimeCheck.forward(model, x, batch),
                        OnnxRuntimeCheck.forward(imported, x, batch));
                OnnxRuntimeCheck.assertClose("global max pool in ONNX Runtime", OnnxRuntimeCheck.run(onnx, x, batch),
                        OnnxRuntimeCheck.forward(imported, x, batch));
            }
        }
    }

    @Test
    void lrnImportsAsLocalResponseNormAndAnEvenSizeIsRefused() throws Exception {
        try (Sequential model = new Sequential("lrn", Shape.of(6, 3, 3), new dev.jcnn.layers.Conv2D(7, 3)
                .padding(dev.jcnn.layers.Padding.SAME), new dev.jcnn.layers.LocalResponseNorm(3, 0.5, 0.75, 1.5))) {
            model.build(cpu, 9);
            byte[] onnx = OnnxExport.toBytes(model);
            try (Functional imported = OnnxImport.fromProto(ModelProto.parseFrom(onnx), cpu, "lrn.onnx")) {
                dev.jcnn.layers.LocalResponseNorm lrn = imported.layers().stream()
                        .filter(l -> l instanceof dev.jcnn.layers.LocalResponseNorm)
                        .map(l -> (dev.jcnn.layers.LocalResponseNorm) l).findFirst().orElseThrow();
                assertEquals(new dev.jcnn.backend.LrnSpec(3, 0.5f, 0.75f, 1.5f), lrn.spec());
                Shape batch = imported.inputShape().withBatch(2);
                float[] x = OnnxRuntimeCheck.uniform(new Random(8), batch.size(), 2f);
                OnnxRuntimeCheck.assertClose("lrn", OnnxRuntimeCheck.forward(model, x, batch),
                        OnnxRuntimeCheck.forward(imported, x, batch));
            }
            ModelProto.Builder b = ModelProto.parseFrom(onnx).toBuilder();
            for (int i = 0; i < b.getGraph().getNodeCount(); i++) {
                NodeProto n = b.getGraph().getNode(i);
                if (n.getOpType().equals("LRN")) {
                    NodeProto.Builder even = n.toBuilder().clearAttribute();
                    for (var a : n.getAttributeList()) {
                        even.addAttribute(a.getName().equals("size") ? a.toBuilder().setI(4).build() : a);
                    }
                    b.getGraphBuilder().setNode(i, even);
                }
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OnnxImport.fromProto(b.build(), cpu, "even.onnx"));
            assertTrue(e.getMessage().contains("even.onnx") && e.getMessage().contains("LRN")
                    && e.getMessage().contains("size 4") && e.getMessage().contains("odd"), e.getMessage());
        }
    }

    @Test
    void ceilModePoolsImportInCeilMode() throws Exception {
        try (Sequential model = new Sequential("ceil", Shape.of(2, 9, 9),
                new dev.jcnn.layers.MaxPool2D(2).ceilMode(true).named("max"),
                new dev.jcnn.layers.AvgPool2D(3).strides(2).padding(dev.jcnn.layers.Padding.of(1)).ceilMode(true)
                        .named("avg"))) {
            model.build(cpu, 9);
            byte[] onnx = OnnxExport.toBytes(model);
            try (Functional imported = OnnxImport.fromProto(ModelProto.parseFrom(onnx), cpu, "ceil.onnx")) {
                assertEquals(model.outputShape(), imported.outputShape());
                Shape batch = imported.inputShape().withBatch(2);
                float[] x = OnnxRuntimeCheck.uniform(new Random(4), batch.size(), 1f);
                OnnxRuntimeCheck.assertClose("ceil mode", OnnxRuntimeCheck.run(onnx, x, batch),
                        OnnxRuntimeCheck.forward(imported, x, batch));
            }
        }
        // counting the padding, a window past the padded input divides differently in ONNX Runtime
        try (Sequential model = new Sequential("ceil_pad", Shape.of(2, 5, 5),
                new dev.jcnn.layers.AvgPool2D(2).countIncludePad(true).ceilMode(true).named("avg"))) {
            model.build(cpu, 9);
            ModelProto proto = ModelProto.parseFrom(OnnxExport.toBytes(model));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OnnxImport.fromProto(proto, cpu, "ceil_pad.onnx"));
            assertTrue(e.getMessage().contains("op AveragePool") && e.getMessage().contains("reaches 1 past the padded"),
                    e.getMessage());
        }
    }

    /** A model of the hard activations, exported: Conv (+ Clip), HardSigmoid, HardSwish. */
    private static byte[] hardActivations() throws Exception {
        try (Sequential model = new Sequential("hard", Shape.of(2, 5, 5),
                new dev.jcnn.layers.Conv2D(3, 3).activation(Activation.RELU6), new ActivationLayer(Activation.HARD_SIGMOID),
                new dev.jcnn.layers.Conv2D(2, 1), new ActivationLayer(Activation.HARD_SWISH))) {
            model.build(cpu, 7);
            return OnnxExport.toBytes(model);
        }
    }

    @Test
    void clipHardSigmoidAndHardSwishImportAsTheHardActivations() throws Exception {
        byte[] onnx = hardActivations();
        try (Functional imported = OnnxImport.fromProto(ModelProto.parseFrom(onnx), cpu, "hard.onnx")) {
            List<String> activations = imported.layers().stream().filter(l -> l instanceof ActivationLayer)
                    .map(l -> ((ActivationLayer) l).activation().name()).toList();
            assertEquals(List.of("RELU6", "HARD_SIGMOID", "HARD_SWISH"), activations);
            Shape batch = imported.inputShape().withBatch(3);
            // inputs up to ±6 put values on every piece of the three functions
            float[] x = OnnxRuntimeCheck.uniform(new Random(5), batch.size(), 6f);
            OnnxRuntimeCheck.assertClose("hard activations", OnnxRuntimeCheck.run(onnx, x, batch),
                    OnnxRuntimeCheck.forward(imported, x, batch));
        }
    }

    @Test
    void clipToOtherBoundsAndKeras2HardSigmoidAreRefused() throws Exception {
        ModelProto proto = ModelProto.parseFrom(hardActivations());
        ModelProto.Builder clip = proto.toBuilder();
        for (int i = 0; i < clip.getGraph().getInitializerCount(); i++) {
            TensorProto t = clip.getGraph().getInitializer(i);
            if (t.getName().endsWith("/max")) {
                java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .putFloat(0, 1f);
                clip.getGraphBuilder().setInitializer(i, t.toBuilder()
                        .setRawData(com.google.protobuf.ByteString.copyFrom(one.array())));
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxImport.fromProto(clip.build(), cpu, "clip.onnx"));
        assertTrue(e.getMessage().contains("op Clip") && e.getMessage().contains("[0.0, 1.0]"), e.getMessage());

        ModelProto.Builder keras2 = proto.toBuilder();
        for (int i = 0; i < keras2.getGraph().getNodeCount(); i++) {
            NodeProto n = keras2.getGraph().getNode(i);
            if (n.getOpType().equals("HardSigmoid")) {
                keras2.getGraphBuilder().setNode(i, n.toBuilder().clearAttribute());
            }
        }
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                () -> OnnxImport.fromProto(keras2.build(), cpu, "keras2.onnx"));
        assertTrue(k.getMessage().contains("op HardSigmoid") && k.getMessage().contains("alpha 0.2"), k.getMessage());
    }

    /** The initializer named so, with its (rows, cols) values transposed and a new name. */
    private static TensorProto transposed(ModelProto proto, String name, String newName) {
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            if (t.getName().equals(name)) {
                int rows = (int) t.getDims(0);
                int cols = (int) t.getDims(1);
                java.nio.FloatBuffer in = t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer();
                java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(rows * cols * 4)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (int c = 0; c < cols; c++) {
                    for (int r = 0; r < rows; r++) {
                        out.putFloat(in.get(r * cols + c));
                    }
                }
                return t.toBuilder().setName(newName).clearDims().addDims(cols).addDims(rows)
                        .setRawData(com.google.protobuf.ByteString.copyFrom(out.array())).build();
            }
        }
        throw new AssertionError("no initializer " + name);
    }

    @Test
    void matMulWithBiasAddAndGemmWithoutTransBImportAsDense() throws Exception {
        ModelProto proto = ModelProto.parseFrom(resource("lenet5.onnx"));
        ModelProto.Builder b = proto.toBuilder();
        b.getGraphBuilder().addInitializer(transposed(proto, "fc2.weight", "fc2.weight_t"));
        b.getGraphBuilder().addInitializer(transposed(proto, "fc3.weight", "fc3.weight_t"));
        for (int i = 0; i < b.getGraph().getNodeCount(); i++) {
            NodeProto n = b.getGraph().getNode(i);
            if (n.getOpType().equals("Gemm") && n.getInput(1).equals("fc2.weight")) {
                // transB 0 with the (in, out) kernel
                NodeProto.Builder g = n.toBuilder().setInput(1, "fc2.weight_t").clearAttribute();
                b.getGraphBuilder().setNode(i, g);
            } else if (n.getOpType().equals("Gemm") && n.getInput(1).equals("fc3.weight")) {
                b.getGraphBuilder().setNode(i, NodeProto.newBuilder().setOpType("MatMul").setName("fc3_matmul")
                        .addInput(n.getInput(0)).addInput("fc3.weight_t").addOutput("fc3_mm"));
                b.getGraphBuilder().addNode(i + 1, NodeProto.newBuilder().setOpType("Add").setName("fc3_bias")
                        .addInput("fc3_mm").addInput("fc3.bias").addOutput(n.getOutput(0)));
                break;
            }
        }
        ModelProto changed = b.build();
        Reference ref = reference("lenet5");
        float[] ort = OnnxRuntimeCheck.run(changed.toByteArray(), ref.input(), ref.inputShape());
        OnnxRuntimeCheck.assertClose("ONNX Runtime on the changed file vs PyTorch", ref.output(), ort);
        try (Functional model = OnnxImport.fromProto(changed, cpu, "matmul.onnx")) {
            OnnxRuntimeCheck.assertClose("MatMul + Add, Gemm transB=0", ref.output(),
                    OnnxRuntimeCheck.forward(model, ref.input(), ref.inputShape()));
        }
    }
}
