package dev.jcnn.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Geometry;
import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.Padding2D;
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
import dev.jcnn.layers.Padding;
import dev.jcnn.layers.Parameter;
import dev.jcnn.layers.Softmax;
import dev.jcnn.layers.UpSampling2D;
import dev.jcnn.model.Functional;
import dev.jcnn.onnx.proto.OnnxProto.AttributeProto;
import dev.jcnn.onnx.proto.OnnxProto.GraphProto;
import dev.jcnn.onnx.proto.OnnxProto.ModelProto;
import dev.jcnn.onnx.proto.OnnxProto.NodeProto;
import dev.jcnn.onnx.proto.OnnxProto.TensorProto;
import dev.jcnn.onnx.proto.OnnxProto.TensorShapeProto;
import dev.jcnn.onnx.proto.OnnxProto.ValueInfoProto;
import dev.jcnn.tensor.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reads an ONNX file (a CNN in NCHW float32, as PyTorch's {@code torch.onnx.export} or
 * {@link OnnxExport} write it) as a jcnn {@link Functional} model with the file's initializers
 * as its weights, built on a given backend and ready to predict or train further.
 *
 * <p>The file is read through protobuf's generated parser, after its size is checked against
 * {@link #MAX_FILE_BYTES}. An operator or attribute jcnn has no layer for is refused with an
 * IllegalArgumentException naming the node, its op type and what the importer supports
 * ({@link #SUPPORTED}); a file that is not a well-formed ONNX model is refused naming the file.
 * docs/onnx.md has the operator-to-layer table.
 */
public final class OnnxImport {

    private static final Logger LOG = LogManager.getLogger(OnnxImport.class);

    /** The largest file {@link #read(Path, Backend)} reads: 512 MiB. */
    public static final long MAX_FILE_BYTES = 512L << 20;

    /** The operators the importer maps, in the order its refusal lists them. */
    public static final List<String> SUPPORTED = List.of("Conv (any group and dilations)",
            "ConvTranspose (any group and dilations)", "Gemm", "MatMul (+ Add of a constant bias)", "Relu", "LeakyRelu",
            "Elu", "Sigmoid", "Tanh", "HardSigmoid (alpha 1/6, beta 0.5)", "HardSwish", "Clip (to [0, 6] or [0, ∞))", "Softmax (over a flat sample)", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
            "Flatten (axis 1)", "Reshape (to (N, features))", "BatchNormalization (inference)", "LRN (odd size)", "Add", "Sum",
            "Concat (channels)", "Resize (nearest, linear; integer scales)", "Upsample (nearest)", "Identity",
            "Dropout", "Constant");

    private static final Set<String> PASS_THROUGH = Set.of("Identity", "Dropout");

    private final String source;
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, Constant> constants = new HashMap<>();
    /** Values that are (C) in jcnn after a global average pool but (C, 1, 1) in ONNX; only a flatten may read them. */
    private final Set<String> squeezed = new HashSet<>();
    private final Map<String, Integer> consumers = new HashMap<>();
    /** Dense layers made from a MatMul whose bias a following Add may still supply, by the MatMul's output. */
    private final Map<String, Weights> pendingBias = new HashMap<>();
    private final List<Weights> weights = new ArrayList<>();
    private final Set<String> layerNames = new HashSet<>();

    private OnnxImport(String source) {
        this.source = source;
    }

    /** A constant tensor of the graph: an initializer or a Constant node's value. */
    private record Constant(long[] dims, float[] values, long[] ints) {
    }

    /** The values to copy into one layer's parameters and state once the model is built. */
    private static final class Weights {
        final Layer layer;
        final List<float[]> parameters;
        final List<float[]> state;

        Weights(Layer layer, List<float[]> parameters, List<float[]> state) {
            this.layer = layer;
            this.parameters = new ArrayList<>(parameters);
            this.state = state;
        }
    }

    /**
     * Reads the ONNX file as a model built on {@code backend}.
     *
     * @throws IllegalArgumentException when the file is larger than {@link #MAX_FILE_BYTES}, is
     *     not a well-formed ONNX model, or uses an operator or attribute jcnn does not support
     */
    public static Functional read(Path file, Backend backend) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("ONNX file " + file + " has " + size + " bytes, more than the importer's"
                    + " limit of " + MAX_FILE_BYTES + " bytes");
        }
        ModelProto proto;
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit((int) Math.min(Integer.MAX_VALUE, MAX_FILE_BYTES));
            proto = ModelProto.parseFrom(coded);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("ONNX file " + file + " is not a well-formed ONNX model: "
                    + e.getMessage(), e);
        }
        Functional model = fromProto(proto, backend, file.toString());
        LOG.info("imported ONNX file {} as model {} (input {}, output {})", file, model.name(), model.inputShape(),
                model.outputShape());
        return model;
    }

    /** Reads ONNX bytes (at most {@link #MAX_FILE_BYTES}) as a model built on {@code backend}. */
    public static Functional read(byte[] onnx, Backend backend) {
        if (onnx.length > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("ONNX bytes: " + onnx.length + " bytes, more than the importer's limit of "
                    + MAX_FILE_BYTES);
        }
        try {
            return fromProto(ModelProto.parseFrom(onnx), backend, "ONNX bytes");
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("ONNX bytes are not a well-formed ONNX model: " + e.getMessage(), e);
        }
    }

    /** The ONNX model as a jcnn model built on {@code backend}; {@code source} names it in errors. */
    public static Functional fromProto(ModelProto proto, Backend backend, String source) {
        return new OnnxImport(source).convert(proto, backend);
    }

    private Functional convert(ModelProto proto, Backend backend) {
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw malformed("it has no graph or an empty one");
        }
        GraphProto g = proto.getGraph();
        for (TensorProto t : g.getInitializerList()) {
            constants.put(t.getName(), constant(t, "initializer '" + t.getName() + "'"));
        }
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!constants.containsKey(v.getName())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1) {
            throw unsupported("the graph has " + inputs.size() + " inputs besides its initializers; jcnn models take"
                    + " one image or feature tensor");
        }
        if (g.getOutputCount() != 1) {
            throw unsupported("the graph has " + g.getOutputCount() + " outputs; jcnn models have one");
        }
        ValueInfoProto in = inputs.get(0);
        Node input = Input.of(layerName(in.getName(), "input"), sampleShape(in));
        nodes.put(in.getName(), input);
        for (NodeProto n : g.getNodeList()) {
            for (String i : n.getInputList()) {
                consumers.merge(i, 1, Integer::sum);
            }
        }
        for (NodeProto n : g.getNodeList()) {
            node(n);
        }
        String outName = g.getOutput(0).getName();
        Node output = nodes.get(outName);
        if (output == null || output == input) {
            throw unsupported("the graph's output '" + outName + "' is not computed from its input by layers");
        }
        if (squeezed.contains(outName)) {
            throw unsupported("the graph's output '" + outName + "' is a global pool's (N, C, 1, 1);"
                    + " jcnn supports it flattened");
        }
        String name = g.getName().isEmpty() ? "onnx" : g.getName();
        Functional model = new Functional(sanitize(name), input, output);
        model.build(backend, 0);
        for (Weights w : weights) {
            copy(backend, w.layer, w.layer.parameters(), w.parameters);
            copy(backend, w.layer, w.layer.state(), w.state);
        }
        return model;
    }

    private void copy(Backend backend, Layer layer, List<Parameter> into, List<float[]> values) {
        if (into.size() != values.size()) {
            throw new IllegalStateException(source + ": layer '" + layer.name() + "' has " + into.size()
                    + " tensors, the import has " + values.size());
        }
        for (int i = 0; i < values.size(); i++) {
            Parameter p = into.get(i);
            if (p.value().shape().size() != values.get(i).length) {
                throw new IllegalArgumentException(source + ": " + p.name() + " of layer '" + layer.name() + "' has "
                        + p.value().shape().size() + " values, the file's tensor " + values.get(i).length);
            }
            backend.write(p.value(), values.get(i));
        }
    }

    // ---- one node --------------------------------------------------------------------------

    private void node(NodeProto n) {
        String op = n.getOpType();
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            throw refuse(n, "its domain '" + n.getDomain() + "' is not the default ONNX domain");
        }
        if (n.getOutputCount() < 1) {
            throw refuse(n, "it has no output");
        }
        String y = n.getOutput(0);
        if (op.equals("Constant")) {
            AttributeProto value = attr(n, "value");
            if (value == null || !value.hasT()) {
                throw refuse(n, "only a Constant with a tensor 'value' is supported");
            }
            constants.put(y, constant(value.getT(), "node '" + n.getName() + "'"));
            return;
        }
        if (PASS_THROUGH.contains(op)) {
            for (int i = 1; i < n.getOutputCount(); i++) {
                if (consumers.containsKey(n.getOutput(i))) {
                    throw refuse(n, "its mask output is used; jcnn imports inference graphs");
                }
            }
            // a pass-through may carry a global average pool's (N, C, 1, 1) on to a Flatten
            Node x = n.getInputCount() > 0 ? nodes.get(n.getInput(0)) : null;
            alias(n, y, x != null ? x : input(n, 0));
            return;
        }
        if (n.getOutputCount() > 1) {
            for (int i = 1; i < n.getOutputCount(); i++) {
                if (!n.getOutput(i).isEmpty()) {
                    throw refuse(n, "it has " + n.getOutputCount() + " outputs; jcnn imports inference graphs with"
                            + " one output a node");
                }
            }
        }
        switch (op) {
            case "Conv" -> conv(n, y);
            case "ConvTranspose" -> convTranspose(n, y);
            case "Gemm" -> gemm(n, y);
            case "MatMul" -> matMul(n, y);
            case "Relu" -> apply(n, y, new ActivationLayer(Activation.RELU), input(n, 0));
            case "Sigmoid" -> apply(n, y, new ActivationLayer(Activation.SIGMOID), input(n, 0));
            case "Tanh" -> apply(n, y, new ActivationLayer(Activation.TANH), input(n, 0));
            case "LeakyRelu" -> apply(n, y, new LeakyReLU(floatAttr(n, "alpha", 0.01f)), input(n, 0));
            case "Elu" -> apply(n, y, new ELU(floatAttr(n, "alpha", 1f)), input(n, 0));
            case "HardSigmoid" -> hardSigmoid(n, y);
            case "HardSwish" -> apply(n, y, new ActivationLayer(Activation.HARD_SWISH), input(n, 0));
            case "Clip" -> clip(n, y);
            case "Softmax" -> softmax(n, y);
            case "MaxPool", "AveragePool" -> pool(n, y);
            case "GlobalAveragePool", "GlobalMaxPool" -> {
                requireImage(n, input(n, 0));
                apply(n, y, op.equals("GlobalMaxPool") ? new GlobalMaxPooling2D() : new GlobalAveragePooling2D(),
                        input(n, 0));
                squeezed.add(y);
            }
            case "Flatten" -> {
                long axis = intAttr(n, "axis", 1);
                if (axis != 1) {
                    throw refuse(n, "attribute axis=" + axis + "; jcnn flattens each sample (axis 1)");
                }
                flatten(n, y);
            }
            case "Reshape" -> reshape(n, y);
            case "BatchNormalization" -> batchNorm(n, y);
            case "LRN" -> lrn(n, y);
            case "Add", "Sum" -> add(n, y);
            case "Concat" -> concat(n, y);
            case "Resize", "Upsample" -> resize(n, y);
            default -> throw refuse(n, "jcnn has no layer for this operator");
        }
    }

    private void conv(NodeProto n, String y) {
        checkAttrs(n, "kernel_shape", "strides", "pads", "dilations", "group", "auto_pad");
        Node x = input(n, 0);
        requireImage(n, x);
        Constant w = weight(n, 1, 4);
        Constant b = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? weight(n, 2, 1) : null;
        int kh = (int) w.dims[2];
        int kw = (int) w.dims[3];
        requireKernel(n, kh, kw);
        int channels = x.shape().dim(0);
        long group = intAttr(n, "group", 1);
        if (group < 1 || channels % group != 0 || w.dims[0] % group != 0) {
            throw refuse(n, "attribute group=" + group + " does not divide the input's " + channels
                    + " channels and the weight's " + w.dims[0] + " filters");
        }
        if (w.dims[1] * group != channels) {
            throw refuse(n, "the weight " + n.getInput(1) + " has " + w.dims[1] + " input channels per filter; the"
                    + " input's " + channels + " channels in " + group + " groups give " + channels / group);
        }
        int[] d = dilations(n);
        long[] s = ints(n, "strides", 1, 1);
        int filters = (int) w.dims[0];
        // a group per input channel is Keras' DepthwiseConv2D, whose weights have the same layout
        Conv2D conv = group == channels && group > 1
                ? new DepthwiseConv2D(kh, kw).depthMultiplier(filters / channels)
                : new Conv2D(filters, kh, kw).groups((int) group);
        conv.strides((int) s[0], (int) s[1]).padding(padding(n)).useBias(b != null);
        conv.dilation(d[0], d[1]);
        List<float[]> params = b == null ? List.of(w.values) : List.of(w.values, b.values);
        applyWeighted(n, y, conv, params, List.of(), x);
    }

    private void convTranspose(NodeProto n, String y) {
        checkAttrs(n, "kernel_shape", "strides", "pads", "dilations", "group", "auto_pad", "output_padding");
        Node x = input(n, 0);
        requireImage(n, x);
        Constant w = weight(n, 1, 4);
        Constant b = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? weight(n, 2, 1) : null;
        int kh = (int) w.dims[2];
        int kw = (int) w.dims[3];
        requireKernel(n, kh, kw);
        if (w.dims[0] != x.shape().dim(0)) {
            throw refuse(n, "the weight " + n.getInput(1) + " has " + w.dims[0] + " input channels, the input "
                    + x.shape().dim(0));
        }
        long group = intAttr(n, "group", 1);
        if (group < 1 || x.shape().dim(0) % group != 0) {
            throw refuse(n, "attribute group=" + group + " does not divide the input's " + x.shape().dim(0)
                    + " channels");
        }
        int[] d = dilations(n);
        String autoPad = stringAttr(n, "auto_pad", "NOTSET");
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")) {
            throw refuse(n, "attribute auto_pad=" + autoPad + "; jcnn supports explicit pads for ConvTranspose");
        }
        long[] s = ints(n, "strides", 1, 1);
        long[] op = ints(n, "output_padding", 0, 0);
        // the weight is (C_in, filters/group, kh, kw)
        Conv2DTranspose deconv = new Conv2DTranspose((int) (w.dims[1] * group), kh, kw).strides((int) s[0], (int) s[1])
                .padding(padding(n)).outputPadding((int) op[0], (int) op[1]).dilation(d[0], d[1]).groups((int) group)
                .useBias(b != null);
        List<float[]> params = b == null ? List.of(w.values) : List.of(w.values, b.values);
        applyWeighted(n, y, deconv, params, List.of(), x);
    }

    private void gemm(NodeProto n, String y) {
        checkAttrs(n, "alpha", "beta", "transA", "transB");
        Node x = input(n, 0);
        requireFlat(n, x);
        if (intAttr(n, "transA", 0) != 0) {
            throw refuse(n, "attribute transA=1; jcnn's Dense takes (N, features) inputs");
        }
        Constant w = weight(n, 1, 2);
        boolean transB = intAttr(n, "transB", 0) != 0;
        float alpha = floatAttr(n, "alpha", 1f);
        float beta = floatAttr(n, "beta", 1f);
        float[] kernel = transB ? w.values.clone() : transpose(w.values, (int) w.dims[0], (int) w.dims[1]);
        int units = (int) (transB ? w.dims[0] : w.dims[1]);
        int features = (int) (transB ? w.dims[1] : w.dims[0]);
        if (features != x.shape().dim(0)) {
            throw refuse(n, "the weight " + n.getInput(1) + " takes " + features + " features, the input has "
                    + x.shape().dim(0));
        }
        scale(kernel, alpha);
        Constant c = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? constantInput(n, 2) : null;
        if (c != null && c.values.length != units) {
            throw refuse(n, "the bias " + n.getInput(2) + " has " + c.values.length + " values; jcnn supports one"
                    + " bias per output (" + units + ")");
        }
        Dense dense = new Dense(units).useBias(c != null);
        List<float[]> params = new ArrayList<>(List.of(kernel));
        if (c != null) {
            float[] bias = c.values.clone();
            scale(bias, beta);
            params.add(bias);
        }
        applyWeighted(n, y, dense, params, List.of(), x);
    }

    private void matMul(NodeProto n, String y) {
        checkAttrs(n);
        Node x = input(n, 0);
        requireFlat(n, x);
        Constant w = weight(n, 1, 2);
        if (w.dims[0] != x.shape().dim(0)) {
            throw refuse(n, "the weight " + n.getInput(1) + " takes " + w.dims[0] + " features, the input has "
                    + x.shape().dim(0));
        }
        int units = (int) w.dims[1];
        // a bias the next Add may supply; zero if none does
        Dense dense = new Dense(units).useBias(true);
        float[] kernel = transpose(w.values, (int) w.dims[0], units);
        Weights weight = applyWeighted(n, y, dense, List.of(kernel, new float[units]), List.of(), x);
        if (consumers.getOrDefault(y, 0) == 1) {
            pendingBias.put(y, weight);
        }
    }

    private void softmax(NodeProto n, String y) {
        checkAttrs(n, "axis");
        Node x = input(n, 0);
        requireFlat(n, x);
        long axis = intAttr(n, "axis", -1);
        if (axis != 1 && axis != -1) {
            throw refuse(n, "attribute axis=" + axis + "; jcnn's softmax runs over a flat sample's features (axis 1)");
        }
        apply(n, y, new Softmax(), x);
    }

    private void pool(NodeProto n, String y) {
        boolean max = n.getOpType().equals("MaxPool");
        if (max) {
            checkAttrs(n, "kernel_shape", "strides", "pads", "dilations", "auto_pad", "ceil_mode", "storage_order");
        } else {
            checkAttrs(n, "kernel_shape", "strides", "pads", "auto_pad", "ceil_mode", "count_include_pad");
        }
        Node x = input(n, 0);
        requireImage(n, x);
        if (intAttr(n, "storage_order", 0) != 0) {
            throw refuse(n, "attribute storage_order=1; jcnn stores row-major");
        }
        for (long d : ints(n, "dilations", 1, 1)) {
            if (d != 1) {
                throw refuse(n, "dilations other than 1; jcnn pools without dilation");
            }
        }
        long[] k = ints(n, "kernel_shape");
        if (k == null || k.length != 2) {
            throw refuse(n, "kernel_shape must give two sizes (a 2-D pool)");
        }
        long[] s = ints(n, "strides", 1, 1);
        boolean ceil = intAttr(n, "ceil_mode", 0) != 0;
        if (ceil && !max && intAttr(n, "count_include_pad", 0) != 0) {
            refuseWindowsPastThePadding(n, x.shape(), k, s);
        }
        Layer pool;
        if (max) {
            pool = new MaxPool2D((int) k[0], (int) k[1]).strides((int) s[0], (int) s[1]).padding(padding(n))
                    .ceilMode(ceil);
        } else {
            pool = new AvgPool2D((int) k[0], (int) k[1]).strides((int) s[0], (int) s[1]).padding(padding(n))
                    .countIncludePad(intAttr(n, "count_include_pad", 0) != 0).ceilMode(ceil);
        }
        apply(n, y, pool, x);
    }

    /**
     * ONNX Runtime divides a ceil-mode average counting the padding by the whole window even
     * where the window reaches past the padded input; jcnn, as PyTorch, by its cells inside.
     * Such a node would compute differently here, so it is refused.
     */
    private void refuseWindowsPastThePadding(NodeProto n, Shape x, long[] k, long[] s) {
        long[] pads = ints(n, "pads", 0, 0, 0, 0);
        if (pads.length != 4 || !stringAttr(n, "auto_pad", "NOTSET").equals("NOTSET")) {
            return; // refused, or mapped, by the padding's own checks
        }
        int past = Math.max(Geometry.overhang(x.dim(1), (int) k[0], (int) s[0], (int) pads[0], (int) pads[2]),
                Geometry.overhang(x.dim(2), (int) k[1], (int) s[1], (int) pads[1], (int) pads[3]));
        if (past > 0) {
            throw refuse(n, "ceil_mode=1 with count_include_pad=1 where a window reaches " + past + " past the padded"
                    + " input " + x + ": ONNX Runtime divides it by the whole window, jcnn (as PyTorch) by its cells"
                    + " inside the padded input");
        }
    }

    private void flatten(NodeProto n, String y) {
        String in = n.getInput(0);
        Node x = nodes.get(in);
        if (x == null) {
            throw refuse(n, "its input '" + in + "' is not computed from the graph's input");
        }
        if (x.shape().rank() == 1) {
            nodes.put(y, x);
        } else {
            Layer flatten = new Flatten();
            flatten.named(layerName(n.getName(), "flatten"));
            nodes.put(y, flatten.apply(x));
        }
    }

    /**
     * LRN is {@link LocalResponseNorm}: ONNX divides alpha by size as jcnn does; its bias is k.
     * An even size is refused (PyTorch centres such a window differently from ONNX).
     */
    private void lrn(NodeProto n, String y) {
        checkAttrs(n, "alpha", "beta", "bias", "size");
        if (attr(n, "size") == null) {
            throw refuse(n, "attribute 'size' is missing; ONNX requires it on LRN");
        }
        long size = intAttr(n, "size", 0);
        LocalResponseNorm layer;
        try {
            layer = new LocalResponseNorm(Math.toIntExact(size), floatAttr(n, "alpha", 1e-4f),
                    floatAttr(n, "beta", 0.75f), floatAttr(n, "bias", 1f));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw refuse(n, "size " + size + ": " + e.getMessage());
        }
        apply(n, y, layer, input(n, 0));
    }

    /** HardSigmoid max(0, min(1, alpha·x + beta)) is jcnn's hard sigmoid for alpha 1/6 and beta 1/2 only. */
    private void hardSigmoid(NodeProto n, String y) {
        checkAttrs(n, "alpha", "beta");
        float alpha = floatAttr(n, "alpha", 0.2f);
        float beta = floatAttr(n, "beta", 0.5f);
        if (alpha != 1f / 6 || beta != 0.5f) {
            throw refuse(n, "alpha " + alpha + ", beta " + beta + " (ONNX's default is Keras 2's 0.2, 0.5); jcnn's"
                    + " hard sigmoid is relu6(x + 3)/6: alpha 1/6, beta 0.5");
        }
        apply(n, y, new ActivationLayer(Activation.HARD_SIGMOID), input(n, 0));
    }

    /**
     * Clip to [0, 6] is ReLU6, to [0, ∞) ReLU; the bounds are constant inputs (opset 11 on) or
     * attributes (opset 6 to 10).
     */
    private void clip(NodeProto n, String y) {
        checkAttrs(n, "min", "max");
        float min = clipBound(n, 1, "min", Float.NEGATIVE_INFINITY);
        float max = clipBound(n, 2, "max", Float.POSITIVE_INFINITY);
        Activation a;
        if (min == 0f && max == 6f) {
            a = Activation.RELU6;
        } else if (min == 0f && max == Float.POSITIVE_INFINITY) {
            a = Activation.RELU;
        } else {
            throw refuse(n, "bounds [" + min + ", " + max + "]; jcnn clips to [0, 6] (ReLU6) or [0, ∞) (ReLU) only");
        }
        apply(n, y, new ActivationLayer(a), input(n, 0));
    }

    /** Clip's bound from input i (absent or empty: none) or, in old opsets, the attribute. */
    private float clipBound(NodeProto n, int i, String attribute, float none) {
        if (i < n.getInputCount() && !n.getInput(i).isEmpty()) {
            Constant c = constantInput(n, i);
            if (c.values == null || c.values.length != 1) {
                throw refuse(n, "its " + attribute + " '" + n.getInput(i) + "' is not one float");
            }
            return c.values[0];
        }
        return floatAttr(n, attribute, none);
    }

    private void reshape(NodeProto n, String y) {
        checkAttrs(n, "allowzero");
        Node x = nodes.get(n.getInput(0));
        if (x == null) {
            throw refuse(n, "its input '" + n.getInput(0) + "' is not computed from the graph's input");
        }
        Constant shape = constantInput(n, 1);
        long features = x.shape().size();
        long[] s = shape.ints;
        boolean flat = s != null && s.length == 2
                && ((s[1] == features && (s[0] == 0 || s[0] == -1 || s[0] > 0)) || (s[1] == -1 && s[0] == 0));
        if (!flat || intAttr(n, "allowzero", 0) != 0) {
            throw refuse(n, "the target shape " + (s == null ? "(not int64)" : java.util.Arrays.toString(s))
                    + "; jcnn supports Reshape to (N, " + features + ") only, a flatten");
        }
        flatten(n, y);
    }

    private void batchNorm(NodeProto n, String y) {
        checkAttrs(n, "epsilon", "momentum", "training_mode", "spatial");
        if (intAttr(n, "training_mode", 0) != 0) {
            throw refuse(n, "attribute training_mode=1; jcnn imports inference graphs");
        }
        if (intAttr(n, "spatial", 1) != 1) {
            throw refuse(n, "attribute spatial=0; jcnn normalises per channel");
        }
        Node x = input(n, 0);
        int channels = x.shape().dim(0);
        List<float[]> values = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            Constant c = constantInput(n, i);
            if (c.values.length != channels) {
                throw refuse(n, "input " + n.getInput(i) + " has " + c.values.length + " values, the input "
                        + channels + " channels");
            }
            values.add(c.values);
        }
        BatchNormalization bn = new BatchNormalization().epsilon(floatAttr(n, "epsilon", 1e-5f));
        // ONNX's momentum is the old running average's weight, as jcnn's (PyTorch writes 1 − its own)
        AttributeProto momentum = attr(n, "momentum");
        if (momentum != null) {
            bn.momentum(momentum.getF());
        }
        applyWeighted(n, y, bn, values.subList(0, 2), values.subList(2, 4), x);
    }

    private void add(NodeProto n, String y) {
        checkAttrs(n);
        if (n.getOpType().equals("Add") && n.getInputCount() == 2) {
            Weights dense = pendingBias.get(n.getInput(0));
            Constant bias = constants.get(n.getInput(1));
            if (dense == null) {
                dense = pendingBias.get(n.getInput(1));
                bias = constants.get(n.getInput(0));
            }
            if (dense != null && bias != null) {
                int units = dense.parameters.get(1).length;
                if (bias.values.length != units) {
                    throw refuse(n, "the bias has " + bias.values.length + " values, the MatMul before it " + units
                            + " outputs");
                }
                dense.parameters.set(1, bias.values.clone());
                String matmulOut = pendingBias.containsKey(n.getInput(0)) ? n.getInput(0) : n.getInput(1);
                nodes.put(y, nodes.get(matmulOut));
                pendingBias.remove(matmulOut);
                return;
            }
        }
        if (n.getInputCount() == 1) {
            alias(n, y, input(n, 0));
            return;
        }
        Node[] ins = new Node[n.getInputCount()];
        for (int i = 0; i < ins.length; i++) {
            ins[i] = input(n, i);
        }
        apply(n, y, new Add(), ins);
    }

    private void concat(NodeProto n, String y) {
        checkAttrs(n, "axis");
        Node[] ins = new Node[n.getInputCount()];
        for (int i = 0; i < ins.length; i++) {
            ins[i] = input(n, i);
        }
        int rank = ins[0].shape().rank() + 1;
        long axis = intAttr(n, "axis", 1);
        if (axis != 1 && axis != 1 - rank) {
            throw refuse(n, "attribute axis=" + axis + "; jcnn concatenates along the channels (axis 1)");
        }
        apply(n, y, new Concatenate(), ins);
    }

    private void resize(NodeProto n, String y) {
        boolean upsample = n.getOpType().equals("Upsample");
        if (upsample) {
            checkAttrs(n, "mode", "scales");
        } else {
            checkAttrs(n, "mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a",
                    "exclude_outside", "extrapolation_value");
        }
        Node x = input(n, 0);
        requireImage(n, x);
        String mode = stringAttr(n, "mode", "nearest");
        String transform = stringAttr(n, "coordinate_transformation_mode", upsample ? "asymmetric" : "half_pixel");
        String nearest = stringAttr(n, "nearest_mode", "round_prefer_floor");
        if (intAttr(n, "exclude_outside", 0) != 0) {
            throw refuse(n, "attribute exclude_outside=1; jcnn supports nearest and linear resizing only");
        }
        Interpolation interpolation;
        boolean halfPixel = transform.equals("half_pixel") || transform.equals("pytorch_half_pixel");
        if (mode.equals("nearest")
                && ((transform.equals("asymmetric") && (upsample || nearest.equals("floor")))
                        || (halfPixel && nearest.startsWith("round_prefer_")))) {
            // with an integer factor f all of these pick input pixel floor(o / f)
            interpolation = Interpolation.NEAREST;
        } else if (mode.equals("linear") && halfPixel && !upsample) {
            interpolation = Interpolation.BILINEAR;
        } else {
            throw refuse(n, "mode=" + mode + ", coordinate_transformation_mode=" + transform + ", nearest_mode="
                    + nearest + "; jcnn supports nearest (asymmetric with floor, or half_pixel) and linear with"
                    + " half_pixel or pytorch_half_pixel");
        }
        float[] scales;
        if (upsample && attr(n, "scales") != null) {
            scales = new float[attr(n, "scales").getFloatsCount()];
            for (int i = 0; i < scales.length; i++) {
                scales[i] = attr(n, "scales").getFloats(i);
            }
        } else if (upsample || n.getInputCount() == 2) {
            // Upsample, and Resize of opset 10: (X, scales)
            scales = constantInput(n, 1).values;
        } else if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            scales = constantInput(n, 2).values;
        } else if (n.getInputCount() > 3 && !n.getInput(3).isEmpty()) {
            Constant sizes = constantInput(n, 3);
            long[] s = sizes.ints;
            if (s == null || s.length != 4) {
                throw refuse(n, "its sizes are not four int64 values");
            }
            scales = new float[4];
            int[] in = {0, x.shape().dim(0), x.shape().dim(1), x.shape().dim(2)};
            scales[0] = 1;
            for (int i = 1; i < 4; i++) {
                scales[i] = (float) s[i] / in[i];
            }
        } else {
            throw refuse(n, "it has neither scales nor sizes");
        }
        if (scales.length != 4 || scales[0] != 1 || scales[1] != 1 || !isCount(scales[2]) || !isCount(scales[3])) {
            throw refuse(n, "scales " + java.util.Arrays.toString(scales) + "; jcnn upsamples height and width by"
                    + " whole factors (scales 1, 1, fh, fw)");
        }
        apply(n, y, new UpSampling2D((int) scales[2], (int) scales[3]).interpolation(interpolation), x);
    }

    private static boolean isCount(float f) {
        return f >= 1 && f <= 1 << 16 && f == Math.rint(f);
    }

    // ---- building nodes --------------------------------------------------------------------

    private void apply(NodeProto n, String y, Layer layer, Node... inputs) {
        layer.named(layerName(n.getName(), n.getOpType().toLowerCase(Locale.ROOT)));
        try {
            nodes.put(y, layer.apply(inputs));
        } catch (IllegalArgumentException e) {
            throw refuse(n, e.getMessage());
        }
    }

    private Weights applyWeighted(NodeProto n, String y, Layer layer, List<float[]> params, List<float[]> state,
            Node x) {
        apply(n, y, layer, x);
        Weights w = new Weights(layer, params, state);
        weights.add(w);
        return w;
    }

    private void alias(NodeProto n, String y, Node x) {
        nodes.put(y, x);
        if (squeezed.contains(n.getInput(0))) {
            squeezed.add(y);
        }
    }

    /** A unique layer name from an ONNX node name ("/conv1/Conv" → "conv1_Conv"). */
    private String layerName(String onnxName, String fallback) {
        String base = sanitize(onnxName.isEmpty() ? fallback : onnxName);
        String name = base;
        for (int i = 2; !layerNames.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private static String sanitize(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_.-]+", "_").replaceAll("^_+|_+$", "");
        return s.isEmpty() ? "node" : s;
    }

    private Node input(NodeProto n, int i) {
        if (i >= n.getInputCount() || n.getInput(i).isEmpty()) {
            throw refuse(n, "input " + i + " is missing");
        }
        String name = n.getInput(i);
        Node x = nodes.get(name);
        if (x == null) {
            if (constants.containsKey(name)) {
                throw refuse(n, "input '" + name + "' is a constant; jcnn supports constants only as weights");
            }
            throw malformed("node '" + n.getName() + "' (" + n.getOpType() + ") reads '" + name
                    + "', which no earlier node computes (the nodes must be in topological order)");
        }
        if (squeezed.contains(name)) {
            throw refuse(n, "it reads the (N, C, 1, 1) output of a global average pool; jcnn supports that only"
                    + " followed by Flatten");
        }
        return x;
    }

    private Constant constantInput(NodeProto n, int i) {
        if (i >= n.getInputCount() || n.getInput(i).isEmpty()) {
            throw refuse(n, "input " + i + " is missing");
        }
        Constant c = constants.get(n.getInput(i));
        if (c == null) {
            throw refuse(n, "input '" + n.getInput(i) + "' is computed; jcnn needs it constant (an initializer)");
        }
        return c;
    }

    private Constant weight(NodeProto n, int i, int rank) {
        Constant c = constantInput(n, i);
        if (c.dims.length != rank || c.values == null) {
            throw refuse(n, "weight '" + n.getInput(i) + "' has shape " + java.util.Arrays.toString(c.dims)
                    + "; expected a float tensor of rank " + rank);
        }
        return c;
    }

    private void requireImage(NodeProto n, Node x) {
        if (x.shape().rank() != 3) {
            throw refuse(n, "its input has per-sample shape " + x.shape() + "; jcnn supports it on (C, H, W) images");
        }
    }

    private void requireFlat(NodeProto n, Node x) {
        if (x.shape().rank() != 1) {
            throw refuse(n, "its input has per-sample shape " + x.shape() + "; jcnn supports it on (N, features)"
                    + " inputs");
        }
    }

    /** Conv's dilations (height, width), each at least 1. */
    private int[] dilations(NodeProto n) {
        long[] d = ints(n, "dilations", 1, 1);
        if (d.length != 2 || d[0] < 1 || d[1] < 1 || d[0] > 1 << 20 || d[1] > 1 << 20) {
            throw refuse(n, "attribute dilations=" + java.util.Arrays.toString(d) + "; expected two positive values"
                    + " (2-D)");
        }
        return new int[] {(int) d[0], (int) d[1]};
    }

    private void requireKernel(NodeProto n, int kh, int kw) {
        long[] k = ints(n, "kernel_shape");
        if (k != null && (k.length != 2 || k[0] != kh || k[1] != kw)) {
            throw refuse(n, "kernel_shape " + java.util.Arrays.toString(k) + " does not match the weight's " + kh
                    + "x" + kw);
        }
    }

    private Padding padding(NodeProto n) {
        String autoPad = stringAttr(n, "auto_pad", "NOTSET");
        switch (autoPad) {
            case "NOTSET" -> {
                long[] p = ints(n, "pads", 0, 0, 0, 0);
                if (p.length != 4) {
                    throw refuse(n, "pads " + java.util.Arrays.toString(p) + "; expected four (2-D)");
                }
                for (long v : p) {
                    if (v < 0) {
                        throw refuse(n, "negative pads " + java.util.Arrays.toString(p));
                    }
                }
                // ONNX: top, left, bottom, right
                return Padding.of(new Padding2D((int) p[0], (int) p[2], (int) p[1], (int) p[3]));
            }
            case "VALID" -> {
                return Padding.VALID;
            }
            case "SAME_UPPER" -> {
                // the odd extra row or column at the end, as jcnn pads SAME
                return Padding.SAME;
            }
            default -> throw refuse(n, "attribute auto_pad=" + autoPad + "; jcnn supports NOTSET, VALID and SAME_UPPER");
        }
    }

    private Shape sampleShape(ValueInfoProto in) {
        if (!in.getType().hasTensorType()
                || in.getType().getTensorType().getElemType() != TensorProto.DataType.FLOAT_VALUE) {
            throw unsupported("the graph input '" + in.getName() + "' is not a float32 tensor");
        }
        TensorShapeProto shape = in.getType().getTensorType().getShape();
        if (shape.getDimCount() < 2) {
            throw unsupported("the graph input '" + in.getName() + "' has rank " + shape.getDimCount()
                    + "; jcnn expects (N, features) or (N, C, H, W)");
        }
        int[] dims = new int[shape.getDimCount() - 1];
        for (int i = 1; i < shape.getDimCount(); i++) {
            TensorShapeProto.Dimension d = shape.getDim(i);
            if (!d.hasDimValue() || d.getDimValue() <= 0 || d.getDimValue() > Integer.MAX_VALUE) {
                throw unsupported("the graph input '" + in.getName() + "' has no fixed size on axis " + i
                        + "; jcnn needs every axis but the batch fixed");
            }
            dims[i - 1] = (int) d.getDimValue();
        }
        return Shape.of(dims);
    }

    // ---- tensors and attributes --------------------------------------------------------------

    private Constant constant(TensorProto t, String what) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw unsupported(what + " keeps its data in an external file; jcnn reads self-contained files");
        }
        long[] dims = new long[t.getDimsCount()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.getDims(i);
            if (dims[i] < 0 || (dims[i] > 0 && count > Integer.MAX_VALUE / dims[i])) {
                throw malformed(what + " has dims " + t.getDimsList());
            }
            count *= dims[i];
        }
        int n = (int) count;
        int type = t.getDataType();
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean hasRaw = !t.getRawData().isEmpty();
        if (type == TensorProto.DataType.FLOAT_VALUE) {
            float[] values = new float[n];
            if (hasRaw) {
                if (raw.remaining() != (long) n * Float.BYTES) {
                    throw malformed(what + " has " + raw.remaining() + " raw bytes for " + n + " floats");
                }
                raw.asFloatBuffer().get(values);
            } else {
                if (t.getFloatDataCount() != n) {
                    throw malformed(what + " has " + t.getFloatDataCount() + " floats for dims " + t.getDimsList());
                }
                for (int i = 0; i < n; i++) {
                    values[i] = t.getFloatData(i);
                }
            }
            return new Constant(dims, values, null);
        }
        if (type == TensorProto.DataType.INT64_VALUE) {
            long[] ints = new long[n];
            if (hasRaw) {
                if (raw.remaining() != (long) n * Long.BYTES) {
                    throw malformed(what + " has " + raw.remaining() + " raw bytes for " + n + " int64 values");
                }
                raw.asLongBuffer().get(ints);
            } else {
                if (t.getInt64DataCount() != n) {
                    throw malformed(what + " has " + t.getInt64DataCount() + " int64 values for dims "
                            + t.getDimsList());
                }
                for (int i = 0; i < n; i++) {
                    ints[i] = t.getInt64Data(i);
                }
            }
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = ints[i];
            }
            return new Constant(dims, values, ints);
        }
        throw unsupported(what + " has data type " + type + "; jcnn reads float32 weights and int64 shapes");
    }

    private static AttributeProto attr(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    private void checkAttrs(NodeProto n, String... known) {
        Set<String> ok = Set.of(known);
        for (AttributeProto a : n.getAttributeList()) {
            if (!ok.contains(a.getName())) {
                throw refuse(n, "attribute '" + a.getName() + "' is not supported; jcnn reads " + (known.length == 0
                        ? "no attributes" : String.join(", ", known)) + " on " + n.getOpType());
            }
        }
    }

    private static long intAttr(NodeProto n, String name, long fallback) {
        AttributeProto a = attr(n, name);
        return a == null ? fallback : a.getI();
    }

    private static float floatAttr(NodeProto n, String name, float fallback) {
        AttributeProto a = attr(n, name);
        return a == null ? fallback : a.getF();
    }

    private static String stringAttr(NodeProto n, String name, String fallback) {
        AttributeProto a = attr(n, name);
        return a == null ? fallback : a.getS().toString(StandardCharsets.UTF_8);
    }

    private static long[] ints(NodeProto n, String name, long... fallback) {
        AttributeProto a = attr(n, name);
        if (a == null) {
            return fallback.length == 0 ? null : fallback;
        }
        long[] v = new long[a.getIntsCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.getInts(i);
        }
        return v;
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    private static void scale(float[] a, float s) {
        if (s != 1f) {
            for (int i = 0; i < a.length; i++) {
                a[i] *= s;
            }
        }
    }

    // ---- errors ------------------------------------------------------------------------------

    private IllegalArgumentException refuse(NodeProto n, String why) {
        return new IllegalArgumentException(source + ": node '" + n.getName() + "' (op " + n.getOpType() + "): "
                + why + "; the importer supports " + String.join(", ", SUPPORTED));
    }

    private IllegalArgumentException unsupported(String why) {
        return new IllegalArgumentException(source + ": " + why);
    }

    private IllegalArgumentException malformed(String why) {
        return new IllegalArgumentException(source + " is not a well-formed ONNX model: " + why);
    }
}
