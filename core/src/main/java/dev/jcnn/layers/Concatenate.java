package dev.jcnn.layers;

import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Stacks two or more inputs along the channel axis (features for flat inputs), Keras'
 * {@code Concatenate(axis=-1)} in NCHW: the skip connections of an encoder-decoder. Every
 * other axis must agree.
 */
public class Concatenate extends MergeLayer {

    private List<Shape> batchShapes;

    @Override
    public Shape outputShape(List<Shape> inputs) {
        requireSeveral(inputs.size());
        return stacked(inputs, 0, "");
    }

    /** The shape of the inputs stacked along this axis, after checking the others agree. */
    private Shape stacked(List<Shape> shapes, int axis, String when) {
        Shape first = shapes.get(0);
        int channels = 0;
        for (Shape s : shapes) {
            boolean fits = s.rank() == first.rank();
            for (int a = 0; fits && a < s.rank(); a++) {
                fits = a == axis || s.dim(a) == first.dim(a);
            }
            if (!fits) {
                throw new IllegalArgumentException(name() + ": inputs have shapes " + describe(shapes) + when
                        + "; Concatenate needs equal sizes on every axis but the channels (odd sizes halved by pooling"
                        + " and doubled by upsampling no longer match)");
            }
            channels += s.dim(axis);
        }
        int[] dims = first.dims();
        dims[axis] = channels;
        return Shape.of(dims);
    }

    @Override
    public Tensor forward(List<Tensor> xs, boolean training) {
        requireSeveral(xs.size());
        batchShapes = shapesOf(xs);
        Tensor y = buffer("y", stacked(batchShapes, 1, " in this batch"));
        backend().channels().concat(xs, y);
        return y;
    }

    @Override
    public List<Tensor> backwardInputs(Tensor dy) {
        List<Tensor> dxs = new ArrayList<>();
        for (int i = 0; i < batchShapes.size(); i++) {
            dxs.add(buffer("dx" + i, batchShapes.get(i)));
        }
        backend().channels().split(dy, dxs);
        return dxs;
    }
}
