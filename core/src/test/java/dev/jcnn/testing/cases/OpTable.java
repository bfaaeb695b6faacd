package dev.jcnn.testing.cases;

import dev.jcnn.tensor.Tolerance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * THE table of op cases, in the manner of PyTorch's OpInfo ({@code op_db}): every op of the
 * {@link dev.jcnn.backend.Backend} interface over the configurations that matter, each case
 * with its inputs, tolerances and skips in one {@link OpCase}. Three suites iterate it:
 * <ul>
 *   <li>the conformance suite ({@code conformance.OpCaseConformance}): each case on a backend
 *       against the oracle, the same body run on {@link dev.jcnn.testing.oracle.OracleBackend};</li>
 *   <li>cuda-backend's parity suite: each case on the GPU against the CPU reference, from the
 *       same inputs;</li>
 *   <li>cpu-reference's golden runner: each PyTorch golden file runs the case its op builds
 *       ({@link #golden(String)}) on the file's inputs, against PyTorch's outputs.</li>
 * </ul>
 * The families' files hold the cases: {@link ConvolutionCases}, {@link PoolingCases},
 * {@link DenseCases}, {@link ActivationCases}, {@link SoftmaxCases}, {@link LossCases},
 * {@link OptimizerCases}, {@link ElementwiseCases}, {@link ResamplingCases},
 * {@link NormalizationCases}.
 */
public final class OpTable {

    /** The CUDA backend's name, for its tolerances and skips. */
    public static final String CUDA = "cuda";

    /** Gradients of sums over the batch and every output position, on the GPU. */
    static final Tolerance GRADIENTS = Tolerance.of(1e-3, 1e-4);
    static final String GRADIENTS_REASON = "gradients sum N·OH·OW (or N) products in float on the GPU, in double on"
            + " the CPU, in a different order";

    /** Convolution and dense: dot products, and gradients that sum over the batch and the positions. */
    static final Tolerances SUMS = Tolerances.of(Tolerance.of(1e-4, 5e-5), "dot products of up to C·kh·kw (or in)"
            + " terms and gradients over N·OH·OW (or N) terms, in float32 against the oracle's double sums")
            .on(CUDA, Tolerance.of(1e-4, 5e-5), GRADIENTS, "cuDNN and cuBLAS accumulate in float: dot products of up to"
                    + " C·kh·kw (or in) terms; " + GRADIENTS_REASON);

    /**
     * The table, built on first use: the families' files read this class's tolerances while
     * they initialize, so the table cannot be built while this class does.
     */
    private static final class Built {
        static final List<OpCase> ALL;
        static final Map<String, GoldenOp> GOLDEN = new LinkedHashMap<>();

        static {
            List<OpCase> t = new ArrayList<>();
            ConvolutionCases.addTo(t);
            PoolingCases.addTo(t);
            DenseCases.addTo(t);
            ActivationCases.addTo(t);
            SoftmaxCases.addTo(t);
            LossCases.addTo(t);
            OptimizerCases.addTo(t);
            ElementwiseCases.addTo(t);
            ResamplingCases.addTo(t);
            NormalizationCases.addTo(t);
            ALL = Collections.unmodifiableList(t);
            ConvolutionCases.addGolden(GOLDEN);
            PoolingCases.addGolden(GOLDEN);
            DenseCases.addGolden(GOLDEN);
            ActivationCases.addGolden(GOLDEN);
            SoftmaxCases.addGolden(GOLDEN);
            LossCases.addGolden(GOLDEN);
            OptimizerCases.addGolden(GOLDEN);
            ElementwiseCases.addGolden(GOLDEN);
            ResamplingCases.addGolden(GOLDEN);
            NormalizationCases.addGolden(GOLDEN);
        }
    }

    private OpTable() {
    }

    /** Every case, in a fixed order. */
    public static List<OpCase> all() {
        return Built.ALL;
    }

    /** The cases of one op, e.g. "conv2d". */
    public static List<OpCase> of(String op) {
        return all().stream().filter(c -> c.op().equals(op)).toList();
    }

    /** The case of this name; throws naming it when the table has none. */
    public static OpCase named(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the op table has no case '" + name + "'"));
    }

    /** The op of a golden case's {@code "op"} name, or null. */
    public static GoldenOp golden(String name) {
        return Built.GOLDEN.get(name);
    }

    /** Every golden op name the table knows, in order. */
    public static List<String> goldenNames() {
        return List.copyOf(Built.GOLDEN.keySet());
    }
}
