package dev.jcnn.backend;

import static dev.jcnn.backend.Checks.distinct;
import static dev.jcnn.backend.Checks.notNull;

import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The backend-independent argument checks of every {@link Backend} op: shapes, ranks, channel
 * counts, null specs, outputs distinct from inputs, label and target ranges. One method per op,
 * named after it; each throws {@link IllegalArgumentException} with the op's name, the tensor,
 * the value received and what was expected, so that every backend words its errors alike.
 *
 * <p>A backend first checks that each tensor is open and its own (those checks, and
 * device limits, stay in the backend), then calls the op's method here, then computes. The
 * methods return what the computation needs, such as the output shape or the channel count.
 */
public final class OpChecks {

    private OpChecks() {
    }

    /** The sizes of a dense layer's batch: N samples of {@code in} values, {@code out} outputs each. */
    public record DenseSizes(int n, int in, int out) {
    }

    // ---- memory -------------------------------------------------------------------------

    /** For allocate (source null) and upload: the shape is given and the source fills it exactly. */
    public static void newTensor(String op, Shape shape, float[] source) {
        notNull(op, "shape", shape);
        if (source != null && source.length != shape.size()) {
            throw new IllegalArgumentException(op + ": array holds " + source.length + " values, shape " + shape
                    + " needs exactly " + shape.size());
        }
    }

    // ---- elementwise --------------------------------------------------------------------

    public static void copy(Tensor src, Tensor dst) {
        Checks.sameSize("copy", "src", src, "dst", dst);
    }

    public static void add(Tensor a, Tensor b, Tensor out) {
        sameShapes("add", a, b, out);
    }

    public static void multiply(Tensor a, Tensor b, Tensor out) {
        sameShapes("multiply", a, b, out);
    }

    private static void sameShapes(String op, Tensor a, Tensor b, Tensor out) {
        Checks.shape(op, "b", b, a.shape());
        Checks.shape(op, "out", out, a.shape());
    }

    public static void scale(Tensor a, Tensor out) {
        Checks.shape("scale", "out", out, a.shape());
    }

    public static void zeroPad(Tensor x, Padding2D padding, Tensor y) {
        String op = "zeroPad";
        Checks.rank(op, "x", x, 4);
        notNull(op, "padding", padding);
        Checks.shape(op, "y", y, padded(x.shape(), padding));
        distinct(op, "y", y, "x", x);
    }

    public static void zeroPadBackward(Tensor dy, Padding2D padding, Tensor dx) {
        String op = "zeroPadBackward";
        Checks.rank(op, "dx", dx, 4);
        notNull(op, "padding", padding);
        Checks.shape(op, "dy", dy, padded(dx.shape(), padding));
        distinct(op, "dx", dx, "dy", dy);
    }

    private static Shape padded(Shape s, Padding2D p) {
        return Shape.of(s.dim(0), s.dim(1), s.dim(2) + p.top() + p.bottom(), s.dim(3) + p.left() + p.right());
    }

    // ---- convolution --------------------------------------------------------------------

    /** Returns the shape of y. b may be null. */
    public static Shape convForward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y) {
        String op = "convForward";
        Shape out = convOutput(op, x, w, spec);
        if (b != null) {
            Checks.shape(op, "b", b, Shape.of(w.shape().dim(0)));
        }
        Checks.shape(op, "y", y, out);
        distinct(op, "y", y, "x", x, "w", w, "b", b);
        return out;
    }

    /** Returns the shape of dy. */
    public static Shape convBackwardData(Tensor dy, Tensor w, ConvSpec spec, Tensor dx) {
        String op = "convBackwardData";
        Shape out = convOutput(op, dx, w, spec);
        Checks.shape(op, "dy", dy, out);
        distinct(op, "dx", dx, "dy", dy, "w", w);
        return out;
    }

    /** Returns the shape of dy. */
    public static Shape convBackwardFilter(Tensor x, Tensor dy, ConvSpec spec, Tensor dw) {
        String op = "convBackwardFilter";
        Shape out = convOutput(op, x, dw, spec);
        Checks.shape(op, "dy", dy, out);
        distinct(op, "dw", dw, "x", x, "dy", dy);
        return out;
    }

    /** Checks an image x against weights w and the spec; returns the output shape. */
    private static Shape convOutput(String op, Tensor x, Tensor w, ConvSpec spec) {
        notNull(op, "spec", spec);
        Checks.rank(op, "x", x, 4);
        Checks.rank(op, "w", w, 4);
        int channels = x.shape().dim(1);
        int filters = w.shape().dim(0);
        if (w.shape().dim(1) != channels) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " has " + channels
                    + " channels but the weights " + w.shape() + " expect " + w.shape().dim(1));
        }
        Checks.shape(op, "w", w, spec.weightShape(channels, filters));
        try {
            return spec.outputShape(x.shape(), filters);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    /** dy is (N, C) or (N, C, H, W); db is (C). */
    public static void biasBackward(Tensor dy, Tensor db) {
        String op = "biasBackward";
        Shape s = dy.shape();
        if (s.rank() < 2) {
            throw new IllegalArgumentException(op + ": dy has shape " + s + ", expected (N, C) or (N, C, H, W)");
        }
        Checks.shape(op, "db", db, Shape.of(s.dim(1)));
        distinct(op, "db", db, "dy", dy);
    }

    // ---- pooling ------------------------------------------------------------------------

    /** Returns the shape of y. */
    public static Shape poolForward(Tensor x, PoolSpec spec, Tensor y) {
        String op = "poolForward";
        Shape out = poolOutput(op, x, spec);
        Checks.shape(op, "y", y, out);
        distinct(op, "y", y, "x", x);
        return out;
    }

    /** Returns the shape of y and dy. */
    public static Shape poolBackward(Tensor x, Tensor y, Tensor dy, PoolSpec spec, Tensor dx) {
        String op = "poolBackward";
        Shape out = poolOutput(op, x, spec);
        Checks.shape(op, "y", y, out);
        Checks.shape(op, "dy", dy, out);
        Checks.shape(op, "dx", dx, x.shape());
        distinct(op, "dx", dx, "x", x, "y", y, "dy", dy);
        return out;
    }

    private static Shape poolOutput(String op, Tensor x, PoolSpec spec) {
        notNull(op, "spec", spec);
        Checks.rank(op, "x", x, 4);
        try {
            return spec.outputShape(x.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    // ---- dense --------------------------------------------------------------------------

    /** w is (out, in), b (out) or null, y (N, out). */
    public static DenseSizes denseForward(Tensor x, Tensor w, Tensor b, Tensor y) {
        String op = "denseForward";
        DenseSizes d = denseSizes(op, "x", x, w);
        if (b != null) {
            Checks.shape(op, "b", b, Shape.of(d.out()));
        }
        Checks.shape(op, "y", y, Shape.of(d.n(), d.out()));
        distinct(op, "y", y, "x", x, "w", w, "b", b);
        return d;
    }

    public static DenseSizes denseBackwardData(Tensor dy, Tensor w, Tensor dx) {
        String op = "denseBackwardData";
        DenseSizes d = denseSizes(op, "dx", dx, w);
        Checks.shape(op, "dy", dy, Shape.of(d.n(), d.out()));
        distinct(op, "dx", dx, "dy", dy, "w", w);
        return d;
    }

    public static DenseSizes denseBackwardWeights(Tensor x, Tensor dy, Tensor dw) {
        String op = "denseBackwardWeights";
        DenseSizes d = denseSizes(op, "x", x, dw);
        Checks.shape(op, "dy", dy, Shape.of(d.n(), d.out()));
        distinct(op, "dw", dw, "x", x, "dy", dy);
        return d;
    }

    /** The sizes of weights (out, in), after checking that x holds in values per sample. */
    private static DenseSizes denseSizes(String op, String xName, Tensor x, Tensor w) {
        Checks.rank(op, "w", w, 2);
        int out = w.shape().dim(0);
        int in = w.shape().dim(1);
        if (x.shape().rank() < 2) {
            throw new IllegalArgumentException(op + ": " + xName + " has shape " + x.shape() + ", expected (N, " + in
                    + ") or a batch of N samples of " + in + " values");
        }
        int perSample = x.shape().sampleSize();
        if (perSample != in) {
            throw new IllegalArgumentException(op + ": " + xName + " has shape " + x.shape() + " with " + perSample
                    + " values per sample, expected " + in + " to match the weights " + w.shape());
        }
        return new DenseSizes(x.shape().batch(), in, out);
    }

    // ---- activations --------------------------------------------------------------------

    public static void activationForward(ActivationSpec f, Tensor x, Tensor y) {
        String op = "activationForward";
        notNull(op, "activation", f);
        Checks.shape(op, "y", y, x.shape());
    }

    public static void activationBackward(ActivationSpec f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        String op = "activationBackward";
        notNull(op, "activation", f);
        Checks.shape(op, "y", y, x.shape());
        Checks.shape(op, "dy", dy, x.shape());
        Checks.shape(op, "dx", dx, x.shape());
        distinct(op, "dx", dx, "x", x, "y", y, "dy", dy);
    }

    /** Returns the channels of x. */
    public static int preluForward(Tensor x, Tensor alpha, Tensor y) {
        String op = "preluForward";
        int channels = channels(op, x);
        Checks.shape(op, "alpha", alpha, Shape.of(channels));
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "x", x, "alpha", alpha);
        return channels;
    }

    /** Returns the channels of x. */
    public static int preluBackward(Tensor x, Tensor alpha, Tensor dy, Tensor dx, Tensor dalpha) {
        String op = "preluBackward";
        int channels = channels(op, x);
        Checks.shape(op, "alpha", alpha, Shape.of(channels));
        Checks.shape(op, "dy", dy, x.shape());
        Checks.shape(op, "dx", dx, x.shape());
        Checks.shape(op, "dalpha", dalpha, Shape.of(channels));
        distinct(op, "dx", dx, "x", x, "alpha", alpha, "dy", dy, "dalpha", dalpha);
        distinct(op, "dalpha", dalpha, "x", x, "alpha", alpha, "dy", dy);
        return channels;
    }

    /** The op's name: logSoftmaxForward or softmaxForward. */
    public static String softmaxForwardName(boolean log) {
        return log ? "logSoftmaxForward" : "softmaxForward";
    }

    /** The op's name: logSoftmaxBackward or softmaxBackward. */
    public static String softmaxBackwardName(boolean log) {
        return log ? "logSoftmaxBackward" : "softmaxBackward";
    }

    /** Returns the classes of x, on axis 1. */
    public static int softmaxForward(Tensor x, boolean log, Tensor y) {
        String op = softmaxForwardName(log);
        int classes = channels(op, x);
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "x", x);
        return classes;
    }

    /** Returns the classes of y, on axis 1. */
    public static int softmaxBackward(Tensor y, Tensor dy, boolean log, Tensor dx) {
        String op = softmaxBackwardName(log);
        int classes = channels(op, y);
        Checks.shape(op, "dy", dy, y.shape());
        Checks.shape(op, "dx", dx, y.shape());
        distinct(op, "dx", dx, "y", y, "dy", dy);
        return classes;
    }

    /** The size of axis 1, the channels of (N, C, ...) or the features of (N, F). */
    private static int channels(String op, Tensor x) {
        if (x.shape().rank() < 2) {
            throw new IllegalArgumentException(op + ": x has shape " + x.shape()
                    + ", expected (N, C) or (N, C, H, W) with channels on axis 1");
        }
        return x.shape().dim(1);
    }

    // ---- channels and resampling --------------------------------------------------------

    /** Returns the channels of x. y may be x (the bias is added in place). */
    public static int addBias(Tensor x, Tensor b, Tensor y) {
        String op = "addBias";
        int channels = channels(op, x);
        Checks.shape(op, "b", b, Shape.of(channels));
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "b", b);
        return channels;
    }

    /**
     * Returns the channel counts of the parts. {@code owned} receives each part with its name
     * ("xs[i]") before that part's shape is checked: the backend's ownership check.
     */
    public static int[] concatChannels(List<Tensor> xs, Tensor y, BiConsumer<String, Tensor> owned) {
        String op = "concatChannels";
        int[] channels = stackedChannels(op, "xs", xs, "y", y, owned);
        for (int i = 0; i < channels.length; i++) {
            distinct(op, "y", y, "xs[" + i + "]", xs.get(i));
        }
        return channels;
    }

    /** As {@link #concatChannels}, for the parts dxs of dy; the parts must be distinct tensors. */
    public static int[] splitChannels(Tensor dy, List<Tensor> dxs, BiConsumer<String, Tensor> owned) {
        String op = "splitChannels";
        int[] channels = stackedChannels(op, "dxs", dxs, "dy", dy, owned);
        for (int i = 0; i < channels.length; i++) {
            distinct(op, "dxs[" + i + "]", dxs.get(i), "dy", dy);
            for (int j = 0; j < i; j++) {
                distinct(op, "dxs[" + i + "]", dxs.get(i), "dxs[" + j + "]", dxs.get(j));
            }
        }
        return channels;
    }

    /**
     * Checks that the parts stack along axis 1 into whole (same rank, same other axes, channels
     * adding up) and returns their channel counts.
     */
    private static int[] stackedChannels(String op, String partsName, List<Tensor> parts, String wholeName,
            Tensor whole, BiConsumer<String, Tensor> owned) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException(op + ": " + partsName + " is " + (parts == null ? "null" : "empty")
                    + ", expected at least one tensor");
        }
        channels(op, whole);
        Shape w = whole.shape();
        int[] channels = new int[parts.size()];
        int total = 0;
        for (int i = 0; i < parts.size(); i++) {
            String name = partsName + "[" + i + "]";
            owned.accept(name, parts.get(i));
            Shape s = parts.get(i).shape();
            boolean fits = s.rank() == w.rank() && s.dim(0) == w.dim(0);
            for (int a = 2; fits && a < s.rank(); a++) {
                fits = s.dim(a) == w.dim(a);
            }
            if (!fits) {
                throw new IllegalArgumentException(op + ": " + name + " has shape " + s + ", expected the axes of "
                        + wholeName + " " + w + " except axis 1");
            }
            channels[i] = s.dim(1);
            total += channels[i];
        }
        if (total != w.dim(1)) {
            throw new IllegalArgumentException(op + ": the channels of " + partsName + " add up to " + total + ", but "
                    + wholeName + " " + w + " has " + w.dim(1));
        }
        return channels;
    }

    /** Returns the shape of y. */
    public static Shape upsampleForward(Tensor x, UpsampleSpec spec, Tensor y) {
        String op = "upsampleForward";
        Shape out = upsampleOutput(op, "x", x, spec);
        Checks.shape(op, "y", y, out);
        distinct(op, "y", y, "x", x);
        return out;
    }

    /** Returns the shape of dy. */
    public static Shape upsampleBackward(Tensor dy, UpsampleSpec spec, Tensor dx) {
        String op = "upsampleBackward";
        Shape out = upsampleOutput(op, "dx", dx, spec);
        Checks.shape(op, "dy", dy, out);
        distinct(op, "dx", dx, "dy", dy);
        return out;
    }

    /** Checks the image (x, or dx for the backward pass) and the spec; returns the upsampled shape. */
    private static Shape upsampleOutput(String op, String name, Tensor x, UpsampleSpec spec) {
        notNull(op, "spec", spec);
        Checks.rank(op, name, x, 4);
        try {
            return spec.outputShape(x.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    // ---- normalization ------------------------------------------------------------------

    /** Returns the channels of x; each channel must hold at least two values in the batch. */
    public static int batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, BatchNormSpec spec,
            Tensor runningMean, Tensor runningVar, Tensor y, Tensor savedMean, Tensor savedInvStd) {
        String op = "batchNormForwardTraining";
        notNull(op, "spec", spec);
        int c = channels(op, x);
        int count = x.shape().size() / c;
        Shape perChannel = Shape.of(c);
        Checks.shape(op, "gamma", gamma, perChannel);
        Checks.shape(op, "beta", beta, perChannel);
        Checks.shape(op, "runningMean", runningMean, perChannel);
        Checks.shape(op, "runningVar", runningVar, perChannel);
        Checks.shape(op, "savedMean", savedMean, perChannel);
        Checks.shape(op, "savedInvStd", savedInvStd, perChannel);
        Checks.shape(op, "y", y, x.shape());
        if (count < 2) {
            throw new IllegalArgumentException(op + ": x " + x.shape() + " has " + count
                    + " value per channel, expected more than one to estimate a variance in training");
        }
        distinct(op, "y", y, "x", x, "gamma", gamma, "beta", beta, "runningMean", runningMean, "runningVar", runningVar);
        distinct(op, "savedMean", savedMean, "x", x, "y", y, "savedInvStd", savedInvStd, "runningMean", runningMean);
        distinct(op, "savedInvStd", savedInvStd, "x", x, "y", y, "runningVar", runningVar);
        return c;
    }

    /** Returns the channels of x. */
    public static int batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
            Tensor runningVar, BatchNormSpec spec, Tensor y) {
        String op = "batchNormForwardInference";
        notNull(op, "spec", spec);
        int c = channels(op, x);
        Shape perChannel = Shape.of(c);
        Checks.shape(op, "gamma", gamma, perChannel);
        Checks.shape(op, "beta", beta, perChannel);
        Checks.shape(op, "runningMean", runningMean, perChannel);
        Checks.shape(op, "runningVar", runningVar, perChannel);
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "gamma", gamma, "beta", beta, "runningMean", runningMean, "runningVar", runningVar);
        return c;
    }

    /** Returns the channels of x. */
    public static int batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor savedMean, Tensor savedInvStd,
            Tensor dx, Tensor dgamma, Tensor dbeta) {
        String op = "batchNormBackward";
        int c = channels(op, x);
        Shape perChannel = Shape.of(c);
        Checks.shape(op, "dy", dy, x.shape());
        Checks.shape(op, "dx", dx, x.shape());
        Checks.shape(op, "gamma", gamma, perChannel);
        Checks.shape(op, "savedMean", savedMean, perChannel);
        Checks.shape(op, "savedInvStd", savedInvStd, perChannel);
        Checks.shape(op, "dgamma", dgamma, perChannel);
        Checks.shape(op, "dbeta", dbeta, perChannel);
        distinct(op, "dx", dx, "x", x, "dy", dy);
        distinct(op, "dgamma", dgamma, "gamma", gamma, "savedMean", savedMean, "savedInvStd", savedInvStd, "dbeta", dbeta);
        distinct(op, "dbeta", dbeta, "gamma", gamma, "savedMean", savedMean, "savedInvStd", savedInvStd);
        return c;
    }

    // ---- losses -------------------------------------------------------------------------

    /** logits are (N, classes); every label must lie in [0, classes). dlogits may be null. */
    public static void softmaxCrossEntropy(Tensor logits, int[] labels, Tensor dlogits) {
        String op = "softmaxCrossEntropy";
        Checks.rank(op, "logits", logits, 2);
        Checks.labels(op, labels, logits.shape().dim(0), logits.shape().dim(1));
        if (dlogits != null) {
            Checks.shape(op, "dlogits", dlogits, logits.shape());
            distinct(op, "dlogits", dlogits, "logits", logits);
        }
    }

    /**
     * Every target must lie in [0, 1]; {@code targetValues} are the values of targets, read by
     * the backend. dlogits may be null.
     */
    public static void sigmoidCrossEntropy(Tensor logits, Tensor targets, float[] targetValues, Tensor dlogits) {
        String op = "sigmoidCrossEntropy";
        Checks.shape(op, "targets", targets, logits.shape());
        for (int i = 0; i < targetValues.length; i++) {
            if (!(targetValues[i] >= 0f && targetValues[i] <= 1f)) {
                throw new IllegalArgumentException(op + ": target " + targetValues[i] + " at index " + i
                        + " of targets " + targets.shape() + " is outside [0, 1]");
            }
        }
        if (dlogits != null) {
            Checks.shape(op, "dlogits", dlogits, logits.shape());
            distinct(op, "dlogits", dlogits, "logits", logits, "targets", targets);
        }
    }

    /** dpredictions may be null. */
    public static void meanSquaredError(Tensor predictions, Tensor targets, Tensor dpredictions) {
        String op = "meanSquaredError";
        Checks.shape(op, "targets", targets, predictions.shape());
        if (dpredictions != null) {
            Checks.shape(op, "dpredictions", dpredictions, predictions.shape());
            distinct(op, "dpredictions", dpredictions, "predictions", predictions, "targets", targets);
        }
    }

    // ---- optimizers ---------------------------------------------------------------------

    /**
     * Returns whether the update uses the velocity (momentum is not zero); velocity may then
     * not be null, and is not looked at otherwise.
     */
    public static boolean sgdUpdate(Tensor param, Tensor grad, Tensor velocity, SgdSpec spec) {
        String op = "sgdUpdate";
        notNull(op, "spec", spec);
        Checks.shape(op, "grad", grad, param.shape());
        boolean momentum = spec.momentum() != 0f;
        if (momentum) {
            if (velocity == null) {
                throw new IllegalArgumentException(op + ": momentum " + spec.momentum()
                        + " needs a velocity tensor of shape " + param.shape() + ", got null");
            }
            Checks.shape(op, "velocity", velocity, param.shape());
            distinct(op, "velocity", velocity, "param", param, "grad", grad);
        }
        distinct(op, "param", param, "grad", grad);
        return momentum;
    }

    /** Steps count from 1. */
    public static void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamSpec spec, int step) {
        String op = "adamUpdate";
        notNull(op, "spec", spec);
        if (step < 1) {
            throw new IllegalArgumentException(op + ": step " + step + " is not a valid step, steps count from 1");
        }
        Checks.shape(op, "grad", grad, param.shape());
        Checks.shape(op, "m", m, param.shape());
        Checks.shape(op, "v", v, param.shape());
        distinct(op, "param", param, "grad", grad, "m", m, "v", v);
        distinct(op, "m", m, "grad", grad, "v", v);
        distinct(op, "v", v, "grad", grad);
    }
}
