package dev.jcnn.samples.cli;

import dev.jcnn.backend.Availability;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.BackendProvider;
import dev.jcnn.backend.Backends;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the backends, whether each can start here, and the device each one runs on. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"Lists the backends, whether each can start here, and their devices.",
                "For cuda: the GPU's name, driver, cuDNN and cuBLAS versions, or why it cannot start."})
final class DevicesCommand implements Callable<Integer> {

    /** The backends jcnn ships; those missing from the class path are named too. */
    static final List<String> KNOWN = List.of("cuda", "cpu");

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> seen = new ArrayList<>();
        String best = null;
        for (BackendProvider p : Backends.providers()) {
            seen.add(p.name());
            Availability a;
            try {
                a = p.availability();
            } catch (RuntimeException | LinkageError e) {
                a = Availability.no("its availability check failed: " + e);
            }
            if (!a.available()) {
                out.printf("%-5s not available: %s%n", p.name(), a.reason());
                continue;
            }
            out.printf("%-5s available: %s%n", p.name(), a.reason());
            try (Backend b = p.create(BackendOptions.defaults())) {
                out.printf("      device: %s%n", b.device());
                if (best == null) {
                    best = p.name();
                }
            } catch (RuntimeException | LinkageError e) {
                out.printf("      but it failed to start: %s%n", e.getMessage() == null ? e : e.getMessage());
            }
        }
        for (String k : KNOWN) {
            if (!seen.contains(k)) {
                out.printf("%-5s not available: no provider for it on the class path%n", k);
            }
        }
        out.println(best == null ? "no backend can start here" : "best: " + best + " (what --backend best picks)");
        out.flush();
        return best == null ? 1 : 0;
    }
}
