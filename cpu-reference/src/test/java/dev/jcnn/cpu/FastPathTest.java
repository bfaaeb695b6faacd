package dev.jcnn.cpu;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Tolerance;
import dev.jcnn.testing.cases.CaseReport;
import dev.jcnn.testing.cases.Inputs;
import dev.jcnn.testing.cases.OpCase;
import dev.jcnn.testing.cases.OpTable;
import dev.jcnn.testing.cases.Output;
import dev.jcnn.testing.oracle.OracleBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CPU backend's fast paths against the oracle: every case of the op table whose outputs
 * are sums of products (convolution forward with and without bias, its input, weight and bias
 * gradients, the transposed convolution, dense), on both kernel implementations, each value
 * within {@link #FLOAT_SUMS} of the exact one, and on 1 and 3 threads, which must agree bit for
 * bit. The table's shapes reach both convolution paths (the stride-1 implicit product and
 * im2col), tiles of the kernels in every direction, and more samples than a group holds.
 */
class FastPathTest {

    /**
     * A float sum in any order differs from the exact one by up to this much, relative to
     * Σ|term|: the scale of its rounding even where the terms cancel. Σ|term| of every output
     * is the oracle's run on the absolute values of the inputs.
     */
    static final Tolerance FLOAT_SUMS = Tolerance.of(2e-5, 1e-6);

    /** The ops whose every output is a sum of products of the inputs. */
    private static final Set<String> SUMS_OF_PRODUCTS = Set.of("conv2d", "conv_transpose2d", "dense");

    static Stream<Arguments> arguments() {
        List<Arguments> args = new ArrayList<>();
        for (Named<Kernels> kr : KernelsUnderTest.all()) {
            for (OpCase c : OpTable.all()) {
                if (SUMS_OF_PRODUCTS.contains(c.op())) {
                    args.add(Arguments.of(kr, c));
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("arguments")
    void everySumMatchesTheOracle(Kernels kr, OpCase c) {
        Map<String, Output> expected;
        Map<String, Output> magnitudes;
        try (Backend oracle = new OracleBackend()) {
            expected = c.runOn(oracle);
            magnitudes = c.runOn(oracle, Inputs.seeded(c.seed()).absolute());
        }
        Map<String, Output> oneThread = null;
        for (int threads : new int[] {1, 3}) {
            String where = c.name() + " on " + kr.describe() + ", " + threads + " thread(s)";
            Map<String, Output> got;
            try (CpuBackend cpu = new CpuBackend(BackendOptions.exact().withThreads(threads), kr)) {
                got = c.runOn(cpu);
            }
            CaseReport report = new CaseReport(where);
            for (Map.Entry<String, Output> e : expected.entrySet()) {
                Output a = got.get(e.getKey());
                report.add(AllClose.compareScaled(e.getKey(), a.shape(), a.values(), AllClose.toDouble(e.getValue().values()),
                        AllClose.toDouble(magnitudes.get(e.getKey()).values()), FLOAT_SUMS));
            }
            report.assertPassed("the oracle", "float sums in any order");
            if (oneThread == null) {
                oneThread = got;
            } else {
                CaseReport.compareBits(where, got, oneThread).assertPassed("1 thread", "");
            }
        }
    }
}
