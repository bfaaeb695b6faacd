package dev.jcnn.backend;

/** How a backend may trade exactness for speed. */
public enum Numerics {
    /** No reduced-precision math (no TF32), deterministic algorithms: what the parity suite uses. */
    EXACT,
    /** Faster math allowed (TF32 tensor cores on the GPU): for training speed. */
    FAST
}
