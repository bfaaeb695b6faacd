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
    /** Keras' 'relu6': min(max(x, 0), 6). */
    RELU6(ActivationKind.RELU6),
    /** Keras 3's 'hard_sigmoid': relu6(x + 3)/6 (PyTorch's hardsigmoid; not Keras 2's 0.2·x + 0.5). */
    HARD_SIGMOID(ActivationKind.HARD_SIGMOID),
    /** Keras' 'hard_swish' (and Keras 3's 'hard_silu'): x·relu6(x + 3)/6. */
    HARD_SWISH(ActivationKind.HARD_SWISH),
    /** Softmax over the channel axis; with sparse categorical cross-entropy the loss reads the logits before it. */
    SOFTMAX(null),
    LOG_SOFTMAX(null);

    /** Keras' other name for {@link #SILU}. */
    public static final Activation SWISH = SILU;

    /** Keras 3's other name for {@link #HARD_SWISH}. */
    public static final Activation HARD_SILU = HARD_SWISH;

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
