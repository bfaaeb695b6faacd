package dev.jcnn.layers;

import dev.jcnn.backend.LrnSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;

/**
 * Cross-channel local response normalization, PyTorch's {@code nn.LocalResponseNorm(size,
 * alpha, beta, k)} and AlexNet's LRN: y = x / (k + alpha/size · Σ x²)^beta, the sum over the
 * size channels centred on x's (see {@link LrnSpec}). The defaults are AlexNet's (size 5,
 * alpha 1e-4, beta 0.75, k 2; PyTorch's k defaults to 1). Input (C, H, W) or (features).
 */
public class LocalResponseNorm extends Layer {

    private final LrnSpec spec;
    private Tensor x;
    private Tensor y;

    /** AlexNet's settings, {@link LrnSpec#ALEXNET}. */
    public LocalResponseNorm() {
        this(LrnSpec.ALEXNET);
    }

    /**
     * @throws IllegalArgumentException unless size is odd and positive, alpha and beta finite
     *     and not negative, and k positive and finite
     */
    public LocalResponseNorm(int size, double alpha, double beta, double k) {
        this(spec(size, alpha, beta, k));
    }

    private LocalResponseNorm(LrnSpec spec) {
        super(null);
        this.spec = spec;
    }

    private static LrnSpec spec(int size, double alpha, double beta, double k) {
        try {
            return new LrnSpec(size, (float) alpha, (float) beta, (float) k);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LocalResponseNorm: " + e.getMessage(), e);
        }
    }

    /** The op's settings. */
    public LrnSpec spec() {
        return spec;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 1 && input.rank() != 3) {
            throw new IllegalArgumentException(name() + ": expects (channels, height, width) or (features) input, got "
                    + input);
        }
        return input;
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkChannels(input);
        x = input;
        y = buffer("y", input.shape());
        backend().normalization().lrnForward(x, spec, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dx = buffer("dx", x.shape());
        backend().normalization().lrnBackward(x, y, dy, spec, dx);
        return dx;
    }
}
