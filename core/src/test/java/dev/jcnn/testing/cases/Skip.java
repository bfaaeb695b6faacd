package dev.jcnn.testing.cases;

/**
 * A case that one backend does not run, and why: the suites skip it there with the reason
 * (a JUnit assumption), so the report counts it.
 *
 * @param backend the backend's {@link dev.jcnn.backend.Backend#name()}, e.g. "cuda"
 */
public record Skip(String backend, String reason) {

    public Skip {
        if (backend == null || backend.isBlank() || reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a skip names its backend and its reason, got '" + backend + "', '"
                    + reason + "'");
        }
    }
}
