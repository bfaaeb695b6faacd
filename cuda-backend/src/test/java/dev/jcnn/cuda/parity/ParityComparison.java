package dev.jcnn.cuda.parity;

import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Tolerance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares one row's outputs on the backend under test with the reference's, elementwise as
 * |a − r| ≤ atol + rtol·|r|, and keeps a per-op summary for the table printed at the end:
 * op, configurations, worst absolute and relative error, pass or fail.
 */
public final class ParityComparison {

    /** The summary of one op family. */
    private static final class OpSummary {
        int configurations;
        int failed;
        double worstAbs;
        double worstRel;
    }

    private final Map<String, OpSummary> summary = new LinkedHashMap<>();

    /**
     * Compares and records; throws an {@link AssertionError} naming the row's configuration,
     * each differing output's worst index, both values and the number of mismatches.
     */
    public synchronized void check(ParityCase c, Map<String, ParityCase.Output> actual,
            Map<String, ParityCase.Output> reference) {
        OpSummary s = summary.computeIfAbsent(c.op(), k -> new OpSummary());
        s.configurations++;
        List<String> failures = new ArrayList<>();
        if (!actual.keySet().equals(reference.keySet())) {
            failures.add("outputs differ: " + actual.keySet() + " against " + reference.keySet());
        }
        for (Map.Entry<String, ParityCase.Output> e : reference.entrySet()) {
            ParityCase.Output a = actual.get(e.getKey());
            ParityCase.Output r = e.getValue();
            if (a == null) {
                continue;
            }
            if (!a.shape().equals(r.shape())) {
                failures.add(e.getKey() + ": shape " + a.shape() + ", reference " + r.shape());
                continue;
            }
            Tolerance tol = r.backward() ? c.backward() : c.forward();
            AllClose.Report report = AllClose.compare(e.getKey(), r.shape(), a.values(), AllClose.toDouble(r.values()),
                    tol);
            s.worstAbs = Math.max(s.worstAbs, report.maxAbsError());
            s.worstRel = Math.max(s.worstRel, relativeAtWorst(report));
            if (!report.passed()) {
                failures.add(report.describe());
            }
        }
        if (!failures.isEmpty()) {
            s.failed++;
            throw new AssertionError(c.name() + ": " + failures.size() + " output(s) differ from the CPU reference"
                    + (c.toleranceReason().isEmpty() ? "" : " (tolerance: " + c.toleranceReason() + ")") + "\n"
                    + String.join("\n", failures));
        }
    }

    /** The relative error of the worst element (the greatest |a−r|/|r| is infinite wherever r = 0). */
    private static double relativeAtWorst(AllClose.Report r) {
        if (r.worst() < 0) {
            return 0;
        }
        double abs = Math.abs(r.actual() - r.expected());
        return abs == 0 ? 0 : abs / Math.abs(r.expected());
    }

    /** Records a row that could not run at all (an exception), so that the table shows it failed. */
    public synchronized void failed(ParityCase c) {
        OpSummary s = summary.computeIfAbsent(c.op(), k -> new OpSummary());
        s.configurations++;
        s.failed++;
    }

    /** The table: one line per op. */
    public synchronized String table(String title) {
        StringBuilder b = new StringBuilder(title).append('\n');
        b.append(String.format(Locale.ROOT, "%-24s %8s %12s %12s  %s%n", "op", "configs", "worst abs", "worst rel",
                "result"));
        int configs = 0;
        int failed = 0;
        for (Map.Entry<String, OpSummary> e : summary.entrySet()) {
            OpSummary s = e.getValue();
            configs += s.configurations;
            failed += s.failed;
            b.append(String.format(Locale.ROOT, "%-24s %8d %12.3e %12.3e  %s%n", e.getKey(), s.configurations,
                    s.worstAbs, s.worstRel, s.failed == 0 ? "pass" : "FAIL (" + s.failed + ")"));
        }
        b.append(String.format(Locale.ROOT, "%d configurations, %d passed, %d failed%n", configs, configs - failed,
                failed));
        return b.toString();
    }

    /** Prints the table and writes it to {@code file} (for the GPU kit's summary). */
    public void report(String title, Path file) {
        String t = table(title);
        System.out.println(t);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, t);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the parity table to " + file, e);
        }
    }
}
