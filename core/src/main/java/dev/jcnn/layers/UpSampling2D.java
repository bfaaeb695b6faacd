package dev.jcnn.layers;

import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.Tensor;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.tensor.Shape;

/**
 * Repeats rows and columns by whole factors, Keras' {@code UpSampling2D(size, interpolation)}:
 * (C, H, W) becomes (C, H·sizeH, W·sizeW), nearest by default or bilinear (half-pixel centres,
 * as Keras and PyTorch's align_corners=False).
 */
public class UpSampling2D extends Layer {

    private final int sizeH;
    private final int sizeW;
    private Interpolation interpolation = Interpolation.NEAREST;
    private Tensor x;

    /** Upsampling by {@code size} in both axes. */
    public UpSampling2D(int size) {
        this(size, size);
    }

    public UpSampling2D(int sizeH, int sizeW) {
        super(null);
        if (sizeH <= 0 || sizeW <= 0) {
            throw new IllegalArgumentException("UpSampling2D: size must be positive, got " + sizeH + "x" + sizeW);
        }
        this.sizeH = sizeH;
        this.sizeW = sizeW;
    }

    public UpSampling2D interpolation(Interpolation mode) {
        if (mode == null) {
            throw new IllegalArgumentException(name() + ": interpolation must not be null");
        }
        this.interpolation = mode;
        return this;
    }

    public Interpolation interpolation() {
        return interpolation;
    }

    public UpsampleSpec spec() {
        return new UpsampleSpec(interpolation, sizeH, sizeW);
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(name() + ": expects (channels, height, width) input, got " + input);
        }
        return spec().outputShape(input.withBatch(1)).withoutBatch();
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkChannels(input);
        x = input;
        UpsampleSpec spec = spec();
        Tensor y = buffer("y", spec.outputShape(input.shape()));
        backend().resampling().forward(x, spec, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dx = buffer("dx", x.shape());
        backend().resampling().backward(dy, spec(), dx);
        return dx;
    }
}
