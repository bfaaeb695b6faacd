package dev.jcnn.backend;

/**
 * The one output-size formula, used by layers, both backends and {@code summary()}:
 * O = floor((I − F + P_before + P_after) / S) + 1 per axis, flooring as Keras, PyTorch and
 * cuDNN do. With symmetric padding P this is the slides' O = (I − F + 2P)/S + 1. A dilated
 * kernel enters as its span ({@link #dilatedWindow}). Pooling's
 * ceil mode (PyTorch's {@code ceil_mode=True}) rounds the division up instead, then drops the
 * last window if it would start past the input and its leading padding, as PyTorch does.
 */
public final class Geometry {

    private Geometry() {
    }

    /**
     * The cells a kernel of F taps with dilation d spans along one axis: d·(F − 1) + 1 (the
     * window to put into {@link #outputSize}); F itself when d = 1.
     */
    public static int dilatedWindow(int kernel, int dilation) {
        if (kernel <= 0 || dilation <= 0) {
            throw new IllegalArgumentException("kernel and dilation must be positive, got kernel " + kernel
                    + ", dilation " + dilation);
        }
        return dilation * (kernel - 1) + 1;
    }

    /**
     * Output size along one axis.
     *
     * @param where names the layer and axis for the error message, e.g. "conv2d_1 height"
     * @throws IllegalArgumentException when the (padded) input is smaller than the window
     */
    public static int outputSize(int input, int window, int stride, int padBefore, int padAfter, String where) {
        return outputSize(input, window, stride, padBefore, padAfter, false, where);
    }

    /**
     * Output size of a transposed convolution along one axis, the inverse of {@link #outputSize}
     * as PyTorch's {@code ConvTranspose2d} and ONNX's {@code ConvTranspose} compute it:
     * O = (I − 1)·S − P_before − P_after + d·(F − 1) + 1 + output_padding, i.e. with the dilated
     * window F' = {@link #dilatedWindow}(F, d), (I − 1)·S + F' − P_b − P_a + output_padding.
     *
     * @param where names the layer and axis for the error message, e.g. "conv2d_transpose_1 height"
     * @throws IllegalArgumentException when the result is not a positive size
     */
    public static int transposedOutputSize(int input, int window, int stride, int padBefore, int padAfter,
            int outputPadding, String where) {
        if (input <= 0 || window <= 0 || stride <= 0 || padBefore < 0 || padAfter < 0 || outputPadding < 0) {
            throw new IllegalArgumentException(where + ": sizes must be positive and paddings non-negative, got input "
                    + input + ", window " + window + ", stride " + stride + ", padding " + padBefore + "/" + padAfter
                    + ", output padding " + outputPadding);
        }
        long out = (long) (input - 1) * stride + window - padBefore - padAfter + outputPadding;
        if (out <= 0 || out > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + ": input size " + input + " with window " + window + ", stride "
                    + stride + ", padding " + padBefore + "/" + padAfter + " and output padding " + outputPadding
                    + " gives output size " + out + ", expected a positive size");
        }
        return (int) out;
    }

    /**
     * Output size along one axis, rounding the division down or, in ceil mode, up: then
     * O = ceil((I − F + P_b + P_a)/S) + 1, less one when the last window would start at or
     * past I + P_b (PyTorch's rule: each window starts inside the input or its leading padding).
     *
     * @param where names the layer and axis for the error message, e.g. "conv2d_1 height"
     * @throws IllegalArgumentException when the (padded) input is smaller than the window
     */
    public static int outputSize(int input, int window, int stride, int padBefore, int padAfter, boolean ceil,
            String where) {
        if (input <= 0 || window <= 0 || stride <= 0 || padBefore < 0 || padAfter < 0) {
            throw new IllegalArgumentException(where + ": sizes must be positive and padding non-negative, got input "
                    + input + ", window " + window + ", stride " + stride + ", padding " + padBefore + "/" + padAfter);
        }
        int span = input + padBefore + padAfter - window;
        if (span < 0) {
            throw new IllegalArgumentException(where + ": input size " + input + " (padded " + (input + padBefore + padAfter)
                    + ") is smaller than the window " + window);
        }
        if (!ceil) {
            return span / stride + 1;
        }
        int out = (span + stride - 1) / stride + 1;
        if ((out - 1) * stride >= input + padBefore) {
            out--;
        }
        return out;
    }

    /**
     * In ceil mode, how far the last window reaches past the padded input (cells beyond
     * I + P_b + P_a, which count for nothing): 0 when the stride fits.
     */
    public static int overhang(int input, int window, int stride, int padBefore, int padAfter) {
        if (input + padBefore + padAfter < window) {
            return 0; // no window at all: outputSize reports it
        }
        int out = outputSize(input, window, stride, padBefore, padAfter, true, "overhang");
        return Math.max(0, (out - 1) * stride + window - (input + padBefore + padAfter));
    }

    /**
     * Input rows (or columns) at the far edge that no window covers: (I − F + P_b + P_a) mod S.
     * Zero when the stride fits the slides' formula exactly.
     */
    public static int uncovered(int input, int window, int stride, int padBefore, int padAfter) {
        return uncovered(input, window, stride, padBefore, padAfter, false);
    }

    /**
     * Cells of the padded input at the far edge that no window covers, in floor or ceil mode
     * (in ceil mode only where PyTorch's rule dropped a window that would start past the input).
     */
    public static int uncovered(int input, int window, int stride, int padBefore, int padAfter, boolean ceil) {
        int out = outputSize(input, window, stride, padBefore, padAfter, ceil, "uncovered");
        return Math.max(0, input + padBefore + padAfter - ((out - 1) * stride + window));
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
