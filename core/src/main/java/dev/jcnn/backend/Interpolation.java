package dev.jcnn.backend;

/** How upsampling fills the new pixels. */
public enum Interpolation {
    /** Each output pixel copies the input pixel it falls in (Keras' and PyTorch's "nearest"). */
    NEAREST,
    /**
     * Linear in each axis between the two nearest input pixel centres, half-pixel centres, edges
     * clamped: Keras' "bilinear", PyTorch's bilinear with align_corners=False.
     */
    BILINEAR
}
