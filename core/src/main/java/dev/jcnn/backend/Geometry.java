package dev.jcnn.backend;

/**
 * The one output-size formula, used by layers, both backends and {@code summary()}:
 * O = floor((I − F + P_before + P_after) / S) + 1 per axis, flooring as Keras, PyTorch and
 * cuDNN do. With symmetric padding P this is the slides' O = (I − F + 2P)/S + 1.
 */
public final class Geometry {

    private Geometry() {
    }

    /**
     * Output size along one axis.
     *
     * @param where names the layer and axis for the error message, e.g. "conv2d_1 height"
     * @throws IllegalArgumentException when the (padded) input is smaller than the window
     */
    public static int outputSize(int input, int window, int stride, int padBefore, int padAfter, String where) {
        if (input <= 0 || window <= 0 || stride <= 0 || padBefore < 0 || padAfter < 0) {
            throw new IllegalArgumentException(where + ": sizes must be positive and padding non-negative, got input "
                    + input + ", window " + window + ", stride " + stride + ", padding " + padBefore + "/" + padAfter);
        }
        int span = input + padBefore + padAfter - window;
        if (span < 0) {
            throw new IllegalArgumentException(where + ": input size " + input + " (padded " + (input + padBefore + padAfter)
                    + ") is smaller than the window " + window);
        }
        return span / stride + 1;
    }

    /**
     * Input rows (or columns) at the far edge that no window covers: (I − F + P_b + P_a) mod S.
     * Zero when the stride fits the slides' formula exactly.
     */
    public static int uncovered(int input, int window, int stride, int padBefore, int padAfter) {
        return (input + padBefore + padAfter - window) % stride;
    }

    /**
     * Padding for Keras/TensorFlow "same": output ceil(I/S), the total pad split with the
     * odd extra at the end (bottom or right). Returns {before, after}.
     */
    public static int[] samePadding(int input, int window, int stride) {
        int out = (input + stride - 1) / stride;
        int total = Math.max(0, (out - 1) * stride + window - input);
        return new int[] {total / 2, total - total / 2};
    }
}
