package dev.jcnn.backend;

/** How a backend may trade exactness for speed. */
public enum Numerics {
    /** No reduced-precision math (no TF32), deterministic algorithms: what the parity suite uses. */
    EXACT,
    /**
     * Faster math allowed, which rounds differently: TF32 tensor cores on the GPU, Winograd's F(2×2, 3×3) for the
     * CPU's 3 × 3 convolutions of 32 channels or more. For training speed.
     */
    FAST
}
