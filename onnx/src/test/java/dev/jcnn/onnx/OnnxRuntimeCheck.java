package dev.jcnn.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.Layer;
import dev.jcnn.layers.Parameter;
import dev.jcnn.model.Model;
import dev.jcnn.onnx.proto.OnnxProto.ModelProto;
import dev.jcnn.onnx.proto.OnnxProto.NodeProto;
import dev.jcnn.onnx.proto.OnnxProto.TensorProto;
import dev.jcnn.tensor.Shape;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Runs exported ONNX bytes through ONNX Runtime and compares them with jcnn's own forward pass. */
final class OnnxRuntimeCheck {

    /** The bound: |a − r| ≤ 1e-5 + 1e-4·|r|, r being jcnn's value. */
    static final double ABS = 1e-5;
    static final double REL = 1e-4;

    private OnnxRuntimeCheck() {
    }

    /** ONNX Runtime's output for the input x of shape (n, sample shape). */
    static float[] run(byte[] onnx, float[] x, Shape batchShape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] dims = new long[batchShape.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = batchShape.dim(i);
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(onnx, options);
                OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), dims);
                OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), input))) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            FloatBuffer buffer = out.getFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            return values;
        }
    }

    /** jcnn's inference output for x. */
    static float[] forward(Model model, float[] x, Shape batchShape) {
        Tensor in = model.backend().upload(batchShape, x);
        return model.forward(in, false).toArray();
    }

    /** Exports the model, runs both engines on n random samples and asserts they agree; returns the ONNX bytes. */
    static byte[] assertAgrees(Model model, int n, long seed) throws OrtException {
        Shape batchShape = model.inputShape().withBatch(n);
        float[] x = uniform(new Random(seed), batchShape.size(), 1f);
        byte[] onnx = OnnxExport.toBytes(model);
        float[] expected = forward(model, x, batchShape);
        float[] actual = run(onnx, x, batchShape);
        assertClose(model.name(), expected, actual);
        return onnx;
    }

    static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": output sizes differ");
        for (int i = 0; i < expected.length; i++) {
            double bound = ABS + REL * Math.abs(expected[i]);
            if (!(Math.abs(actual[i] - expected[i]) <= bound)) {
                assertArrayEquals(expected, actual, (float) bound, what + ": ONNX Runtime differs from jcnn at element "
                        + i + ": " + actual[i] + " vs " + expected[i]);
            }
        }
    }

    /**
     * Replaces every parameter and state tensor by random values (variances positive), so
     * that zero biases or unit scales cannot hide a wrongly mapped tensor.
     */
    static void randomizeWeights(Model model, long seed) {
        Random random = new Random(seed);
        Backend b = model.backend();
        for (Layer l : model.layers()) {
            for (Parameter p : l.parameters()) {
                b.write(p.value(), uniform(random, p.value().shape().size(), 0.5f));
            }
            for (Parameter p : l.state()) {
                float[] v = uniform(random, p.value().shape().size(), 0.5f);
                if (p.name().endsWith("variance")) {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = 0.5f + Math.abs(v[i]);
                    }
                }
                b.write(p.value(), v);
            }
        }
    }

    static float[] uniform(Random random, int size, float scale) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (random.nextFloat() * 2 - 1) * scale;
        }
        return v;
    }

    /** The op types of an exported graph, in node order. */
    static List<String> opTypes(ModelProto model) {
        List<String> ops = new ArrayList<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            ops.add(n.getOpType());
        }
        return ops;
    }

    /** The initializers of an exported model, by name. */
    static Map<String, TensorProto> initializers(ModelProto model) {
        Map<String, TensorProto> all = new LinkedHashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            all.put(t.getName(), t);
        }
        return all;
    }
}
