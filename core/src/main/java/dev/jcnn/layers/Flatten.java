package dev.jcnn.layers;

import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;

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
        backend().copy(x, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor dx = buffer("dx", inputBatchShape);
        backend().copy(dy, dx);
        return dx;
    }
}
