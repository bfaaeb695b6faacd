package dev.jcnn.layers;

import dev.jcnn.backend.ActivationKind;
import dev.jcnn.backend.ActivationSpec;

/**
 * Activations a layer can end with, as Keras' {@code activation=} argument names them.
 * Leaky ReLU, ELU and PReLU take parameters and are layers of their own.
 *
 * <p>Each elementwise constant names its {@link ActivationKind}, so a new one is mapped
 * where it is declared; softmax and log-softmax have ops of their own and name none.
 */
public enum Activation {
    LINEAR(ActivationKind.LINEAR),
    RELU(ActivationKind.RELU),
    TANH(ActivationKind.TANH),
    SIGMOID(ActivationKind.SIGMOID),
    /** Keras' 'gelu': x·Φ(x), exact (approximate=False). */
    GELU(ActivationKind.GELU),
    /** Keras' gelu(approximate=True): GELU's tanh form. */
    GELU_TANH(ActivationKind.GELU_TANH),
    /** Keras' 'silu' and 'swish': x·σ(x). */
    SILU(ActivationKind.SILU),
    /** Softmax over the channel axis; with sparse categorical cross-entropy the loss reads the logits before it. */
    SOFTMAX(null),
    LOG_SOFTMAX(null);

    /** Keras' other name for {@link #SILU}. */
    public static final Activation SWISH = SILU;

    /** The backend activation, or null for softmax and log-softmax. */
    private final ActivationSpec elementwise;

    Activation(ActivationKind kind) {
        this.elementwise = kind == null ? null : new ActivationSpec(kind, 0f);
    }

    /** The elementwise activation this stands for, or null for softmax and log-softmax, which have ops of their own. */
    ActivationSpec elementwise() {
        return elementwise;
    }
}
