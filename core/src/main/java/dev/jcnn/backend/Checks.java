package dev.jcnn.backend;

import dev.jcnn.tensor.Shape;

/**
 * Argument checks shared by the op families (and by layers that check their inputs), so that
 * every op words its errors the same way: the op, the tensor, what came and what was expected.
 */
public final class Checks {

    private Checks() {
    }

    /** Throws unless t has exactly the expected shape. */
    public static void shape(String op, String tensor, Tensor t, Shape expected) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + tensor + " is null, expected a tensor of shape " + expected);
        }
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(op + ": " + tensor + " has shape " + t.shape() + ", expected " + expected);
        }
    }

    /** Throws unless t has the given rank. */
    public static void rank(String op, String tensor, Tensor t, int rank) {
        if (t.shape().rank() != rank) {
            throw new IllegalArgumentException(op + ": " + tensor + " has shape " + t.shape() + ", expected rank " + rank);
        }
    }

    /** The size of axis 1 of t, the channels of (N, C, ...) or the features of (N, F); throws for rank &lt; 2. */
    public static int channels(String op, String tensor, Tensor t) {
        if (t.shape().rank() < 2) {
            throw new IllegalArgumentException(op + ": " + tensor + " has shape " + t.shape()
                    + ", expected (N, C) or (N, C, H, W) with channels on axis 1");
        }
        return t.shape().dim(1);
    }

    /** Throws unless a and b hold the same number of elements. */
    public static void sameSize(String op, String a, Tensor ta, String b, Tensor tb) {
        if (ta.shape().size() != tb.shape().size()) {
            throw new IllegalArgumentException(op + ": " + a + " " + ta.shape() + " and " + b + " " + tb.shape()
                    + " must hold the same number of elements");
        }
    }

    /** Throws unless the array holds at least n values. */
    public static void length(String op, float[] data, int n) {
        if (data == null || data.length < n) {
            throw new IllegalArgumentException(op + ": array holds " + (data == null ? "null" : data.length + " values")
                    + ", expected at least " + n);
        }
    }

    /** Throws unless value is non-null; name says what it is (a spec, the padding). */
    public static void notNull(String op, String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
    }

    /**
     * Throws when the output is the same tensor as one of the inputs, which the op does not allow.
     *
     * @param namesAndInputs pairs of (name, tensor); null tensors are skipped
     */
    public static void distinct(String op, String outName, Tensor out, Object... namesAndInputs) {
        for (int i = 0; i < namesAndInputs.length; i += 2) {
            if (namesAndInputs[i + 1] == out) {
                throw new IllegalArgumentException(op + ": output " + outName + " must not be the same tensor as input "
                        + namesAndInputs[i]);
            }
        }
    }
}
