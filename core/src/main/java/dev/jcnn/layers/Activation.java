package dev.jcnn.layers;

/**
 * Activations a layer can end with, as Keras' {@code activation=} argument names them.
 * Leaky ReLU, ELU and PReLU take parameters and are layers of their own.
 */
public enum Activation {
    LINEAR, RELU, TANH, SIGMOID,
    /** Softmax over the channel axis; with sparse categorical cross-entropy the loss reads the logits before it. */
    SOFTMAX,
    LOG_SOFTMAX
}
