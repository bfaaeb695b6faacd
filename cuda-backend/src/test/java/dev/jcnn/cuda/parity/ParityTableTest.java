package dev.jcnn.cuda.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The parity table and its comparison, without a GPU: every row runs on the CPU reference
 * (so a wrong shape or spec in the table shows here, not first on a GPU machine), two runs
 * agree, and a perturbed result is reported with its configuration, index and both values.
 */
class ParityTableTest {

    @Test
    void everyRowRunsOnTheCpuAndAgreesWithItselfAcrossThreadCounts() {
        ParityComparison comparison = new ParityComparison();
        try (Backend one = new CpuBackend(BackendOptions.exact().withThreads(1));
             Backend two = new CpuBackend(BackendOptions.exact().withThreads(2))) {
            for (ParityCase c : ParityTable.all()) {
                Map<String, ParityCase.Output> a = c.runOn(one);
                assertFalse(a.isEmpty(), c.name() + " records no output");
                for (Map.Entry<String, ParityCase.Output> e : a.entrySet()) {
                    for (float v : e.getValue().values()) {
                        assertTrue(Float.isFinite(v), c.name() + " " + e.getKey() + " holds " + v);
                    }
                }
                comparison.check(c, two.equals(one) ? a : c.runOn(two), a);
            }
        }
        String table = comparison.table("cpu against cpu");
        assertTrue(table.contains("conv2d"), table);
        assertTrue(table.contains(" 0 failed"), table);
    }

    @Test
    void coversWhatTheIssueAsksFor() {
        List<ParityCase> all = ParityTable.all();
        Set<String> ops = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (ParityCase c : all) {
            ops.add(c.op());
            assertTrue(names.add(c.name()), "duplicate row " + c.name());
        }
        assertEquals(Set.of("conv2d", "pool2d", "dense", "activation", "prelu", "softmax", "log_softmax",
                "softmax_cross_entropy", "sigmoid_cross_entropy", "mean_squared_error", "sgd", "adam", "add",
                "scale_fill_copy", "zero_pad", "multiply", "add_bias", "concat_channels", "upsample_nearest",
                "upsample_bilinear", "batch_norm"), ops);
        String convs = String.join("\n", all.stream().filter(c -> c.op().equals("conv2d")).map(ParityCase::config)
                .toList());
        for (String needed : List.of(" f1x1 ", " f2x2 ", " f3x3 ", " f5x5 ", " f7x7 ", " f3x5 ", " s1x1 ", " s2x2 ",
                " s3x3 ", " p0/0/0/0", " p1/1/1/1", " p2/2/2/2", " p0/1/0/1", "n33 ", " c64 ")) {
            assertTrue(convs.contains(needed), "no convolution row with" + needed);
        }
        for (ParityCase c : all) {
            boolean loose = !c.forward().equals(ParityCase.FORWARD) || !c.backward().equals(ParityCase.FORWARD);
            assertEquals(loose, !c.toleranceReason().isEmpty(), c.name() + ": a looser tolerance needs its reason");
        }
    }

    @Test
    void aMismatchNamesTheConfigurationTheIndexAndBothValues() {
        ParityCase c = ParityTable.all().get(0);
        try (Backend cpu = new CpuBackend(BackendOptions.exact().withThreads(1))) {
            Map<String, ParityCase.Output> reference = c.runOn(cpu);
            Map<String, ParityCase.Output> perturbed = new LinkedHashMap<>(reference);
            ParityCase.Output y = reference.get("y");
            float[] values = y.values().clone();
            values[3] += 0.5f;
            perturbed.put("y", new ParityCase.Output(y.shape(), values, false));
            ParityComparison comparison = new ParityComparison();
            AssertionError e = assertThrows(AssertionError.class, () -> comparison.check(c, perturbed, reference));
            String m = e.getMessage();
            assertTrue(m.startsWith("conv2d n1 c1 7x7 k1 f3x3 s1x1 p0/0/0/0: 1 output(s) differ"), m);
            assertTrue(m.contains("y: 1 of 25 elements differ"), m);
            assertTrue(m.contains("worst at index [0, 0, 0, 3]"), m);
            assertTrue(m.contains("actual " + String.format("%.8g", values[3])), m);
            assertTrue(comparison.table("t").contains("FAIL (1)"), comparison.table("t"));
        }
    }
}
