package dev.jcnn.testing.cases;

import dev.jcnn.backend.Backend;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tolerance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;

/**
 * The comparison of one case's outputs with a reference's, output by output through
 * {@link AllClose}: each differing output's worst index, both values, the errors and the
 * count, and anything structural (an output missing, of another shape).
 */
public final class CaseReport {

    private final String name;
    private final List<AllClose.Report> reports = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    public CaseReport(String name) {
        this.name = name;
    }

    /**
     * Runs c on tested and on reference from the case's seeded inputs and compares every output
     * under the case's tolerance for tested. Where either backend skips the case, skips it (a
     * JUnit assumption) with the reason.
     */
    public static CaseReport run(OpCase c, Backend tested, Backend reference) {
        for (Backend b : new Backend[] {tested, reference}) {
            c.skipOn(b.name()).ifPresent(reason -> Assumptions.abort(b.name() + " skips " + c.name() + ": " + reason));
        }
        Map<String, Output> expected = c.runOn(reference);
        Map<String, Output> actual = c.runOn(tested);
        return compare(c.name(), actual, expected, kind -> c.tolerances().of(tested.name(), kind));
    }

    /**
     * Every output of actual against the output of the same name in expected, each under the
     * tolerance of its kind. Both come from the same body, so their names and shapes must agree.
     */
    public static CaseReport compare(String name, Map<String, Output> actual, Map<String, Output> expected,
            Function<Output.Kind, Tolerance> tolerance) {
        CaseReport r = new CaseReport(name);
        if (!actual.keySet().equals(expected.keySet())) {
            r.problem("outputs " + actual.keySet() + ", the reference has " + expected.keySet());
        }
        for (Map.Entry<String, Output> e : expected.entrySet()) {
            Output a = actual.get(e.getKey());
            if (a != null && r.sameShape(e.getKey(), a.shape(), e.getValue().shape())) {
                r.add(AllClose.compare(e.getKey(), a.shape(), a.values(), e.getValue().values(),
                        tolerance.apply(e.getValue().kind())));
            }
        }
        return r;
    }

    /** As {@link #compare}, bit for bit: for results that must not depend on the thread count. */
    public static CaseReport compareBits(String name, Map<String, Output> actual, Map<String, Output> expected) {
        CaseReport r = new CaseReport(name);
        if (!actual.keySet().equals(expected.keySet())) {
            r.problem("outputs " + actual.keySet() + ", the reference has " + expected.keySet());
        }
        for (Map.Entry<String, Output> e : expected.entrySet()) {
            Output a = actual.get(e.getKey());
            if (a != null && r.sameShape(e.getKey(), a.shape(), e.getValue().shape())) {
                r.add(AllClose.compareBits(e.getKey(), a.shape(), a.values(), e.getValue().values()));
            }
        }
        return r;
    }

    /** Records a shape mismatch as a problem; true when the shapes agree. */
    public boolean sameShape(String output, Shape actual, Shape expected) {
        if (actual.equals(expected)) {
            return true;
        }
        problem(output + ": computed shape " + actual + ", expected " + expected);
        return false;
    }

    /** Adds one output's comparison. */
    public AllClose.Report add(AllClose.Report report) {
        reports.add(report);
        return report;
    }

    /** Adds something wrong that is not a value: a missing output, an unused input. */
    public void problem(String description) {
        problems.add(description);
    }

    public String name() {
        return name;
    }

    public List<AllClose.Report> reports() {
        return Collections.unmodifiableList(reports);
    }

    public boolean passed() {
        return problems.isEmpty() && reports.stream().allMatch(AllClose.Report::passed);
    }

    /**
     * Every failure, under a first line naming the case, how many outputs differ from what (the
     * reference's name, e.g. "the oracle"), and
     * why the tolerance is what it is when a reason is given.
     */
    public String describe(String reference, String toleranceReason) {
        List<String> failures = new ArrayList<>(problems);
        for (AllClose.Report r : reports) {
            if (!r.passed()) {
                failures.add(r.describe());
            }
        }
        return name + ": " + failures.size() + " of " + (reports.size() + problems.size()) + " output(s) differ from "
                + reference
                + (toleranceReason.isEmpty() ? "" : " (tolerance: " + toleranceReason + ")") + "\n"
                + String.join("\n", failures);
    }

    /** Throws an {@link AssertionError} with {@link #describe} unless every output passed. */
    public CaseReport assertPassed(String reference, String toleranceReason) {
        if (!passed()) {
            throw new AssertionError(describe(reference, toleranceReason));
        }
        return this;
    }
}
