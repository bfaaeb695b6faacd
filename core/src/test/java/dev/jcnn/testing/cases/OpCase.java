package dev.jcnn.testing.cases;

import dev.jcnn.backend.Backend;
import dev.jcnn.testing.TensorScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One op case, as PyTorch's OpInfo and one of its sample inputs describe a call: the op, one
 * configuration of it, the body that draws the inputs and calls the backend, the tolerances
 * its outputs are held to (with the reason when looser than the default) and the backends
 * that skip it (with the reason). The reference is the same body run on the oracle
 * ({@link dev.jcnn.testing.oracle.OracleBackend}: nested loops summed in double); every
 * suite compares through {@link CaseReport}.
 *
 * @param op     the op, e.g. "conv2d"; cases of one op share their body and tolerances
 * @param config the configuration, e.g. "n2 c3 8x11 k4 f3x5 s2x1 p1/1/2/2"
 * @param body   draws the inputs by name, calls the ops, records the outputs
 */
public record OpCase(String op, String config, Body body, Tolerances tolerances, List<Skip> skips) {

    /** What a case runs: one small lambda per op, calling the backend through {@link Run#backend()}. */
    @FunctionalInterface
    public interface Body {
        void run(Run r);
    }

    public OpCase {
        if (op == null || config == null || body == null || tolerances == null) {
            // a family's file read while the table is built from it would give null constants
            throw new IllegalArgumentException("op case " + op + " " + config + ": op, configuration, body and tolerances"
                    + " are required, got body " + body + ", tolerances " + tolerances);
        }
        skips = List.copyOf(skips);
    }

    public static OpCase of(String op, String config, Tolerances tolerances, Body body) {
        return new OpCase(op, config, body, tolerances, List.of());
    }

    /** This case, skipped on backend for the written reason. */
    public OpCase skip(String backend, String reason) {
        List<Skip> all = new ArrayList<>(skips);
        all.add(new Skip(backend, reason));
        return new OpCase(op, config, body, tolerances, all);
    }

    /** Op and configuration: the test's name in reports. */
    public String name() {
        return op + " " + config;
    }

    /** The seed of the case's drawn inputs, fixed by its name. */
    public long seed() {
        return name().hashCode() * 0x9E3779B97F4A7C15L;
    }

    /** Why backend skips this case, if it does. */
    public Optional<String> skipOn(String backend) {
        return skips.stream().filter(s -> s.backend().equals(backend)).map(Skip::reason).findFirst();
    }

    /** Runs the body on backend with inputs drawn from the case's seed. */
    public Map<String, Output> runOn(Backend backend) {
        return runOn(backend, Inputs.seeded(seed()));
    }

    /** Runs the body on backend with the given inputs; the outputs in the order the body recorded them. */
    public Map<String, Output> runOn(Backend backend, Inputs inputs) {
        try (TensorScope scope = new TensorScope(backend)) {
            Run r = new Run(scope, inputs);
            body.run(r);
            if (r.outputs().isEmpty()) {
                throw new IllegalStateException(name() + " records no output");
            }
            return r.outputs();
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
