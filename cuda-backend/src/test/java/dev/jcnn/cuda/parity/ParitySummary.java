package dev.jcnn.cuda.parity;

import dev.jcnn.tensor.AllClose;
import dev.jcnn.testing.cases.CaseReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The parity suite's table, printed at the end: per op, how many cases ran, the worst
 * absolute error and the relative error at the worst element over all of them, pass or fail.
 * It only collects: each case is compared, and fails, through {@link CaseReport}.
 */
final class ParitySummary {

    /** The summary of one op. */
    private static final class OpSummary {
        int cases;
        int failed;
        double worstAbs;
        double worstRel;
    }

    private final Map<String, OpSummary> summary = new LinkedHashMap<>();

    /** Records one case's comparison. */
    synchronized void add(String op, CaseReport report) {
        OpSummary s = summary.computeIfAbsent(op, k -> new OpSummary());
        s.cases++;
        if (!report.passed()) {
            s.failed++;
        }
        for (AllClose.Report r : report.reports()) {
            s.worstAbs = Math.max(s.worstAbs, r.maxAbsError());
            s.worstRel = Math.max(s.worstRel, relativeAtWorst(r));
        }
    }

    /** Records a case that could not run at all (an exception), so that the table shows it failed. */
    synchronized void failed(String op) {
        OpSummary s = summary.computeIfAbsent(op, k -> new OpSummary());
        s.cases++;
        s.failed++;
    }

    /** The relative error of the worst element (the greatest |a−r|/|r| is infinite wherever r = 0). */
    private static double relativeAtWorst(AllClose.Report r) {
        if (r.worst() < 0) {
            return 0;
        }
        double abs = Math.abs(r.actual() - r.expected());
        return abs == 0 ? 0 : abs / Math.abs(r.expected());
    }

    /** The table: one line per op. */
    synchronized String table(String title) {
        StringBuilder b = new StringBuilder(title).append('\n');
        b.append(String.format(Locale.ROOT, "%-24s %8s %12s %12s  %s%n", "op", "cases", "worst abs", "worst rel", "result"));
        int cases = 0;
        int failed = 0;
        for (Map.Entry<String, OpSummary> e : summary.entrySet()) {
            OpSummary s = e.getValue();
            cases += s.cases;
            failed += s.failed;
            b.append(String.format(Locale.ROOT, "%-24s %8d %12.3e %12.3e  %s%n", e.getKey(), s.cases, s.worstAbs,
                    s.worstRel, s.failed == 0 ? "pass" : "FAIL (" + s.failed + ")"));
        }
        b.append(String.format(Locale.ROOT, "%d cases, %d passed, %d failed%n", cases, cases - failed, failed));
        return b.toString();
    }

    /** Prints the table and writes it to {@code file} (for the GPU kit's summary). */
    void report(String title, Path file) {
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
