package dev.jcnn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Interpolation;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The PyTorch golden cases of the functional-model and segmentation ops
 * (scripts/make_golden_extra.py): every {@code golden/*.json} whose "op" is one of these runs
 * through its layer on the CPU backend as its own test, named by the file. Layers never see a
 * device, so the same dispatch serves any backend.
 */
class ExtraGoldenTest {

    /** The ops this runner dispatches; the public runner handles the rest of the folder. */
    static final Set<String> OPS = Set.of("conv_transpose2d", "upsample_nearest2d", "upsample_bilinear2d", "batch_norm",
            "global_avg_pool2d", "concat");

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException, URISyntaxException {
        Path dir = Path.of(ExtraGoldenTest.class.getResource("/golden").toURI());
        Map<String, JsonNode> cases = new TreeMap<>();
        Map<String, Integer> perOp = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".json"))::iterator) {
                JsonNode c = JSON.readTree(f.toFile());
                if (OPS.contains(c.path("op").asText())) {
                    cases.put(f.getFileName().toString(), c);
                    perOp.merge(c.get("op").asText(), 1, Integer::sum);
                }
            }
        }
        assertEquals(OPS, perOp.keySet(), "every op has golden cases in " + dir + ": " + perOp);
        return cases.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> run(e.getValue())));
    }

    private static void run(JsonNode c) {
        try (CpuBackend cpu = new CpuBackend(BackendOptions.exact())) {
            new Case(c, cpu).run();
        }
    }

    /** One golden case on one backend. */
    private static final class Case {

        private final JsonNode json;
        private final Backend backend;
        private final JsonNode params;
        private final List<Tensor> open = new ArrayList<>();

        Case(JsonNode json, Backend backend) {
            this.json = json;
            this.backend = backend;
            this.params = json.get("params");
        }

        void run() {
            try {
                switch (json.get("op").asText()) {
                    case "conv_transpose2d" -> convTranspose();
                    case "upsample_nearest2d" -> upsample(Interpolation.NEAREST);
                    case "upsample_bilinear2d" -> upsample(Interpolation.BILINEAR);
                    case "batch_norm" -> batchNorm();
                    case "global_avg_pool2d" -> single(new GlobalAveragePooling2D());
                    case "concat" -> concat();
                    default -> fail("no dispatch for op " + json.get("op"));
                }
            } finally {
                open.forEach(Tensor::close);
            }
        }

        private void convTranspose() {
            Tensor x = input("x");
            Shape w = shape(json.get("inputs").get("w"));
            int[] k = ints("kernel");
            int[] s = ints("stride");
            int[] p = ints("padding");
            int[] op = ints("output_padding");
            try (Conv2DTranspose layer = new Conv2DTranspose(w.dim(1), k[0], k[1]).strides(s[0], s[1])
                    .padding(Padding.of(p[0], p[1])).outputPadding(op[0], op[1]).named("conv_transpose")) {
                layer.build(x.shape().withoutBatch(), backend, new Random(0));
                backend.write(layer.parameter("kernel").value(), data("w"));
                backend.write(layer.parameter("bias").value(), data("b"));
                expect("y", layer.forward(x, true));
                expect("dx", layer.backward(input("dy")));
                expect("dw", layer.parameter("kernel").grad());
                expect("db", layer.parameter("bias").grad());
            }
        }

        private void upsample(Interpolation mode) {
            int[] f = ints("factor");
            single(new UpSampling2D(f[0], f[1]).interpolation(mode));
        }

        /** A parameterless single-input layer: y, then dx from dy. */
        private void single(Layer layer) {
            Tensor x = input("x");
            try (Layer l = layer.named("layer")) {
                l.build(x.shape().withoutBatch(), backend, new Random(0));
                expect("y", l.forward(x, true));
                expect("dx", l.backward(input("dy")));
            }
        }

        private void batchNorm() {
            Tensor x = input("x");
            boolean training = params.get("training").asBoolean();
            try (BatchNormalization bn = new BatchNormalization().epsilon(params.get("eps").asDouble())
                    .momentum(1 - params.get("momentum").asDouble()).named("bn")) {
                bn.build(x.shape().withoutBatch(), backend, new Random(0));
                backend.write(bn.parameter("gamma").value(), data("gamma"));
                backend.write(bn.parameter("beta").value(), data("beta"));
                backend.write(bn.stateTensor("moving_mean"), data("running_mean"));
                backend.write(bn.stateTensor("moving_variance"), data("running_var"));
                expect("y", bn.forward(x, training));
                if (training) {
                    expect("dx", bn.backward(input("dy")));
                    expect("dgamma", bn.parameter("gamma").grad());
                    expect("dbeta", bn.parameter("beta").grad());
                    expect("running_mean", bn.stateTensor("moving_mean"));
                    expect("running_var", bn.stateTensor("moving_variance"));
                }
            }
        }

        private void concat() {
            int parts = params.get("parts").asInt();
            List<Tensor> xs = new ArrayList<>();
            List<Shape> shapes = new ArrayList<>();
            for (int i = 0; i < parts; i++) {
                xs.add(input("x" + i));
                shapes.add(xs.get(i).shape().withoutBatch());
            }
            try (Concatenate layer = new Concatenate().named("concat")) {
                layer.build(shapes, backend, new Random(0));
                expect("y", layer.forward(xs, true));
                List<Tensor> dxs = layer.backwardInputs(input("dy"));
                for (int i = 0; i < parts; i++) {
                    expect("dx" + i, dxs.get(i));
                }
            }
        }

        private Tensor input(String name) {
            JsonNode t = json.get("inputs").get(name);
            Tensor tensor = backend.upload(shape(t), floats(t.get("data")));
            open.add(tensor);
            return tensor;
        }

        private float[] data(String name) {
            return floats(json.get("inputs").get(name).get("data"));
        }

        private int[] ints(String param) {
            JsonNode a = params.get(param);
            int[] v = new int[a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = a.get(i).asInt();
            }
            return v;
        }

        /** Compares a computed tensor with the named reference output: shape, then |a − r| ≤ atol + rtol·|r|. */
        private void expect(String name, Tensor actual) {
            JsonNode ref = json.get("outputs").get(name);
            assertEquals(shape(ref), actual.shape(), json.get("name").asText() + ": shape of " + name);
            double rtol = json.get("rtol").asDouble();
            double atol = json.get("atol").asDouble();
            float[] a = actual.toArray();
            JsonNode r = ref.get("data");
            int bad = 0;
            int worst = -1;
            double worstExcess = 0;
            for (int i = 0; i < a.length; i++) {
                double want = r.get(i).asDouble();
                double excess = Math.abs(a[i] - want) - (atol + rtol * Math.abs(want));
                if (!(excess <= 0)) {
                    bad++;
                    if (worst < 0 || excess > worstExcess) {
                        worst = i;
                        worstExcess = excess;
                    }
                }
            }
            if (bad > 0) {
                double want = r.get(worst).asDouble();
                double abs = Math.abs(a[worst] - want);
                fail(String.format("%s: %s differs from PyTorch at %d of %d elements (atol %.1e, rtol %.1e); worst at index"
                                + " %d: got %.8g, expected %.8g, abs error %.3e, rel error %.3e",
                        json.get("name").asText(), name, bad, a.length, atol, rtol, worst, a[worst], want, abs,
                        abs / Math.max(Math.abs(want), 1e-30)));
            }
            assertTrue(a.length > 0);
        }

        private static Shape shape(JsonNode t) {
            JsonNode s = t.get("shape");
            int[] d = new int[s.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = s.get(i).asInt();
            }
            return Shape.of(d);
        }

        private static float[] floats(JsonNode a) {
            float[] v = new float[a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) a.get(i).asDouble();
            }
            return v;
        }
    }
}
