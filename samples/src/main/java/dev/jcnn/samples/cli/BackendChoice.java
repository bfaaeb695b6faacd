package dev.jcnn.samples.cli;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.Backends;
import dev.jcnn.backend.Numerics;
import picocli.CommandLine.Option;

/** Which backend to start: by name or the best one, with its settings. */
final class BackendChoice {

    @Option(names = {"-b", "--backend"}, paramLabel = "NAME", defaultValue = "best",
            description = "best (the fastest that can start here), cpu or cuda (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "CPU threads for the cpu backend; 0 for every processor (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--exact",
            description = "Exact math (no TF32 on the GPU, no Winograd convolutions on the CPU), as the parity suite uses.")
    boolean exact;

    /** Starts the backend; a named one that cannot start throws with the reason. */
    Backend start() {
        BackendOptions o = BackendOptions.defaults().withThreads(threads).withNumerics(exact ? Numerics.EXACT : Numerics.FAST);
        return Backends.create(name, o);
    }
}
