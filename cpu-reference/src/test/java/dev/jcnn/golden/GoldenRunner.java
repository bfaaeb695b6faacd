package dev.jcnn.golden;

import dev.jcnn.backend.Backend;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.TensorScope;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Runs one golden case on a backend and compares every output the case lists, elementwise
 * with the case's own rtol and atol. Nothing is skipped: an unknown op, an unknown
 * parameter or an output the op does not produce fails the case, naming it.
 */
public final class GoldenRunner {

    private GoldenRunner() {
    }

    /** Runs the case; throws an {@link AssertionError} describing every output that differs. */
    public static void run(Backend backend, GoldenCase c) {
        GoldenOp op = GoldenOps.get(c.op());
        if (op == null) {
            throw new AssertionError(c.file() + ": unknown golden op '" + c.op() + "'; the runner knows " + GoldenOps.names()
                    + " (add it to GoldenOps)");
        }
        for (Iterator<String> it = c.params().fieldNames(); it.hasNext(); ) {
            String p = it.next();
            if (!op.params().contains(p)) {
                throw new AssertionError(c.file() + ": op '" + c.op() + "' has parameter '" + p + "', which the runner does not"
                        + " understand (it knows " + op.params() + "); it would be ignored, so the case fails instead");
            }
        }
        if (c.outputs().isEmpty()) {
            throw new AssertionError(c.file() + ": the case lists no outputs, so it checks nothing");
        }
        GoldenOp.Outputs computed;
        try (TensorScope scope = new TensorScope(backend)) {
            computed = op.run(c, scope);
        }
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, GoldenTensor> e : c.outputs().entrySet()) {
            String name = e.getKey();
            GoldenTensor expected = e.getValue();
            float[] actual = computed.values().get(name);
            if (actual == null) {
                failures.add(name + ": op '" + c.op() + "' computes " + computed.values().keySet() + ", not '" + name + "'");
                continue;
            }
            Shape shape = computed.shapes().get(name);
            if (!shape.equals(expected.shape())) {
                failures.add(name + ": computed shape " + shape + ", expected " + expected.shape());
                continue;
            }
            AllClose.Report r = AllClose.compare(c.file() + " " + name, shape, actual, expected.data(), c.tolerance());
            if (!r.passed()) {
                failures.add(r.describe());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(c.file() + " (" + c.op() + "): " + failures.size() + " of " + c.outputs().size()
                    + " outputs differ from PyTorch\n" + String.join("\n", failures));
        }
    }
}
