package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.CrossEntropySpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.data.Targets;
import dev.jcnn.tensor.Shape;
import java.util.OptionalInt;

/**
 * Per-pixel softmax cross-entropy for multi-class segmentation, PyTorch's
 * {@code F.cross_entropy} on (N, C, H, W) logits: the softmax runs over the class axis at each
 * position and the loss is the mean over all N·H·W positions. The targets hold one class index
 * per position, as floats, in a tensor of shape (N, 1, H, W) (one channel per sample: the shape
 * {@link #targetShape} gives the trainer). {@link #withLabelSmoothing}, {@link #withClassWeights}
 * and {@link #withIgnoreIndex} follow PyTorch's {@code label_smoothing=}, {@code weight=} and
 * {@code ignore_index=} (the mean divides by the sum of the weights of the positions' classes,
 * ignored positions left out; {@link CrossEntropySpec} has the formula). It reads logits, like
 * {@link SparseCategoricalCrossEntropy}, and is the backend's {@code softmaxCrossEntropy} op:
 * the logits and their gradient stay on the device, the class map is read to the host (one
 * value per position) and checked. Its figure is the share of positions whose most probable
 * class is the target ("pixel_accuracy", over the positions not ignored).
 */
public final class PixelwiseCrossEntropy implements Loss {

    static final Metric PIXEL_ACCURACY = new PixelAccuracy(OptionalInt.empty());

    private final CrossEntropySpec spec;

    /** Plain per-pixel cross-entropy: no smoothing, every class weighted 1, no label ignored. */
    public PixelwiseCrossEntropy() {
        this(CrossEntropySpec.PLAIN);
    }

    private PixelwiseCrossEntropy(CrossEntropySpec spec) {
        this.spec = spec;
    }

    /**
     * This loss with label smoothing ε in [0, 1] (PyTorch's {@code label_smoothing}).
     *
     * @throws IllegalArgumentException when ε is outside [0, 1]
     */
    public PixelwiseCrossEntropy withLabelSmoothing(float epsilon) {
        return new PixelwiseCrossEntropy(spec.withLabelSmoothing(epsilon));
    }

    /**
     * This loss with one weight per class (PyTorch's {@code weight}), the mean weighted by them.
     *
     * @throws IllegalArgumentException when a weight is negative or not finite
     */
    public PixelwiseCrossEntropy withClassWeights(float... classWeights) {
        return new PixelwiseCrossEntropy(spec.withClassWeights(classWeights));
    }

    /**
     * This loss with the positions whose target is {@code label} left out of the loss and its
     * gradient (PyTorch's {@code ignore_index}, e.g. 255 for unlabelled pixels).
     */
    public PixelwiseCrossEntropy withIgnoreIndex(int label) {
        return new PixelwiseCrossEntropy(spec.withIgnoreIndex(label));
    }

    @Override
    public String name() {
        return "pixelwise_crossentropy";
    }

    @Override
    public LossInput input() {
        return LossInput.SOFTMAX_LOGITS;
    }

    @Override
    public Targets targets() {
        return Targets.TENSORS;
    }

    @Override
    public Metric metric() {
        return spec.ignoreIndex().isPresent() ? new PixelAccuracy(spec.ignoreIndex()) : PIXEL_ACCURACY;
    }

    /** One class map per sample: the output's shape (C, H, W) with one channel. */
    @Override
    public Shape targetShape(Shape output) {
        return classMapShape(output);
    }

    /** A per-sample output (C, H, W) with one channel: the shape of its class-index map. */
    static Shape classMapShape(Shape output) {
        int[] dims = output.dims().clone();
        dims[0] = 1;
        return Shape.of(dims);
    }

    @Override
    public float compute(Backend backend, Tensor logits, Tensor targets, Tensor dlogits) {
        Shape shape = logits.shape();
        if (shape.rank() < 3) {
            throw new IllegalArgumentException(name() + ": logits " + shape + ", expected (N, classes, H, W)");
        }
        int[] classMap = classIndices(name(), targets, shape, spec);
        return backend.losses().softmaxCrossEntropy(logits, classMap, spec, dlogits);
    }

    /**
     * The class index of each position of a class map for logits (N, C, ...), checked to be a
     * whole number in [0, C) or the spec's ignored label.
     */
    static int[] classIndices(String loss, Tensor targets, Shape logits, CrossEntropySpec spec) {
        int classes = logits.dim(1);
        int count = logits.size() / classes;
        if (targets.shape().size() != count) {
            throw new IllegalArgumentException(loss + ": targets " + targets.shape() + " hold " + targets.shape().size()
                    + " values, expected one class index per position of logits " + logits + ": " + count);
        }
        float[] values = targets.toArray();
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            boolean ignored = spec.ignoreIndex().isPresent() && v == spec.ignoreIndex().getAsInt();
            if (!ignored && !(v >= 0 && v < classes && v == Math.rint(v))) {
                throw new IllegalArgumentException(loss + ": target " + v + " at index " + i + " of targets "
                        + targets.shape() + " is not a class index in [0, " + classes + ")"
                        + spec.ignoreIndex().stream().mapToObj(l -> " nor the ignored label " + l).findFirst().orElse(""));
            }
            out[i] = (int) v;
        }
        return out;
    }

    /**
     * The share of positions whose most probable class (argmax over the channel axis) is the
     * target, over the positions whose target is not the ignored label.
     */
    private record PixelAccuracy(OptionalInt ignored) implements Metric {
        @Override
        public String name() {
            return "pixel_accuracy";
        }

        @Override
        public Score score(float[] predictions, Shape shape, int[] labels, float[] targets) {
            int n = shape.dim(0);
            int classes = shape.dim(1);
            int positions = shape.size() / (n * classes);
            if (targets == null || targets.length != n * positions) {
                throw new IllegalArgumentException("pixel_accuracy: predictions " + shape + " need " + (n * positions)
                        + " class indices, got " + (targets == null ? "none" : targets.length));
            }
            long hits = 0;
            long count = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < positions; p++) {
                    float target = targets[i * positions + p];
                    if (ignored.isPresent() && target == ignored.getAsInt()) {
                        continue;
                    }
                    int base = i * classes * positions + p;
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (predictions[base + c * positions] > predictions[base + best * positions]) {
                            best = c;
                        }
                    }
                    count++;
                    if (best == (int) target) {
                        hits++;
                    }
                }
            }
            return new Score(hits, count);
        }
    }
}
