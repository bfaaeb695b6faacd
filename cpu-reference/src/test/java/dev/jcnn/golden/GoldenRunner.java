package dev.jcnn.golden;

import dev.jcnn.backend.Backend;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.testing.cases.CaseReport;
import dev.jcnn.testing.cases.OpCase;
import dev.jcnn.testing.cases.OpTable;
import dev.jcnn.testing.cases.Output;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs one golden case on a backend and compares every output the case lists, elementwise
 * with the case's own rtol and atol. The op table builds the case from the file's op,
 * parameters and input shapes and runs its body on the file's inputs. Nothing is skipped
 * silently: an unknown op, an unknown parameter or an output the op does not produce fails
 * the case, naming it; a case the op table skips on this backend skips with the reason.
 */
public final class GoldenRunner {

    private GoldenRunner() {
    }

    /** Runs the case; throws an {@link AssertionError} describing every output that differs. */
    public static void run(Backend backend, GoldenCase c) {
        Set<String> known = GoldenOps.params(c.op());
        if (known == null) {
            throw new AssertionError(c.file() + ": unknown golden op '" + c.op() + "'; the runner knows " + GoldenOps.names()
                    + " (add it to the op table, dev.jcnn.testing.cases)");
        }
        for (Iterator<String> it = c.params().fieldNames(); it.hasNext(); ) {
            String p = it.next();
            if (!known.contains(p)) {
                throw new AssertionError(c.file() + ": op '" + c.op() + "' has parameter '" + p + "', which the runner does not"
                        + " understand (it knows " + known + "); it would be ignored, so the case fails instead");
            }
        }
        if (c.outputs().isEmpty()) {
            throw new AssertionError(c.file() + ": the case lists no outputs, so it checks nothing");
        }
        Map<String, Output> computed;
        if (c.op().equals(GoldenOps.SGD_STEP)) {
            computed = SgdStep.run(c, backend);
        } else {
            OpCase op = OpTable.golden(c.op()).build().apply(c);
            op.skipOn(backend.name()).ifPresent(reason -> Assumptions.abort(backend.name() + " skips " + op.name() + ": "
                    + reason));
            computed = op.runOn(backend, c.givenInputs());
        }
        CaseReport report = new CaseReport(c.file() + " (" + c.op() + ")");
        for (Map.Entry<String, GoldenTensor> e : c.outputs().entrySet()) {
            String name = e.getKey();
            GoldenTensor expected = e.getValue();
            Output actual = computed.get(name);
            if (actual == null) {
                report.problem(name + ": op '" + c.op() + "' computes " + computed.keySet() + ", not '" + name + "'");
            } else if (report.sameShape(name, actual.shape(), expected.shape())) {
                report.add(AllClose.compare(c.file() + " " + name, actual.shape(), actual.values(), expected.data(),
                        c.tolerance()));
            }
        }
        report.assertPassed("PyTorch", "");
    }
}
