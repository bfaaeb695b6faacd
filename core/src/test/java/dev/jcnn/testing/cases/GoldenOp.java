package dev.jcnn.testing.cases;

import java.util.Set;
import java.util.function.Function;

/**
 * An op of the table by its PyTorch golden name (make_golden.py's {@code "op"} field): the
 * parameters it understands (a case with any other fails rather than having it ignored) and
 * how its case is built from a golden file, with the same body, tolerances and skips as the
 * table's own cases of the op. The golden runner then runs that case on the file's inputs.
 */
public record GoldenOp(String name, Set<String> params, Function<GoldenParams, OpCase> build) {

    public GoldenOp {
        params = Set.copyOf(params);
    }
}
