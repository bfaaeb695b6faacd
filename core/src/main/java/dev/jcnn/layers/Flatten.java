package dev.jcnn.layers;

import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;

/** Flattens each sample to one axis, row-major: (C, H, W) becomes (C·H·W). */
public class Flatten extends Layer {

    private Shape inputBatchShape;

    public Flatten() {
        super(null);
    }

    @Override
    public boolean keepsValues() {
        return true;
    }

    @Override
    public Shape outputShape(Shape input) {
        return Shape.of(input.size());
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkChannels(x);
        inputBatchShape = x.shape();
        Tensor y = buffer("y", Shape.of(x.shape().batch(), x.shape().sampleSize()));
        backend().elementwise().copy(x, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dx = buffer("dx", inputBatchShape);
        backend().elementwise().copy(dy, dx);
        return dx;
    }
}
