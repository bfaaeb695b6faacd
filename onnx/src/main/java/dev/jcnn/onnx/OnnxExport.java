package dev.jcnn.onnx;

import com.google.protobuf.ByteString;
import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Geometry;
import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.LrnSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.io.TensorFile;
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
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.LeakyReLU;
import dev.jcnn.layers.LocalResponseNorm;
import dev.jcnn.layers.MaxPool2D;
import dev.jcnn.layers.Node;
import dev.jcnn.layers.Normalization;
import dev.jcnn.layers.PReLU;
import dev.jcnn.layers.Parameter;
import dev.jcnn.layers.Pool2D;
import dev.jcnn.layers.Softmax;
import dev.jcnn.layers.SumPool2D;
import dev.jcnn.layers.UpSampling2D;
import dev.jcnn.model.Functional;
import dev.jcnn.model.Model;
import dev.jcnn.onnx.proto.OnnxProto.AttributeProto;
import dev.jcnn.onnx.proto.OnnxProto.GraphProto;
import dev.jcnn.onnx.proto.OnnxProto.ModelProto;
import dev.jcnn.onnx.proto.OnnxProto.NodeProto;
import dev.jcnn.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.jcnn.onnx.proto.OnnxProto.TensorProto;
import dev.jcnn.onnx.proto.OnnxProto.TensorShapeProto;
import dev.jcnn.onnx.proto.OnnxProto.TypeProto;
import dev.jcnn.onnx.proto.OnnxProto.ValueInfoProto;
import dev.jcnn.tensor.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Writes a built jcnn model as an ONNX file: opset {@value #OPSET}, float32 tensors in NCHW
 * with a symbolic batch axis "N", every weight inside the file as an initializer. The model's
 * inference graph is exported: Dropout becomes Identity and BatchNormalization uses its moving
 * statistics. SAME padding is written as explicit {@code pads}, with the odd extra row or
 * column at the bottom or right as jcnn (and TensorFlow) pad; Dense is Gemm with transB=1, as
 * its kernel is (out, in). docs/onnx.md has the layer-to-operator table.
 *
 * <p>A layer without a mapping is refused with an IllegalArgumentException naming it, its
 * type and the layers the exporter supports.
 */
public final class OnnxExport {

    private static final Logger LOG = LogManager.getLogger(OnnxExport.class);

    /** The ONNX operator set the exported graphs use. */
    public static final int OPSET = 17;
    /** The ONNX IR version that opset 17 goes with. */
    public static final int IR_VERSION = 8;

    /** The layer types the exporter maps, in the order its refusal lists them. */
    public static final List<String> SUPPORTED = List.of("Conv2D", "DepthwiseConv2D", "Conv2DTranspose", "Dense", "Flatten", "MaxPool2D",
            "AvgPool2D", "SumPool2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Activation (linear, relu, tanh, sigmoid, gelu, gelu_tanh,"
                    + " silu, relu6, hard_sigmoid, hard_swish, softmax, log_softmax)", "Softmax", "LeakyReLU", "ELU", "PReLU", "BatchNormalization", "Normalization",
            "LocalResponseNorm (on images)", "Dropout", "Add", "Concatenate", "UpSampling2D (nearest, bilinear)");

    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();

    private OnnxExport() {
    }

    /**
     * Writes the model to {@code file} as ONNX, atomically as jcnn writes its own files (a temporary
     * file beside it, forced to disk, renamed over it): a failed export leaves no partial file.
     *
     * @throws IllegalArgumentException when a layer has no ONNX mapping, naming it
     * @throws IllegalStateException when the model is not built
     */
    public static void export(Model model, Path file) throws IOException {
        byte[] bytes = toBytes(model);
        TensorFile.writeAtomically(file, bytes);
        LOG.info("exported model {} to {} (ONNX opset {}, {} bytes)", model.name(), file, OPSET, bytes.length);
    }

    /** The model as ONNX bytes, what {@link #export} writes. */
    public static byte[] toBytes(Model model) {
        return toProto(model).toByteArray();
    }

    /** The model as an ONNX ModelProto. */
    public static ModelProto toProto(Model model) {
        model.backend();
        if (!(model instanceof Functional functional)) {
            throw new IllegalArgumentException("model '" + model.name() + "' is a " + model.getClass().getSimpleName()
                    + "; the ONNX exporter takes Sequential and Functional models");
        }
        OnnxExport export = new OnnxExport();
        GraphProto g = export.graph(functional);
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("jcnn")
                .setProducerVersion("0.1.0")
                .setDocString("jcnn model '" + model.name() + "', input " + model.inputShape() + ", output "
                        + model.outputShape())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g)
                .build();
    }

    private GraphProto graph(Functional model) {
        Node input = model.inputNode();
        Node output = model.outputNode();
        graph.setName(model.name());
        claim(input.name());
        graph.addInput(valueInfo(input.name(), input.shape()));
        for (Node n : model.nodes()) {
            List<String> ins = new ArrayList<>();
            for (Node in : n.inputs()) {
                ins.add(in.name());
            }
            layer(n.layer(), ins, n.inputs().get(0).shape(), n.shape(), n.name());
        }
        graph.addOutput(valueInfo(output.name(), output.shape()));
        return graph.build();
    }

    // ---- one layer --------------------------------------------------------------------------

    /** Adds the nodes computing layer l from the values {@code ins} (per-sample shape {@code in}) into value {@code y}. */
    private void layer(Layer l, List<String> ins, Shape in, Shape out, String y) {
        String x = ins.get(0);
        Class<?> type = l.getClass();
        if (type == Conv2D.class || type == DepthwiseConv2D.class) {
            // a depthwise convolution is the Conv with group = C its spec states
            Conv2D conv = (Conv2D) l;
            ConvSpec spec = conv.spec(in);
            String z = conv.activation() == Activation.LINEAR ? y : y + "/conv";
            node("Conv", l.name() + "/conv", weightInputs(x, l, conv.usesBias()), z,
                    ints("kernel_shape", spec.kernelH(), spec.kernelW()), ints("strides", spec.strideH(), spec.strideW()),
                    pads(spec.padding()), ints("dilations", spec.dilationH(), spec.dilationW()),
                    intAttr("group", spec.groups()));
            activation(l, conv.activation(), z, y);
        } else if (type == Conv2DTranspose.class) {
            Conv2DTranspose deconv = (Conv2DTranspose) l;
            ConvSpec spec = deconv.spec(in);
            Padding2D p = spec.padding();
            // ONNX: out = stride·(in − 1) + output_padding + dilation·(kernel − 1) + 1 − pads; the rest of jcnn's
            // output size is output_padding
            int oph = out.dim(1) - Geometry.transposedOutputSize(in.dim(1),
                    Geometry.dilatedWindow(spec.kernelH(), spec.dilationH()), spec.strideH(), p.top(), p.bottom(), 0,
                    l.name() + " height");
            int opw = out.dim(2) - Geometry.transposedOutputSize(in.dim(2),
                    Geometry.dilatedWindow(spec.kernelW(), spec.dilationW()), spec.strideW(), p.left(), p.right(), 0,
                    l.name() + " width");
            String z = deconv.activation() == Activation.LINEAR ? y : y + "/deconv";
            node("ConvTranspose", l.name() + "/deconv", weightInputs(x, l, deconv.usesBias()), z,
                    ints("kernel_shape", spec.kernelH(), spec.kernelW()), ints("strides", spec.strideH(), spec.strideW()),
                    pads(p), ints("output_padding", oph, opw), ints("dilations", spec.dilationH(), spec.dilationW()),
                    intAttr("group", spec.groups()));
            activation(l, deconv.activation(), z, y);
        } else if (type == Dense.class) {
            Dense dense = (Dense) l;
            String z = dense.activation() == Activation.LINEAR ? y : y + "/gemm";
            node("Gemm", l.name() + "/gemm", weightInputs(x, l, dense.usesBias()), z, intAttr("transB", 1));
            activation(l, dense.activation(), z, y);
        } else if (type == Flatten.class) {
            node("Flatten", l.name(), List.of(x), y, intAttr("axis", 1));
        } else if (type == MaxPool2D.class || type == AvgPool2D.class || type == SumPool2D.class) {
            pool(l, ((Pool2D<?>) l).spec(in), in, x, y);
        } else if (type == GlobalAveragePooling2D.class || type == GlobalMaxPooling2D.class) {
            String op = type == GlobalMaxPooling2D.class ? "GlobalMaxPool" : "GlobalAveragePool";
            node(op, l.name() + "/pool", List.of(x), y + "/pooled");
            node("Flatten", l.name(), List.of(y + "/pooled"), y, intAttr("axis", 1));
        } else if (type == ActivationLayer.class || type == Softmax.class) {
            activation(l, ((ActivationLayer) l).activation(), x, y);
        } else if (type == LeakyReLU.class) {
            ActivationSpec spec = ((LeakyReLU) l).spec();
            node("LeakyRelu", l.name(), List.of(x), y, floatAttr("alpha", spec.alpha()));
        } else if (type == ELU.class) {
            ActivationSpec spec = ((ELU) l).spec();
            node("Elu", l.name(), List.of(x), y, floatAttr("alpha", spec.alpha()));
        } else if (type == PReLU.class) {
            Parameter alpha = l.parameters().get(0);
            // the slope is per channel: (C, 1, 1) broadcasts over an image's positions, (C) over a flat sample
            long[] dims = in.rank() == 3 ? new long[] {in.dim(0), 1, 1} : new long[] {in.dim(0)};
            String slope = initializer(alpha.name(), dims, alpha.value().toArray());
            node("PRelu", l.name(), List.of(x, slope), y);
        } else if (type == BatchNormalization.class) {
            BatchNormalization bn = (BatchNormalization) l;
            List<String> inputs = new ArrayList<>(List.of(x));
            for (Parameter p : l.parameters()) {
                inputs.add(initializer(p));
            }
            for (Parameter p : l.state()) {
                inputs.add(initializer(p));
            }
            node("BatchNormalization", l.name(), inputs, y, floatAttr("epsilon", bn.spec().epsilon()));
        } else if (type == Normalization.class) {
            Normalization n = (Normalization) l;
            // (x − mean) / std, the statistics (C, 1, 1) broadcast over an image's positions, (C) over a flat sample
            long[] dims = in.rank() == 3 ? new long[] {in.dim(0), 1, 1} : new long[] {in.dim(0)};
            String mean = initializer(l.name() + "/mean", dims, n.mean());
            String std = initializer(l.name() + "/std", dims, n.std());
            node("Sub", l.name() + "/centre", List.of(x, mean), y + "/centred");
            node("Div", l.name(), List.of(y + "/centred", std), y);
        } else if (type == LocalResponseNorm.class) {
            LrnSpec spec = ((LocalResponseNorm) l).spec();
            if (in.rank() != 3) {
                throw new IllegalArgumentException("layer '" + l.name() + "' (LocalResponseNorm) has input " + in
                        + "; ONNX's LRN takes images (N, C, H, W), so only (channels, height, width) input exports");
            }
            // ONNX divides alpha by size and centres the window as LrnSpec does (its size is odd)
            node("LRN", l.name(), List.of(x), y, intAttr("size", spec.size()), floatAttr("alpha", spec.alpha()),
                    floatAttr("beta", spec.beta()), floatAttr("bias", spec.k()));
        } else if (type == Dropout.class) {
            node("Identity", l.name(), List.of(x), y);
        } else if (type == Add.class) {
            node("Sum", l.name(), ins, y);
        } else if (type == Concatenate.class) {
            node("Concat", l.name(), ins, y, intAttr("axis", 1));
        } else if (type == UpSampling2D.class) {
            UpSampling2D up = (UpSampling2D) l;
            String scales = initializer(l.name() + "/scales", new long[] {4},
                    new float[] {1f, 1f, up.spec().factorH(), up.spec().factorW()});
            List<String> inputs = List.of(x, "", scales);
            if (up.interpolation() == Interpolation.NEAREST) {
                // y[o] = x[floor(o / factor)]
                node("Resize", l.name(), inputs, y, stringAttr("mode", "nearest"),
                        stringAttr("coordinate_transformation_mode", "asymmetric"), stringAttr("nearest_mode", "floor"));
            } else {
                // source position (o + 0.5) / factor − 0.5, clamped to the image, as jcnn interpolates
                node("Resize", l.name(), inputs, y, stringAttr("mode", "linear"),
                        stringAttr("coordinate_transformation_mode", "half_pixel"));
            }
        } else {
            throw new IllegalArgumentException("layer '" + l.name() + "' of type " + l.type() + " ("
                    + type.getName() + ") has no ONNX export mapping; the exporter supports "
                    + String.join(", ", SUPPORTED));
        }
    }

    /**
     * Pooling as MaxPool or AveragePool. In ceil mode, ONNX Runtime divides an average counting
     * the padding by the whole window even where it reaches past the padded input; jcnn (as
     * PyTorch) by its cells inside, so such an average is followed by a Mul by area / cells per
     * output position.
     */
    private void pool(Layer l, PoolSpec spec, Shape in, String x, String y) {
        List<AttributeProto> attrs = new java.util.ArrayList<>(List.of(ints("kernel_shape", spec.windowH(),
                spec.windowW()), ints("strides", spec.strideH(), spec.strideW()), pads(spec.padding())));
        if (spec.ceilMode()) {
            attrs.add(intAttr("ceil_mode", 1));
        }
        switch (spec.mode()) {
            case MAX -> node("MaxPool", l.name(), List.of(x), y, attrs, List.of());
            case AVERAGE_EXCLUDE_PAD -> node("AveragePool", l.name(), List.of(x), y, attrs,
                    List.of(intAttr("count_include_pad", 0)));
            case AVERAGE_INCLUDE_PAD -> {
                float[] factors = partialWindowFactors(spec, in);
                if (factors == null) {
                    node("AveragePool", l.name(), List.of(x), y, attrs, List.of(intAttr("count_include_pad", 1)));
                } else {
                    node("AveragePool", l.name() + "/mean", List.of(x), y + "/mean", attrs,
                            List.of(intAttr("count_include_pad", 1)));
                    Shape o = spec.outputShape(in.withBatch(1));
                    String f = initializer(l.name() + "/partial_windows", new long[] {1, 1, o.dim(2), o.dim(3)},
                            factors);
                    node("Mul", l.name(), List.of(y + "/mean", f), y);
                }
            }
            case SUM -> {
                // ONNX has no sum pool: the include-pad average times the window's area
                node("AveragePool", l.name() + "/mean", List.of(x), y + "/mean", attrs,
                        List.of(intAttr("count_include_pad", 1)));
                String area = initializer(l.name() + "/area", new long[0],
                        new float[] {(float) spec.windowH() * spec.windowW()});
                node("Mul", l.name(), List.of(y + "/mean", area), y);
            }
            default -> throw new IllegalArgumentException("layer '" + l.name() + "' of type " + l.type()
                    + ": pool mode " + spec.mode() + " has no ONNX export mapping");
        }
    }

    /**
     * For ceil mode's windows past the padded input (per sample shape in): area / their cells
     * inside the padded input per output position, row-major; null when every window fits.
     */
    private static float[] partialWindowFactors(PoolSpec spec, Shape in) {
        Padding2D p = spec.padding();
        int h = in.dim(1) + p.top() + p.bottom();
        int w = in.dim(2) + p.left() + p.right();
        if (!spec.ceilMode() || (Geometry.overhang(in.dim(1), spec.windowH(), spec.strideH(), p.top(), p.bottom()) == 0
                && Geometry.overhang(in.dim(2), spec.windowW(), spec.strideW(), p.left(), p.right()) == 0)) {
            return null;
        }
        Shape o = spec.outputShape(in.withBatch(1));
        float[] f = new float[o.dim(2) * o.dim(3)];
        for (int i = 0; i < o.dim(2); i++) {
            int rows = Math.min(i * spec.strideH() + spec.windowH(), h) - i * spec.strideH();
            for (int j = 0; j < o.dim(3); j++) {
                int cols = Math.min(j * spec.strideW() + spec.windowW(), w) - j * spec.strideW();
                f[i * o.dim(3) + j] = (float) ((double) spec.windowH() * spec.windowW() / (rows * cols));
            }
        }
        return f;
    }

    /** The activation after a linear map z into y, or nothing when it is linear (z is y then). */
    private void activation(Layer l, Activation a, String z, String y) {
        String n = l.name() + "/" + a.name().toLowerCase(java.util.Locale.ROOT);
        switch (a) {
            case LINEAR -> {
                if (!z.equals(y)) {
                    node("Identity", n, List.of(z), y);
                }
            }
            case RELU -> node("Relu", n, List.of(z), y);
            case TANH -> node("Tanh", n, List.of(z), y);
            case SIGMOID -> node("Sigmoid", n, List.of(z), y);
            case SOFTMAX -> node("Softmax", n, List.of(z), y, intAttr("axis", 1));
            case LOG_SOFTMAX -> node("LogSoftmax", n, List.of(z), y, intAttr("axis", 1));
            case RELU6 -> node("Clip", n, List.of(z, scalar(n + "/min", 0f), scalar(n + "/max", 6f)), y);
            case HARD_SIGMOID -> node("HardSigmoid", n, List.of(z), y, floatAttr("alpha", 1f / 6),
                    floatAttr("beta", 0.5f));
            case HARD_SWISH -> node("HardSwish", n, List.of(z), y);
            case SILU -> {
                node("Sigmoid", n + "/sigmoid", List.of(z), n + "/sigmoid");
                node("Mul", n, List.of(z, n + "/sigmoid"), y);
            }
            case GELU -> {
                // opset 17 has no Gelu: x·½(1 + erf(x/√2))
                String half = scalar(n + "/half", 0.5f);
                String one = scalar(n + "/one", 1f);
                String invSqrt2 = scalar(n + "/inv_sqrt2", (float) (1 / Math.sqrt(2)));
                node("Mul", n + "/scaled", List.of(z, invSqrt2), n + "/scaled");
                node("Erf", n + "/erf", List.of(n + "/scaled"), n + "/erf");
                node("Add", n + "/one_plus", List.of(n + "/erf", one), n + "/one_plus");
                node("Mul", n + "/half_x", List.of(z, half), n + "/half_x");
                node("Mul", n, List.of(n + "/half_x", n + "/one_plus"), y);
            }
            case GELU_TANH -> {
                // x·½(1 + tanh(√(2/π)(x + 0.044715x³)))
                String half = scalar(n + "/half", 0.5f);
                String one = scalar(n + "/one", 1f);
                String cubic = scalar(n + "/cubic", 0.044715f);
                String root = scalar(n + "/sqrt_2_over_pi", (float) Math.sqrt(2 / Math.PI));
                node("Mul", n + "/x2", List.of(z, z), n + "/x2");
                node("Mul", n + "/x3", List.of(n + "/x2", z), n + "/x3");
                node("Mul", n + "/cx3", List.of(n + "/x3", cubic), n + "/cx3");
                node("Add", n + "/inner", List.of(z, n + "/cx3"), n + "/inner");
                node("Mul", n + "/arg", List.of(n + "/inner", root), n + "/arg");
                node("Tanh", n + "/tanh", List.of(n + "/arg"), n + "/tanh");
                node("Add", n + "/one_plus", List.of(n + "/tanh", one), n + "/one_plus");
                node("Mul", n + "/half_x", List.of(z, half), n + "/half_x");
                node("Mul", n, List.of(n + "/half_x", n + "/one_plus"), y);
            }
            default -> throw new IllegalArgumentException("layer '" + l.name() + "' of type " + l.type()
                    + ": activation " + a + " has no ONNX export mapping");
        }
    }

    /** x, the layer's kernel and, when it has one, its bias. */
    private List<String> weightInputs(String x, Layer l, boolean bias) {
        List<Parameter> params = l.parameters();
        List<String> inputs = new ArrayList<>(List.of(x, initializer(params.get(0))));
        if (bias) {
            inputs.add(initializer(params.get(1)));
        }
        return inputs;
    }

    // ---- protobuf pieces --------------------------------------------------------------------

    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("ONNX export: the name '" + name + "' is used twice (a layer and a"
                    + " parameter or helper value); rename the layer");
        }
    }

    private void node(String op, String name, List<String> inputs, String output, AttributeProto... attrs) {
        node(op, name, inputs, output, List.of(attrs), List.of());
    }

    private void node(String op, String name, List<String> inputs, String output, List<AttributeProto> attrs,
            List<AttributeProto> more) {
        claim(output);
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output)
                .addAllAttribute(attrs).addAllAttribute(more));
    }

    private String initializer(Parameter p) {
        Tensor t = p.value();
        int[] d = t.shape().dims();
        long[] dims = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            dims[i] = d[i];
        }
        return initializer(p.name(), dims, t.toArray());
    }

    private String scalar(String name, float value) {
        return initializer(name, new long[0], new float[] {value});
    }

    private String initializer(String name, long[] dims, float[] values) {
        claim(name);
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .setRawData(ByteString.copyFrom(raw.array()));
        for (long dim : dims) {
            t.addDims(dim);
        }
        graph.addInitializer(t);
        return name;
    }

    private static ValueInfoProto valueInfo(String name, Shape sample) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int d : sample.dims()) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT)
                        .setShape(shape)))
                .build();
    }

    private static AttributeProto pads(Padding2D p) {
        // ONNX orders pads as (begin of each axis, then end of each axis): top, left, bottom, right
        return ints("pads", p.top(), p.left(), p.bottom(), p.right());
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static AttributeProto stringAttr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }
}
