package dev.jcnn.backend;

/** Elementwise activation functions. PReLU has its own ops because its alpha is learned. */
public enum ActivationKind {
    /** The identity: no activation. */
    LINEAR,
    RELU,
    /** x for x &gt; 0, slope·x otherwise (the spec's alpha is the slope). */
    LEAKY_RELU,
    /** x for x &gt; 0, alpha·(e^x − 1) otherwise. */
    ELU,
    TANH,
    SIGMOID
}
