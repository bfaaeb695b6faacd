package dev.jcnn.backend;

/** An elementwise activation and its parameter (Leaky ReLU's slope, ELU's alpha; ignored otherwise). */
public record ActivationSpec(ActivationKind kind, float alpha) {

    public static final ActivationSpec LINEAR = new ActivationSpec(ActivationKind.LINEAR, 0f);
    public static final ActivationSpec RELU = new ActivationSpec(ActivationKind.RELU, 0f);
    public static final ActivationSpec TANH = new ActivationSpec(ActivationKind.TANH, 0f);
    public static final ActivationSpec SIGMOID = new ActivationSpec(ActivationKind.SIGMOID, 0f);

    public ActivationSpec {
        if (kind == null) {
            throw new IllegalArgumentException("activation kind must not be null");
        }
        if (!Float.isFinite(alpha)) {
            throw new IllegalArgumentException("activation parameter must be finite, got " + alpha + " for " + kind);
        }
    }

    public static ActivationSpec leakyRelu(float slope) {
        return new ActivationSpec(ActivationKind.LEAKY_RELU, slope);
    }

    public static ActivationSpec elu(float alpha) {
        return new ActivationSpec(ActivationKind.ELU, alpha);
    }
}
