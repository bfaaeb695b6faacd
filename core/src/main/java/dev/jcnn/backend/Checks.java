package dev.jcnn.backend;

import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;

/** Argument checks shared by backends, so that every backend words its errors the same way. */
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

    /** Throws unless every label lies in [0, classes). */
    public static void labels(String op, int[] labels, int n, int classes) {
        if (labels == null || labels.length < n) {
            throw new IllegalArgumentException(op + ": expected " + n + " labels, got "
                    + (labels == null ? "null" : labels.length));
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(op + ": label " + labels[i] + " of sample " + i
                        + " is out of range, expected 0 to " + (classes - 1));
            }
        }
    }
}
