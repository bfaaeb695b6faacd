package dev.jcnn.samples.cli;

import dev.jcnn.model.Model;
import dev.jcnn.zoo.ModelZoo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints the Keras-like summary of a zoo model or a saved model, with the zoo model's reference
 * parameter count; or, with {@code --zoo}, one line per zoo model.
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = {"Prints a model's layers, output shapes and parameter counts;",
                "with --zoo, every zoo model with its input, parameters and the reference's count."})
final class SummaryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
            description = "A zoo model (${COMPLETION-CANDIDATES}) or a saved model file.",
            completionCandidates = ZooNames.class)
    String model;

    @Option(names = "--zoo", description = "List every zoo model: input, classes, trainable parameters, the reference's count.")
    boolean zoo;

    /** The zoo's names for the help text. */
    static final class ZooNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ModelZoo.NAMES.iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (zoo == (model != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give a MODEL or --zoo, not "
                    + (zoo ? "both" : "neither"));
        }
        if (zoo) {
            printZoo(out);
            out.flush();
            return 0;
        }
        boolean file = model.endsWith(".jcnn") || Files.isRegularFile(Path.of(model));
        Model m = file ? ModelFiles.unbuilt(Path.of(model)) : ModelZoo.create(model);
        out.print(m.summary());
        if (!m.classNames().isEmpty()) {
            out.println("Classes: " + String.join(", ", m.classNames()));
        }
        if (!file) {
            ModelZoo.Entry e = ModelZoo.entry(model);
            out.println("Source: " + e.source());
            e.reference().ifPresent(r -> out.printf(Locale.ROOT, "Reference: %,d trainable parameters (%s)%n", r,
                    r == m.trainableParameterCount() ? "the same" : "this model has " + String.format(Locale.ROOT, "%,d",
                            m.trainableParameterCount())));
        }
        out.flush();
        return 0;
    }

    /** One line per zoo model, counted from the layer shapes (nothing is built). */
    private static void printZoo(PrintWriter out) {
        String fmt = "%-12s %-14s %7s %14s %14s  %s%n";
        out.printf(Locale.ROOT, fmt, "Model", "Input", "Classes", "Trainable", "Reference", "Source");
        for (String name : ModelZoo.NAMES) {
            ModelZoo.Entry e = ModelZoo.entry(name);
            try (Model m = ModelZoo.create(name)) {
                String reference = e.reference().isPresent() ? String.format(Locale.ROOT, "%,d", e.reference().getAsLong())
                        : "-";
                out.printf(Locale.ROOT, fmt, name, e.input(), e.classes(),
                        String.format(Locale.ROOT, "%,d", m.trainableParameterCount()), reference, e.source());
            }
        }
    }
}
