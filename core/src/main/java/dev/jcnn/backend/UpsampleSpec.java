package dev.jcnn.backend;

import dev.jcnn.tensor.Shape;

/**
 * Upsampling of NCHW images by whole factors per axis: an input of H × W becomes
 * (H·factorH) × (W·factorW).
 *
 * <p>For output pixel (oy, ox) the source coordinate is src = (o + 0.5)/factor − 0.5 per axis.
 * NEAREST takes input pixel floor(o / factor). BILINEAR clamps src to [0, I − 1], takes
 * i0 = floor(src), i1 = min(i0 + 1, I − 1), λ = src − i0, and mixes (1 − λ)·x[i0] + λ·x[i1]
 * in each axis; its backward pass spreads each output gradient with the same weights.
 */
public record UpsampleSpec(Interpolation mode, int factorH, int factorW) {

    public UpsampleSpec {
        if (mode == null) {
            throw new IllegalArgumentException("upsampling interpolation must not be null");
        }
        if (factorH <= 0 || factorW <= 0) {
            throw new IllegalArgumentException("upsampling factors must be positive, got " + factorH + "x" + factorW);
        }
    }

    /** Output shape (N, C, H·factorH, W·factorW) of input x (N, C, H, W). */
    public Shape outputShape(Shape x) {
        x.requireRank(4);
        long h = (long) x.dim(2) * factorH;
        long w = (long) x.dim(3) * factorW;
        if (h > Integer.MAX_VALUE || w > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("upsampling " + x + " by " + factorH + "x" + factorW + " overflows");
        }
        return Shape.of(x.dim(0), x.dim(1), (int) h, (int) w);
    }
}
