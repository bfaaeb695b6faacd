package dev.jcnn.cuda;

import dev.jcnn.backend.Numerics;
import java.util.List;

/**
 * Picks a cuDNN convolution algorithm from the candidates cuDNN ranked (by its heuristics or
 * by timing them): the first that succeeded, fits the workspace limit and, for exact
 * numerics, is deterministic and uses no tensor-core math (no TF32).
 */
final class AlgorithmChoice {

    /** cudnnMathType_t values, as cuDNN 8 and 9 define them. */
    static final int DEFAULT_MATH = 0;
    static final int TENSOR_OP_MATH = 1;
    static final int TENSOR_OP_MATH_ALLOW_CONVERSION = 2;
    static final int FMA_MATH = 3;

    /** One candidate, copied out of cuDNN's perf struct. */
    record Candidate(int algo, int status, float timeMs, long memory, boolean deterministic, int mathType) {

        @Override
        public String toString() {
            return "algo " + algo + " (status " + status + ", " + timeMs + " ms, " + memory + " bytes workspace, "
                    + (deterministic ? "deterministic" : "non-deterministic") + ", math type " + mathType + ")";
        }
    }

    private AlgorithmChoice() {
    }

    /**
     * The chosen candidate.
     *
     * @param what names the pass and the geometry for the error message
     * @throws IllegalStateException listing the candidates when none qualifies
     */
    static Candidate pick(List<Candidate> ranked, Numerics numerics, long workspaceLimit, String what) {
        for (Candidate c : ranked) {
            if (c.status() == 0 && c.memory() >= 0 && c.memory() <= workspaceLimit && allowed(c, numerics)) {
                return c;
            }
        }
        throw new IllegalStateException("cuDNN offers no usable algorithm for " + what + " with " + numerics
                + " numerics and a workspace limit of " + workspaceLimit + " bytes; candidates: " + ranked);
    }

    static boolean allowed(Candidate c, Numerics numerics) {
        if (numerics == Numerics.FAST) {
            return c.mathType() != TENSOR_OP_MATH_ALLOW_CONVERSION;
        }
        return c.deterministic() && (c.mathType() == FMA_MATH || c.mathType() == DEFAULT_MATH);
    }

    /** The math type the descriptor is set to for the chosen candidate: FMA only when exact. */
    static int mathTypeFor(Candidate c, Numerics numerics) {
        return numerics == Numerics.EXACT ? FMA_MATH : c.mathType();
    }
}
