package dev.jcnn.layers;

import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolMode;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;

/**
 * Pooling of each channel over the whole image: (C, H, W) becomes (C). It takes any image
 * size, so a classifier ending in it stays fully convolutional. Runs as the backend's pooling
 * with one window the size of the image, its (N, C, 1, 1) output copied to (N, C).
 */
public abstract class GlobalPooling2D extends Layer {

    private final PoolMode mode;
    private Tensor x;
    private Tensor pooled;
    private PoolSpec spec;

    GlobalPooling2D(PoolMode mode) {
        super(null);
        this.mode = mode;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(name() + ": expects (channels, height, width) input, got " + input);
        }
        return Shape.of(input.dim(0));
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkChannels(input);
        x = input;
        Shape s = input.shape();
        spec = new PoolSpec(mode, s.dim(2), s.dim(3), s.dim(2), s.dim(3), Padding2D.NONE);
        pooled = buffer("pooled", Shape.of(s.dim(0), s.dim(1), 1, 1));
        backend().pooling().forward(x, spec, pooled);
        Tensor y = buffer("y", Shape.of(s.dim(0), s.dim(1)));
        backend().elementwise().copy(pooled, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dpooled = buffer("dpooled", pooled.shape());
        backend().elementwise().copy(dy, dpooled);
        Tensor dx = buffer("dx", x.shape());
        backend().pooling().backward(x, pooled, dpooled, spec, dx);
        return dx;
    }
}
