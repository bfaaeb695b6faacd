package dev.jcnn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.Tensor;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.golden.GoldenCase;
import dev.jcnn.golden.GoldenCases;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.TensorScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The PyTorch golden cases of the new layers once more, through the layers rather than the
 * backend ops (dev.jcnn.golden runs those): this checks what the layers add, the transposed
 * convolution's output size and padding, the weight layout, BatchNormalization's momentum
 * (Keras' 1 − PyTorch's) and its state, the reshape of global pooling, the merge plumbing.
 */
class LayerGoldenTest {

    static final Set<String> OPS = Set.of("conv_transpose2d", "upsample_nearest2d", "upsample_bilinear2d", "batch_norm",
            "global_avg_pool2d", "global_max_pool2d", "concat");

    @TestFactory
    Stream<DynamicTest> goldenCasesThroughTheLayers() {
        List<GoldenCase> cases = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (GoldenCases.CaseFile f : GoldenCases.all()) {
            GoldenCase c = f.parse();
            if (OPS.contains(c.op())) {
                cases.add(c);
                seen.add(c.op());
            }
        }
        assertEquals(new TreeSet<>(OPS), seen, "every layer has golden cases");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.file(), () -> {
            try (CpuBackend cpu = new CpuBackend(BackendOptions.exact()); TensorScope scope = new TensorScope(cpu)) {
                run(c, cpu, scope);
            }
        }));
    }

    private static void run(GoldenCase c, Backend b, TensorScope s) {
        switch (c.op()) {
            case "conv_transpose2d" -> convTranspose(c, b, s);
            case "upsample_nearest2d" -> single(c, s, upsampling(c, Interpolation.NEAREST));
            case "upsample_bilinear2d" -> single(c, s, upsampling(c, Interpolation.BILINEAR));
            case "global_avg_pool2d" -> single(c, s, new GlobalAveragePooling2D());
            case "global_max_pool2d" -> single(c, s, new GlobalMaxPooling2D());
            case "batch_norm" -> batchNorm(c, b, s);
            case "concat" -> concat(c, s);
            default -> fail("no layer for op " + c.op());
        }
    }

    private static void convTranspose(GoldenCase c, Backend b, TensorScope s) {
        Tensor x = in(c, s, "x");
        int[] k = c.pairParam("kernel");
        int[] st = c.pairParam("stride");
        int[] p = c.pairParam("padding");
        int[] op = c.pairParam("output_padding");
        int[] d = c.pairParam("dilation", 1);
        int groups = c.intParam("groups", 1);
        // PyTorch's weights are (C_in, C_out/groups, kh, kw)
        try (Conv2DTranspose layer = new Conv2DTranspose(c.input("w").shape().dim(1) * groups, k[0], k[1])
                .strides(st[0], st[1]).padding(Padding.of(p[0], p[1])).outputPadding(op[0], op[1]).dilation(d[0], d[1])
                .groups(groups).named("conv_transpose")) {
            layer.build(x.shape().withoutBatch(), b, new Random(0));
            b.write(layer.parameter("kernel").value(), c.input("w").floats());
            b.write(layer.parameter("bias").value(), c.input("b").floats());
            expect(c, "y", layer.forward(x, true));
            expect(c, "dx", layer.backward(in(c, s, "dy")));
            expect(c, "dw", layer.parameter("kernel").grad());
            expect(c, "db", layer.parameter("bias").grad());
        }
    }

    private static Layer upsampling(GoldenCase c, Interpolation mode) {
        int[] f = c.pairParam("factor");
        return new UpSampling2D(f[0], f[1]).interpolation(mode);
    }

    /** A parameterless single-input layer: y, then dx from dy. */
    private static void single(GoldenCase c, TensorScope s, Layer layer) {
        Tensor x = in(c, s, "x");
        try (Layer l = layer.named("layer")) {
            l.build(x.shape().withoutBatch(), s.backend(), new Random(0));
            expect(c, "y", l.forward(x, true));
            expect(c, "dx", l.backward(in(c, s, "dy")));
        }
    }

    private static void batchNorm(GoldenCase c, Backend b, TensorScope s) {
        Tensor x = in(c, s, "x");
        boolean training = c.booleanParam("training", true);
        try (BatchNormalization bn = new BatchNormalization().epsilon(c.doubleParam("eps"))
                .momentum(1 - c.doubleParam("momentum")).named("bn")) {
            bn.build(x.shape().withoutBatch(), b, new Random(0));
            b.write(bn.parameter("gamma").value(), c.input("gamma").floats());
            b.write(bn.parameter("beta").value(), c.input("beta").floats());
            b.write(bn.stateTensor("moving_mean"), c.input("running_mean").floats());
            b.write(bn.stateTensor("moving_variance"), c.input("running_var").floats());
            expect(c, "y", bn.forward(x, training));
            if (training) {
                expect(c, "dx", bn.backward(in(c, s, "dy")));
                expect(c, "dgamma", bn.parameter("gamma").grad());
                expect(c, "dbeta", bn.parameter("beta").grad());
                expect(c, "running_mean", bn.stateTensor("moving_mean"));
                expect(c, "running_var", bn.stateTensor("moving_variance"));
            }
        }
    }

    private static void concat(GoldenCase c, TensorScope s) {
        int parts = c.intParam("parts");
        List<Tensor> xs = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            xs.add(in(c, s, "x" + i));
            shapes.add(xs.get(i).shape().withoutBatch());
        }
        try (Concatenate layer = new Concatenate().named("concat")) {
            layer.build(shapes, s.backend(), new Random(0));
            expect(c, "y", layer.forward(xs, true));
            List<Tensor> dxs = layer.backwardInputs(in(c, s, "dy"));
            for (int i = 0; i < parts; i++) {
                expect(c, "dx" + i, dxs.get(i));
            }
        }
    }

    private static Tensor in(GoldenCase c, TensorScope s, String key) {
        return s.upload(c.input(key).shape(), c.input(key).floats());
    }

    private static void expect(GoldenCase c, String name, Tensor actual) {
        AllClose.assertClose(c.file() + " " + name, c.outputs().get(name).shape(), actual.toArray(),
                c.outputs().get(name).data(), c.tolerance());
        assertEquals(c.outputs().get(name).shape(), actual.shape(), c.file() + ": shape of " + name);
    }
}
