package dev.jcnn.testing.cases;

import dev.jcnn.tensor.Tolerance;
import java.util.ArrayList;
import java.util.List;

/**
 * What a case's outputs are held to: one tolerance for forward outputs and one for gradients,
 * and looser ones for a named backend. Anything looser than {@link Tolerance#DEFAULT} carries
 * its written reason, as PyTorch's {@code toleranceOverride} decorations do.
 *
 * @param forward  forward outputs and losses, on every backend without its own
 * @param backward gradients, updated parameters and statistics
 * @param reason   why forward or backward is looser than the default; empty when neither is
 * @param looser   per-backend tolerances, each with its reason
 */
public record Tolerances(Tolerance forward, Tolerance backward, String reason, List<ForBackend> looser) {

    /** float32 against float32 or a double oracle, elementwise ops and short sums. */
    public static final Tolerances DEFAULT = new Tolerances(Tolerance.DEFAULT, Tolerance.DEFAULT, "", List.of());

    /** A backend's own tolerances and why it needs them. */
    public record ForBackend(String backend, Tolerance forward, Tolerance backward, String reason) {
        public ForBackend {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("the tolerance for " + backend + " needs its reason");
            }
        }
    }

    public Tolerances {
        looser = List.copyOf(looser);
        boolean loose = looserThanDefault(forward) || looserThanDefault(backward);
        if (loose == reason.isBlank()) {
            throw new IllegalArgumentException(loose ? "forward " + forward + ", backward " + backward
                    + " are looser than the default: write down why" : "a reason for the default tolerance: " + reason);
        }
    }

    /** The same tolerance for forward outputs and gradients. */
    public static Tolerances of(Tolerance both, String reason) {
        return new Tolerances(both, both, reason, List.of());
    }

    public static Tolerances of(Tolerance forward, Tolerance backward, String reason) {
        return new Tolerances(forward, backward, reason, List.of());
    }

    /** These tolerances and, on backend, the given ones. */
    public Tolerances on(String backend, Tolerance forward, Tolerance backward, String reason) {
        List<ForBackend> all = new ArrayList<>(looser);
        all.add(new ForBackend(backend, forward, backward, reason));
        return new Tolerances(this.forward, this.backward, this.reason, all);
    }

    /** The tolerance of one kind of output on a backend. */
    public Tolerance of(String backend, Output.Kind kind) {
        for (ForBackend f : looser) {
            if (f.backend().equals(backend)) {
                return kind == Output.Kind.FORWARD ? f.forward() : f.backward();
            }
        }
        return kind == Output.Kind.FORWARD ? forward : backward;
    }

    /** Why the tolerances on backend are what they are; empty for the default. */
    public String reason(String backend) {
        for (ForBackend f : looser) {
            if (f.backend().equals(backend)) {
                return f.reason();
            }
        }
        return reason;
    }

    private static boolean looserThanDefault(Tolerance t) {
        return t.rtol() > Tolerance.DEFAULT.rtol() || t.atol() > Tolerance.DEFAULT.atol();
    }
}
