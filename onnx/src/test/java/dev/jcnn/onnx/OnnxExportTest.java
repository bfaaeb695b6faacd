package dev.jcnn.onnx;

import static dev.jcnn.onnx.OnnxRuntimeCheck.assertAgrees;
import static dev.jcnn.onnx.OnnxRuntimeCheck.assertClose;
import static dev.jcnn.onnx.OnnxRuntimeCheck.randomizeWeights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.layers.Activation;
import dev.jcnn.layers.ActivationLayer;
import dev.jcnn.layers.Add;
import dev.jcnn.layers.AvgPool2D;
import dev.jcnn.layers.BatchNormalization;
import dev.jcnn.layers.Concatenate;
import dev.jcnn.layers.Conv2D;
import dev.jcnn.layers.Conv2DTranspose;
import dev.jcnn.layers.Dense;
import dev.jcnn.layers.DepthwiseConv2D;
import dev.jcnn.layers.Dropout;
import dev.jcnn.layers.ELU;
import dev.jcnn.layers.Flatten;
import dev.jcnn.layers.GlobalAveragePooling2D;
import dev.jcnn.layers.GlobalMaxPooling2D;
import dev.jcnn.layers.Input;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.LeakyReLU;
import dev.jcnn.layers.LocalResponseNorm;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Node;
import dev.jcnn.layers.Normalization;
import dev.jcnn.layers.PReLU;
import dev.jcnn.layers.Padding;
import dev.jcnn.layers.Softmax;
import dev.jcnn.layers.SumPool2D;
import dev.jcnn.layers.UpSampling2D;
import dev.jcnn.model.Functional;
import dev.jcnn.model.Model;
import dev.jcnn.model.Sequential;
import dev.jcnn.onnx.proto.OnnxProto.ModelProto;
import dev.jcnn.tensor.Shape;
import dev.jcnn.zoo.ModelZoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every zoo model and every exported layer kind, exported and run by ONNX Runtime against jcnn's forward pass. */
class OnnxExportTest {

    private static CpuBackend cpu;

    @BeforeAll
    static void start() {
        cpu = new CpuBackend(BackendOptions.exact());
    }

    @AfterAll
    static void stop() {
        cpu.close();
    }

    /** The small classifiers and the U-Net at batch 4; resnet18 and mobilenetv2 (graphs with Add, grouped convolutions, ReLU6) at 224×224 and batch 1. */
    static Stream<Arguments> zooModels() {
        Stream<Arguments> small = Stream.concat(ModelZoo.SMALL.stream(), Stream.of(ModelZoo.UNET)).map(n -> Arguments.of(n, 4));
        return Stream.concat(small, Stream.of(Arguments.of(ModelZoo.RESNET18, 1), Arguments.of(ModelZoo.MOBILENET_V2, 1)));
    }

    @ParameterizedTest(name = "zoo model {0}, batch {1}: ONNX Runtime predicts what jcnn predicts")
    @MethodSource("zooModels")
    void zooModelRoundTrip(String name, int n, @TempDir Path dir) throws Exception {
        try (Model model = ModelZoo.create(name)) {
            model.build(cpu, 42);
            Path file = dir.resolve(name + ".onnx");
            OnnxExport.export(model, file);
            byte[] onnx = Files.readAllBytes(file);
            ModelProto proto = ModelProto.parseFrom(onnx);
            assertEquals(OnnxExport.OPSET, proto.getOpsetImport(0).getVersion());
            // the weights are the initializers with dimensions; the scalars are the bounds of ReLU6's Clip
            assertEquals(model.parameterCount(), OnnxRuntimeCheck.initializers(proto).values().stream()
                    .filter(t -> t.getDimsCount() > 0)
                    .mapToLong(t -> t.getRawData().size() / Float.BYTES).sum(), name + ": every weight is inside the file");

            float[] x = OnnxRuntimeCheck.uniform(new Random(7), model.inputShape().withBatch(n).size(), 1f);
            float[] predicted = model.predict(x, n);
            assertClose(name, predicted, OnnxRuntimeCheck.run(onnx, x, model.inputShape().withBatch(n)));
        }
    }

    @Test
    void fcnTakesLargerImagesOnlyAtItsExportedSize() throws Exception {
        // the exported graph fixes the spatial size to the model's input shape; ONNX Runtime checks it
        try (Sequential model = ModelZoo.fcn()) {
            model.build(cpu, 3);
            byte[] onnx = OnnxExport.toBytes(model);
            Shape larger = Shape.of(1, 1, 56, 56);
            assertThrows(OrtException.class, () -> OnnxRuntimeCheck.run(onnx, new float[larger.size()], larger));
        }
    }

    /** A small model per exported layer kind and setting, each with random weights. */
    static Stream<Arguments> layerKinds() {
        return Stream.of(
                kind("Conv2D SAME stride 2 on odd input (extra pad bottom/right)", Shape.of(2, 7, 9),
                        () -> new Conv2D(3, 3).padding(Padding.SAME).strides(2).activation(Activation.RELU)),
                kind("Conv2D SAME 4x4 kernel (uneven pads)", Shape.of(2, 6, 6),
                        () -> new Conv2D(3, 4).padding(Padding.SAME)),
                kind("Conv2D explicit asymmetric padding, rectangular kernel, no bias", Shape.of(3, 6, 5),
                        () -> new Conv2D(2, 3, 2).padding(Padding.of(new Padding2D(1, 2, 0, 1))).strides(1, 2)
                                .useBias(false)),
                kind("Conv2D dilated and grouped", Shape.of(4, 9, 8),
                        () -> new Conv2D(6, 3).dilation(2, 1).groups(2).padding(Padding.of(1))),
                kind("DepthwiseConv2D multiplier 2 SAME stride 2 relu6", Shape.of(3, 7, 8),
                        () -> new DepthwiseConv2D(3).depthMultiplier(2).strides(2).padding(Padding.SAME)
                                .activation(Activation.RELU6)),
                kind("DepthwiseConv2D dilated, no bias", Shape.of(4, 9, 9),
                        () -> new DepthwiseConv2D(3, 2).dilation(2).useBias(false)),
                kind("Conv2DTranspose VALID stride 2", Shape.of(2, 4, 5), () -> new Conv2DTranspose(3, 3).strides(2)),
                kind("Conv2DTranspose SAME stride 2 tanh", Shape.of(2, 4, 4),
                        () -> new Conv2DTranspose(2, 3).strides(2).padding(Padding.SAME).activation(Activation.TANH)),
                kind("Conv2DTranspose output padding", Shape.of(2, 3, 3),
                        () -> new Conv2DTranspose(2, 3).strides(3).outputPadding(1, 2)),
                kind("Conv2DTranspose dilated, SAME", Shape.of(2, 4, 5),
                        () -> new Conv2DTranspose(3, 3).dilation(2).padding(Padding.SAME)),
                kind("Conv2DTranspose grouped, stride 2, output padding, rectangular dilation", Shape.of(4, 3, 4),
                        () -> new Conv2DTranspose(6, 3).strides(2).outputPadding(1, 1).dilation(1, 2).groups(2)),
                kind("Conv2DTranspose depthwise, explicit padding", Shape.of(3, 4, 4),
                        () -> new Conv2DTranspose(3, 3).groups(3).padding(Padding.of(1)).useBias(false)),
                kind("MaxPool2D SAME stride 2 on odd input", Shape.of(2, 7, 7),
                        () -> new MaxPool2D(3).strides(2).padding(Padding.SAME)),
                kind("AvgPool2D SAME excluding pads", Shape.of(2, 5, 7),
                        () -> new AvgPool2D(3).strides(2).padding(Padding.SAME)),
                kind("AvgPool2D explicit padding counting pads", Shape.of(2, 6, 6),
                        () -> new AvgPool2D(3).strides(1).padding(Padding.of(1)).countIncludePad(true)),
                kind("SumPool2D", Shape.of(2, 6, 6), () -> new SumPool2D(2)),
                kind("MaxPool2D ceil mode", Shape.of(2, 5, 5), () -> new MaxPool2D(2).ceilMode(true)),
                kind("MaxPool2D ceil mode padded", Shape.of(2, 8, 8),
                        () -> new MaxPool2D(3).strides(2).padding(Padding.of(1)).ceilMode(true)),
                kind("AvgPool2D ceil mode excluding pads", Shape.of(2, 8, 8),
                        () -> new AvgPool2D(3).strides(2).padding(Padding.of(1)).ceilMode(true)),
                kind("AvgPool2D ceil mode counting pads", Shape.of(2, 8, 8),
                        () -> new AvgPool2D(3).strides(2).padding(Padding.of(1)).countIncludePad(true).ceilMode(true)),
                kind("AvgPool2D ceil mode counting pads, no padding", Shape.of(2, 5, 5),
                        () -> new AvgPool2D(2).countIncludePad(true).ceilMode(true)),
                kind("SumPool2D ceil mode", Shape.of(2, 5, 5), () -> new SumPool2D(2).ceilMode(true)),
                kind("SumPool2D SAME", Shape.of(1, 5, 5), () -> new SumPool2D(2).padding(Padding.SAME)),
                kind("GlobalAveragePooling2D", Shape.of(3, 5, 4), GlobalAveragePooling2D::new),
                kind("GlobalMaxPooling2D", Shape.of(3, 5, 4), GlobalMaxPooling2D::new),
                kind("LeakyReLU", Shape.of(2, 3, 3), () -> new LeakyReLU(0.2f)),
                kind("ELU", Shape.of(2, 3, 3), () -> new ELU(0.7f)),
                kind("PReLU on images", Shape.of(3, 3, 3), PReLU::new),
                kind("BatchNormalization on images", Shape.of(3, 4, 4), () -> new BatchNormalization().epsilon(1e-2)),
                kind("Normalization on images", Shape.of(3, 4, 4), () -> new Normalization(new float[] {0.5f, -1f, 2f},
                        new float[] {0.25f, 2f, 0.1f})),
                kind("Normalization of features", Shape.of(3), () -> new Normalization(new float[] {1f, 0f, -3f},
                        new float[] {3f, 0.5f, 1f})),
                kind("LocalResponseNorm AlexNet's", Shape.of(7, 3, 3), LocalResponseNorm::new),
                kind("LocalResponseNorm window wider than the channels", Shape.of(3, 2, 4),
                        () -> new LocalResponseNorm(5, 2.0, 1.0, 0.5)),
                kind("Dropout (identity at inference)", Shape.of(2, 3, 3), () -> new Dropout(0.5)),
                kind("UpSampling2D nearest", Shape.of(2, 3, 4), () -> new UpSampling2D(2, 3)),
                kind("UpSampling2D bilinear", Shape.of(2, 3, 4),
                        () -> new UpSampling2D(2).interpolation(Interpolation.BILINEAR)),
                kind("Softmax over channels of an image", Shape.of(4, 2, 3), Softmax::new),
                kind("Flatten", Shape.of(2, 3, 3), Flatten::new));
    }

    private static Arguments kind(String what, Shape input, Supplier<Layer> layer) {
        return Arguments.of(what, input, layer);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layerKinds")
    void layerKindAgrees(String what, Shape input, Supplier<Layer> layer) throws Exception {
        try (Sequential model = new Sequential("kind", input, layer.get())) {
            model.build(cpu, 5);
            randomizeWeights(model, 11);
            assertAgrees(model, 3, 13);
        }
    }

    @ParameterizedTest(name = "Dense with activation {0}")
    @EnumSource(Activation.class)
    void denseWithEachActivation(Activation activation) throws Exception {
        try (Sequential model = new Sequential("dense", Shape.of(2, 3, 2), new Flatten(), new Dense(5, activation))) {
            model.build(cpu, 5);
            randomizeWeights(model, 17);
            byte[] onnx = assertAgrees(model, 3, 19);
            assertTrue(OnnxRuntimeCheck.opTypes(ModelProto.parseFrom(onnx)).contains("Gemm"));
        }
    }

    @ParameterizedTest(name = "Activation layer {0} on images")
    @EnumSource(Activation.class)
    void activationLayerOnImages(Activation activation) throws Exception {
        try (Sequential model = new Sequential("act", Shape.of(3, 2, 2), new ActivationLayer(activation))) {
            model.build(cpu, 5);
            // a wider range than the default, so that GELU and SiLU see their tails
            Shape batch = model.inputShape().withBatch(2);
            float[] x = OnnxRuntimeCheck.uniform(new Random(23), batch.size(), 4f);
            assertClose(activation.name(), OnnxRuntimeCheck.forward(model, x, batch),
                    OnnxRuntimeCheck.run(OnnxExport.toBytes(model), x, batch));
        }
    }

    @Test
    void denseWithoutBiasAndFlatLayers() throws Exception {
        try (Sequential model = new Sequential("flat", Shape.of(6), new Dense(5).useBias(false),
                new BatchNormalization(), new PReLU(), new Dropout(0.3), new Dense(4, Activation.SOFTMAX))) {
            model.build(cpu, 5);
            randomizeWeights(model, 29);
            assertAgrees(model, 3, 31);
        }
    }

    @Test
    void functionalResidualAndSkipConnections() throws Exception {
        Node in = Input.of(2, 8, 8);
        Node a = new Conv2D(4, 3).padding(Padding.SAME).activation(Activation.RELU).apply(in);
        Node b = new Conv2D(4, 3).padding(Padding.SAME).apply(a);
        Node bn = new BatchNormalization().apply(b);
        Node sum = new Add().apply(a, bn, new Conv2D(4, 1).apply(in));
        Node down = new MaxPool2D(2).apply(sum);
        Node up = new Conv2DTranspose(4, 2).strides(2).activation(Activation.SILU).apply(down);
        Node up2 = new UpSampling2D(2).apply(new AvgPool2D(2).apply(sum));
        Node cat = new Concatenate().apply(sum, up, up2);
        Node out = new Conv2D(3, 1).activation(Activation.SIGMOID).apply(cat);
        try (Functional model = new Functional("unet-ish", in, out)) {
            model.build(cpu, 5);
            randomizeWeights(model, 37);
            byte[] onnx = assertAgrees(model, 2, 41);
            List<String> ops = OnnxRuntimeCheck.opTypes(ModelProto.parseFrom(onnx));
            assertTrue(ops.containsAll(List.of("Sum", "Concat", "ConvTranspose", "Resize", "BatchNormalization")), ops::toString);
        }
    }

    /** A layer the exporter does not know. */
    static final class Negate extends Layer {
        Negate() {
            super("negate");
        }

        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            Tensor y = buffer("y", x.shape());
            backend().elementwise().scale(x, -1f, y);
            return y;
        }

        @Override
        public Tensor backward(Tensor dy) {
            throw new UnsupportedOperationException("not needed here");
        }
    }

    @Test
    void layerWithoutMappingIsRefusedByNameTypeAndSupportedList(@TempDir Path dir) throws Exception {
        try (Sequential model = new Sequential("custom", Shape.of(1, 2, 2), new Conv2D(1, 1), new Negate())) {
            model.build(cpu, 5);
            Path file = dir.resolve("custom.onnx");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.export(model, file));
            try (var left = Files.list(dir)) {
                assertEquals(List.of(), left.toList(), "a refused export writes nothing");
            }
            assertTrue(e.getMessage().contains("'negate'"), e.getMessage());
            assertTrue(e.getMessage().contains("Negate"), e.getMessage());
            assertTrue(e.getMessage().contains("supports Conv2D, DepthwiseConv2D, Conv2DTranspose, Dense"), e.getMessage());
        }
    }

    @Test
    void unbuiltModelIsRefused() {
        try (Model model = ModelZoo.lenet5()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> OnnxExport.toBytes(model));
            assertTrue(e.getMessage().contains("not built"), e.getMessage());
        }
    }

    @Test
    void samePaddingIsExportedAsExplicitPadsWithTheExtraAtBottomRight() throws Exception {
        try (Sequential model = new Sequential("pads", Shape.of(1, 6, 6), new Conv2D(1, 4).padding(Padding.SAME))) {
            model.build(cpu, 5);
            ModelProto proto = ModelProto.parseFrom(OnnxExport.toBytes(model));
            var conv = proto.getGraph().getNode(0);
            var pads = conv.getAttributeList().stream().filter(a -> a.getName().equals("pads")).findFirst().orElseThrow();
            // a 4x4 kernel pads 3 rows: 1 on top, 2 at the bottom (and so for the columns)
            assertEquals(List.of(1L, 1L, 2L, 2L), pads.getIntsList());
        }
    }

    @Test
    void dilationAndGroupsAreExportedAsConvAttributes() throws Exception {
        try (Sequential model = new Sequential("grouped", Shape.of(4, 9, 9), new Conv2D(6, 3).dilation(2).groups(2))) {
            model.build(cpu, 5);
            ModelProto proto = ModelProto.parseFrom(OnnxExport.toBytes(model));
            var conv = proto.getGraph().getNode(0);
            var dilations = conv.getAttributeList().stream().filter(a -> a.getName().equals("dilations")).findFirst()
                    .orElseThrow();
            var group = conv.getAttributeList().stream().filter(a -> a.getName().equals("group")).findFirst()
                    .orElseThrow();
            assertEquals(List.of(2L, 2L), dilations.getIntsList());
            assertEquals(2L, group.getI());
            // the weight holds C/groups = 2 input channels per filter, as ONNX's Conv expects
            var w = proto.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(conv.getInput(1)))
                    .findFirst().orElseThrow();
            assertEquals(List.of(6L, 2L, 3L, 3L), w.getDimsList());
        }
    }
}
