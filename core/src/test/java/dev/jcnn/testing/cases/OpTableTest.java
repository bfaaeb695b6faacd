package dev.jcnn.testing.cases;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.ActivationKind;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tolerance;
import dev.jcnn.testing.conformance.OpCaseConformance;
import dev.jcnn.testing.oracle.OracleBackend;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The op table itself: what it covers, that its cases are well formed, and how inputs, skips and reports behave. */
class OpTableTest {

    private static final Backend ORACLE = new OracleBackend();

    @AfterAll
    static void close() {
        ORACLE.close();
    }

    @Test
    void everyOpOfTheBackendInterfaceHasCasesAndEveryNameIsUnique() {
        Set<String> ops = new TreeSet<>();
        Set<String> names = new HashSet<>();
        for (OpCase c : OpTable.all()) {
            ops.add(c.op());
            assertTrue(names.add(c.name()), "duplicate case " + c.name());
        }
        assertEquals(new TreeSet<>(Set.of("conv2d", "conv_transpose2d", "pool2d", "global_avg_pool2d", "global_max_pool2d", "dense", "activation",
                "prelu", "softmax", "log_softmax", "softmax_cross_entropy", "sigmoid_cross_entropy", "mean_squared_error",
                "softmax_dice", "sigmoid_dice",
                "sgd", "adam", "adamw", "rmsprop", "squared_norm", "add", "scale", "fill_copy", "zero_pad", "multiply", "add_bias", "concat_channels",
                "upsample_nearest", "upsample_bilinear", "batch_norm", "batch_norm_inference",
                "local_response_norm")), ops);
    }

    @Test
    void convolutionsCoverKernelsStridesPaddingsBatchesAndChannels() {
        String convs = String.join("\n", OpTable.of("conv2d").stream().map(OpCase::config).toList());
        for (String needed : List.of(" f1x1 ", " f2x2 ", " f3x3 ", " f5x5 ", " f7x7 ", " f3x5 ", " f1x7 ", " s1x1 ", " s2x2 ",
                " s3x3 ", " s2x1 ", " p0/0/0/0", " p1/1/1/1", " p2/2/2/2", " p3/3/3/3", " p0/1/0/1", " p3/1/2/3", "n33 ",
                "n37 ", " c64 ")) {
            assertTrue(convs.contains(needed), "no convolution case with" + needed);
        }
        assertTrue(OpTable.of("conv2d").size() >= 19 + 25 + 19, "conformance, parity and fast-path geometries");
    }

    @Test
    void everyPoolingModeRunsEveryGeometry() {
        for (PoolMode mode : PoolMode.values()) {
            String prefix = mode.name().toLowerCase(java.util.Locale.ROOT) + " ";
            assertEquals(18 + 8, OpTable.of("pool2d").stream().filter(c -> c.config().startsWith(prefix)).count(), prefix);
            assertEquals(8, OpTable.of("pool2d").stream().filter(c -> c.config().startsWith(prefix)
                    && c.config().endsWith(" ceil")).count(), prefix + "in ceil mode");
        }
    }

    @Test
    void onlyMaxPoolingWithAWindowWhollyInThePaddingIsSkippedAndOnlyOnCuda() {
        List<OpCase> skipped = OpTable.all().stream().filter(c -> !c.skips().isEmpty()).toList();
        assertEquals(List.of("pool2d max n1 c1 4x4 f2x2 s1x1 p2/2/2/2", "pool2d max n1 c2 4x5 f3x3 s3x3 p3/3/3/3"),
                skipped.stream().map(OpCase::name).toList());
        for (OpCase c : skipped) {
            assertTrue(c.skipOn(OpTable.CUDA).orElseThrow().contains("wholly in the padding"), c.name());
            assertTrue(c.skipOn("cpu").isEmpty(), c.name());
        }
    }

    /** A new kind compiles in the backends' exhaustive switches; this finds it missing from the table. */
    @Test
    void everyActivationKindHasItsLine() {
        Set<ActivationKind> covered = EnumSet.noneOf(ActivationKind.class);
        ActivationCases.specs().forEach(f -> covered.add(f.kind()));
        assertEquals(EnumSet.allOf(ActivationKind.class), covered, "activation kinds in ActivationCases.KINDS");
    }

    @Test
    void everyGoldenOpOfPyTorchIsKnown() {
        assertTrue(OpTable.goldenNames().containsAll(List.of("conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d",
                "global_avg_pool2d", "global_max_pool2d", "dense", "relu", "leaky_relu", "elu", "tanh", "sigmoid", "prelu", "softmax",
                "log_softmax", "cross_entropy", "dice", "binary_dice", "concat", "upsample_nearest2d", "upsample_bilinear2d", "batch_norm")),
                OpTable.goldenNames().toString());
    }

    @Test
    void aLooserToleranceNeedsItsReason() {
        assertThrowsMentioning(IllegalArgumentException.class, () -> Tolerances.of(Tolerance.of(1e-3, 1e-5), ""),
                "looser than the default", "why");
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> Tolerances.DEFAULT.on("cuda", Tolerance.DEFAULT, Tolerance.of(1e-3, 1e-4), " "), "cuda", "reason");
        Tolerances t = OpTable.SUMS;
        assertEquals(Tolerance.of(1e-3, 1e-4), t.of("cuda", Output.Kind.BACKWARD));
        assertEquals(Tolerance.of(1e-4, 5e-5), t.of("cpu", Output.Kind.BACKWARD));
        assertTrue(t.reason("cuda").startsWith("cuDNN and cuBLAS"), t.reason("cuda"));
    }

    @Test
    void aCaseSeesTheSameInputsOnEveryRun() {
        OpCase c = ConvolutionCases.conv2d(ConvolutionCases.SMALL.get(6));
        CaseReport r = CaseReport.compareBits(c.name(), c.runOn(ORACLE), c.runOn(ORACLE));
        assertTrue(r.passed(), r.describe("itself", ""));
        assertEquals(List.of("y", "y without bias", "dx", "dw", "dw after a second call", "db"),
                List.copyOf(c.runOn(ORACLE).keySet()));
    }

    @Test
    void absoluteInputsGiveTheSumOfTheTermsMagnitudes() {
        OpCase c = DenseCases.dense(DenseConfig.of(Shape.of(3, 7), 5));
        Map<String, Output> plain = c.runOn(ORACLE);
        Map<String, Output> magnitudes = c.runOn(ORACLE, Inputs.seeded(c.seed()).absolute());
        for (String name : plain.keySet()) {
            float[] v = plain.get(name).values();
            float[] m = magnitudes.get(name).values();
            for (int i = 0; i < v.length; i++) {
                assertTrue(m[i] >= Math.abs(v[i]) * (1 - 1e-6), name + "[" + i + "]: " + m[i] + " < |" + v[i] + "|");
            }
        }
    }

    @Test
    void givenInputsMustHaveTheShapeTheOpExpects() {
        OpCase c = ActivationCases.activation(dev.jcnn.backend.ActivationSpec.RELU, Shape.of(1, 2));
        Map<String, Inputs.Given> given = new LinkedHashMap<>();
        given.put("x", new Inputs.Given(Shape.of(2, 1), new float[] {-1, 2}));
        assertThrowsMentioning(IllegalArgumentException.class, () -> c.runOn(ORACLE, Inputs.given(given)),
                "input 'x'", "(2, 1)", "(1, 2)");
        given.put("x", new Inputs.Given(Shape.of(1, 2), new float[] {-1, 2}));
        assertThrowsMentioning(IllegalArgumentException.class, () -> c.runOn(ORACLE, Inputs.given(given)),
                "needs input 'dy'", "[x]");
        given.put("dy", new Inputs.Given(Shape.of(1, 2), new float[] {0.5f, 0.25f}));
        Map<String, Output> out = c.runOn(ORACLE, Inputs.given(given));
        assertEquals(List.of(0f, 2f), List.of(out.get("y").values()[0], out.get("y").values()[1]));
        assertEquals(0.25f, out.get("dx").values()[1]);
    }

    @Test
    void givenLabelsAreWholeNumbers() {
        OpCase c = LossCases.softmaxCrossEntropy(Shape.of(2, 3));
        Map<String, Inputs.Given> given = Map.of("logits", new Inputs.Given(Shape.of(2, 3), new float[6]),
                "labels", new Inputs.Given(Shape.of(2), new float[] {1, 0.5f}));
        assertThrowsMentioning(IllegalArgumentException.class, () -> c.runOn(ORACLE, Inputs.given(given)),
                "input 'labels'", "0.5", "index 1", "class label");
    }

    @Test
    void aSkippedCaseAbortsWithItsReason() {
        OpCase c = ElementwiseCases.add(Shape.of(2, 2)).skip("oracle", "a reason written down");
        TestAbortedException e = assertThrows(TestAbortedException.class, () -> OpCaseConformance.check(c, ORACLE, ORACLE));
        assertTrue(e.getMessage().contains("oracle skips add out distinct, out = a, out = b on (2, 2): a reason written down"),
                e.getMessage());
    }

    @Test
    void aMismatchNamesTheCaseTheOutputTheIndexAndBothValues() {
        OpCase c = OpTable.all().get(0);
        Map<String, Output> reference = c.runOn(ORACLE);
        Map<String, Output> perturbed = new LinkedHashMap<>(reference);
        Output y = reference.get("y");
        float[] values = y.values().clone();
        values[3] += 0.5f;
        perturbed.put("y", new Output(y.shape(), values, y.kind()));
        CaseReport r = CaseReport.compare(c.name(), perturbed, reference, k -> Tolerance.DEFAULT);
        assertFalse(r.passed());
        String m = assertThrows(AssertionError.class, () -> r.assertPassed("the oracle", "why")).getMessage();
        assertTrue(m.startsWith("conv2d n1 c1 7x7 k1 f3x3 s1x1 p0/0/0/0: 1 of 6 output(s) differ from the oracle"
                + " (tolerance: why)"), m);
        assertTrue(m.contains("y: 1 of 25 elements differ"), m);
        assertTrue(m.contains("worst at index [0, 0, 0, 3]"), m);
        assertTrue(m.contains("actual " + String.format("%.8g", values[3])), m);
        perturbed.remove("db");
        assertTrue(CaseReport.compare(c.name(), perturbed, reference, k -> Tolerance.DEFAULT)
                .describe("the oracle", "").contains("the reference has"));
    }
}
