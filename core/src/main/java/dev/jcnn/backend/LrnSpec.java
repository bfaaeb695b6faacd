package dev.jcnn.backend;

/**
 * Cross-channel local response normalization settings (AlexNet's LRN), in the convention of
 * PyTorch's {@code local_response_norm}, ONNX's LRN and cuDNN's LRN descriptor, all three of
 * which divide alpha by the window size: y = x / (k + alpha/size · Σ x²)^beta, the sum over
 * the size channels centred on x's, zero outside the tensor.
 *
 * @param size  the channels in the window; odd, because for an even size PyTorch centres the
 *              window one channel lower than ONNX and cuDNN do
 * @param alpha the scale of the sum of squares, before the division by size; finite, not negative
 * @param beta  the exponent; finite, not negative
 * @param k     the constant of the denominator; positive and finite
 */
public record LrnSpec(int size, float alpha, float beta, float k) {

    /** AlexNet's settings (Krizhevsky et al. 2012): size 5, alpha 1e-4, beta 0.75, k 2. */
    public static final LrnSpec ALEXNET = new LrnSpec(5, 1e-4f, 0.75f, 2f);

    public LrnSpec {
        if (size < 1 || size % 2 == 0) {
            throw new IllegalArgumentException("local response normalization size must be odd and positive, got " + size
                    + " (an even window is centred differently by PyTorch than by ONNX and cuDNN)");
        }
        if (!(alpha >= 0f) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException("local response normalization alpha must be finite and not negative, got "
                    + alpha);
        }
        if (!(beta >= 0f) || !Float.isFinite(beta)) {
            throw new IllegalArgumentException("local response normalization beta must be finite and not negative, got "
                    + beta);
        }
        if (!(k > 0f) || !Float.isFinite(k)) {
            throw new IllegalArgumentException("local response normalization k must be positive and finite, got " + k);
        }
    }

    /** The channels the window reaches on either side of its centre: (size − 1)/2. */
    public int halfWidth() {
        return (size - 1) / 2;
    }
}
