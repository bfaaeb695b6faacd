package dev.jcnn.samples.cli;

import dev.jcnn.backend.Availability;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.BackendProvider;
import dev.jcnn.backend.Backends;
import dev.jcnn.samples.parity.ModelParity;
import dev.jcnn.tensor.AllClose;
import dev.jcnn.zoo.ModelZoo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The cross-backend check: the GPU backend against the CPU reference, model by model, when a GPU is here. */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = {"Checks the GPU backend against the CPU reference, when a GPU is here.",
                "Compares every layer's output and every gradient of each small zoo model (ModelZoo.SMALL), from the same weights",
                "and input, in exact math. Without a GPU it says why and exits with status 3."})
final class ParityCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-b", "--backend"}, defaultValue = "cuda", description = "The backend to check (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--batch-size", defaultValue = "8", description = "Images in the test batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "7", description = "Seeds weights and input (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BackendProvider provider = null;
        for (BackendProvider p : Backends.providers()) {
            if (p.name().equalsIgnoreCase(backend)) {
                provider = p;
            }
        }
        if (provider == null) {
            out.println("parity: not run: no '" + backend + "' backend on the class path");
            out.flush();
            return Jcnn.NOT_AVAILABLE;
        }
        Availability a;
        try {
            a = provider.availability();
        } catch (RuntimeException | LinkageError e) {
            a = Availability.no("its availability check failed: " + e);
        }
        if (!a.available()) {
            out.println("parity: not run: the " + backend + " backend cannot start here: " + a.reason());
            out.flush();
            return Jcnn.NOT_AVAILABLE;
        }
        List<AllClose.Report> all = new ArrayList<>();
        try (Backend tested = provider.create(BackendOptions.exact());
             Backend reference = Backends.create("cpu", BackendOptions.exact())) {
            out.println("parity: " + tested.name() + " (" + tested.device() + ") against " + reference.name());
            for (String model : ModelZoo.SMALL) {
                for (AllClose.Report c : ModelParity.run(model, tested, reference, batch, seed)) {
                    out.println(c.summary());
                    all.add(c);
                }
            }
        }
        long failed = all.stream().filter(c -> !c.passed()).count();
        out.printf("parity: %d passed, %d failed%n", all.size() - failed, failed);
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
