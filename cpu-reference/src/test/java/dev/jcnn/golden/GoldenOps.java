package dev.jcnn.golden;

import dev.jcnn.testing.cases.GoldenOp;
import dev.jcnn.testing.cases.OpTable;
import java.util.Set;
import java.util.TreeSet;

/**
 * The golden ops by the names make_golden.py gives them: every op of core's case table
 * ({@link OpTable#golden(String)}), run on the case's inputs with the table's own body, and
 * {@code sgd_step}, one training step of a small Sequential ({@link SgdStep}): a model, not an op.
 */
public final class GoldenOps {

    /** The model-level op. */
    static final String SGD_STEP = "sgd_step";

    private static final Set<String> SGD_STEP_PARAMS = Set.of("layers", "lr", "momentum", "classes");

    private GoldenOps() {
    }

    /** The parameters the op of this name understands, or null when no op has the name. */
    public static Set<String> params(String op) {
        if (op.equals(SGD_STEP)) {
            return SGD_STEP_PARAMS;
        }
        GoldenOp g = OpTable.golden(op);
        return g == null ? null : g.params();
    }

    /** Every op name known, sorted. */
    public static Set<String> names() {
        Set<String> all = new TreeSet<>(OpTable.goldenNames());
        all.add(SGD_STEP);
        return all;
    }
}
