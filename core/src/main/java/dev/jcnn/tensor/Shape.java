package dev.jcnn.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first. Image tensors are NCHW (batch, channels,
 * height, width); dense activations are (batch, features). Every dimension is positive.
 */
public record Shape(int[] dims) {

    public Shape {
        if (dims == null || dims.length == 0) {
            throw new IllegalArgumentException("a shape needs at least one dimension, got " + Arrays.toString(dims));
        }
        dims = dims.clone();
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new IllegalArgumentException("dimension " + i + " of shape " + Arrays.toString(dims)
                        + " is " + dims[i] + ", expected a positive size");
            }
        }
    }

    /** A shape from its dimensions, e.g. {@code Shape.of(64, 1, 28, 28)}. */
    public static Shape of(int... dims) {
        return new Shape(dims);
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    /** Number of elements. */
    public int size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + this + " has " + n + " elements, more than a Java array holds");
        }
        return (int) n;
    }

    /** The batch size: the outermost dimension. */
    public int batch() {
        return dims[0];
    }

    /** Elements per sample: everything but the outermost dimension. */
    public int sampleSize() {
        return size() / dims[0];
    }

    /** This shape without its batch dimension: (N, C, H, W) becomes (C, H, W). */
    public Shape withoutBatch() {
        if (dims.length < 2) {
            throw new IllegalStateException("shape " + this + " has no dimension besides the batch");
        }
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    /** This per-sample shape with a batch dimension in front: (C, H, W) becomes (n, C, H, W). */
    public Shape withBatch(int n) {
        int[] d = new int[dims.length + 1];
        d[0] = n;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    /** Channels of an NCHW shape. */
    public int channels() {
        requireRank(4);
        return dims[1];
    }

    /** Height of an NCHW shape. */
    public int height() {
        requireRank(4);
        return dims[2];
    }

    /** Width of an NCHW shape. */
    public int width() {
        requireRank(4);
        return dims[3];
    }

    /** Throws unless this shape has the given rank. */
    public Shape requireRank(int rank) {
        if (dims.length != rank) {
            throw new IllegalArgumentException("expected a rank-" + rank + " shape, got " + this);
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            b.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return b.append(')').toString();
    }
}
