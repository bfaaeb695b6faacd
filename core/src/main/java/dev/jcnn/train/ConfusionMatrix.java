package dev.jcnn.train;

import dev.jcnn.tensor.Shape;

/**
 * Counts of (true class, predicted class) over samples or pixels, from which per-class
 * precision and recall and the mean IoU are read. The predictions of a batch are read as:
 * <ul>
 *   <li>(N, C) scores with C ≥ 2 and N labels: the argmax against the label;</li>
 *   <li>(N, C, H, W) scores with C ≥ 2 and targets of the same shape (one-hot, the argmax is
 *       the true class) or of N·H·W values (the class index of each pixel): per pixel, the
 *       argmax over the channels against the true class;</li>
 *   <li>one probability per sample or pixel (C = 1, a sigmoid output) with targets of the
 *       same shape: two classes, 1 where the value is above 0.5, else 0.</li>
 * </ul>
 */
public final class ConfusionMatrix {

    private final int classes;
    private final long[] counts;

    /** @throws IllegalArgumentException when classes is below 2 */
    public ConfusionMatrix(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("confusion matrix: " + classes + " classes, expected 2 or more");
        }
        this.classes = classes;
        this.counts = new long[classes * classes];
    }

    public int classes() {
        return classes;
    }

    /** How many samples (or pixels) of true class {@code truth} were predicted as {@code predicted}. */
    public long count(int truth, int predicted) {
        return counts[index(truth) * classes + index(predicted)];
    }

    /**
     * Adds one batch (see the class comment for the shapes it reads).
     *
     * @throws IllegalArgumentException when the shapes, the class count, the labels or targets do not fit
     */
    public void add(float[] predictions, Shape shape, int[] labels, float[] targets) {
        if (shape.rank() < 2 || predictions.length != shape.size()) {
            throw new IllegalArgumentException("confusion matrix: " + predictions.length + " predictions of shape " + shape
                    + ", expected (N, classes) or (N, classes, H, W)");
        }
        int n = shape.dim(0);
        int c = shape.dim(1);
        int positions = shape.size() / (n * c);
        if (c == 1) {
            addBinary(predictions, targets, shape);
            return;
        }
        if (c != classes) {
            throw new IllegalArgumentException("confusion matrix of " + classes + " classes: the predictions " + shape
                    + " score " + c);
        }
        if (labels != null && positions == 1) {
            if (labels.length != n) {
                throw new IllegalArgumentException("confusion matrix: " + labels.length + " labels for " + n + " samples");
            }
            for (int i = 0; i < n; i++) {
                record(labels[i], Accuracy.argmax(predictions, i * c, c), "label of sample " + i);
            }
            return;
        }
        if (targets == null) {
            throw new IllegalArgumentException("confusion matrix: predictions of shape " + shape
                    + " need per-pixel targets, got none");
        }
        boolean oneHot = targets.length == shape.size();
        if (!oneHot && targets.length != n * positions) {
            throw new IllegalArgumentException("confusion matrix: " + targets.length + " targets for predictions of shape "
                    + shape + ", expected " + shape.size() + " (one-hot) or " + (n * positions) + " (a class per pixel)");
        }
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < positions; p++) {
                int predicted = argmaxOverChannels(predictions, i, p, c, positions);
                int truth;
                if (oneHot) {
                    truth = argmaxOverChannels(targets, i, p, c, positions);
                } else {
                    float t = targets[i * positions + p];
                    truth = Math.round(t);
                    if (truth != t) {
                        throw new IllegalArgumentException("confusion matrix: target " + t + " of sample " + i
                                + " at position " + p + " is not a class index");
                    }
                }
                record(truth, predicted, "target of sample " + i + " at position " + p);
            }
        }
    }

    private void addBinary(float[] predictions, float[] targets, Shape shape) {
        if (classes != 2) {
            throw new IllegalArgumentException("confusion matrix of " + classes + " classes: the predictions " + shape
                    + " hold one probability each, which gives 2 classes");
        }
        if (targets == null || targets.length != predictions.length) {
            throw new IllegalArgumentException("confusion matrix: " + predictions.length + " probabilities need as many"
                    + " targets, got " + (targets == null ? "none" : targets.length));
        }
        for (int i = 0; i < predictions.length; i++) {
            counts[(targets[i] > 0.5f ? 1 : 0) * classes + (predictions[i] > 0.5f ? 1 : 0)]++;
        }
    }

    private static int argmaxOverChannels(float[] v, int sample, int position, int channels, int positions) {
        int base = sample * channels * positions + position;
        int best = 0;
        for (int ch = 1; ch < channels; ch++) {
            if (v[base + ch * positions] > v[base + best * positions]) {
                best = ch;
            }
        }
        return best;
    }

    private void record(int truth, int predicted, String where) {
        if (truth < 0 || truth >= classes) {
            throw new IllegalArgumentException("confusion matrix: " + where + " is " + truth + ", expected 0 to "
                    + (classes - 1));
        }
        counts[truth * classes + predicted]++;
    }

    private int index(int c) {
        if (c < 0 || c >= classes) {
            throw new IllegalArgumentException("confusion matrix: class " + c + ", expected 0 to " + (classes - 1));
        }
        return c;
    }

    /** True positives of class c. */
    public long truePositives(int c) {
        return count(c, c);
    }

    /** Samples predicted as c. */
    public long predicted(int c) {
        long s = 0;
        for (int t = 0; t < classes; t++) {
            s += counts[t * classes + index(c)];
        }
        return s;
    }

    /** Samples of true class c. */
    public long actual(int c) {
        long s = 0;
        for (int p = 0; p < classes; p++) {
            s += counts[index(c) * classes + p];
        }
        return s;
    }

    /** TP / predicted of class c; NaN when nothing was predicted as c. */
    public double precision(int c) {
        long d = predicted(c);
        return d == 0 ? Double.NaN : (double) truePositives(c) / d;
    }

    /** TP / actual of class c; NaN when no sample is of class c. */
    public double recall(int c) {
        long d = actual(c);
        return d == 0 ? Double.NaN : (double) truePositives(c) / d;
    }

    /** TP / (actual + predicted − TP) of class c; NaN when c is neither true nor predicted anywhere. */
    public double iou(int c) {
        long union = actual(c) + predicted(c) - truePositives(c);
        return union == 0 ? Double.NaN : (double) truePositives(c) / union;
    }

    /**
     * The mean of {@link #iou} over the classes that occur (as truth or prediction), as Keras'
     * {@code MeanIoU}: classes with an empty union are left out; NaN when nothing was added.
     */
    public double meanIou() {
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            double v = iou(c);
            if (!Double.isNaN(v)) {
                sum += v;
                present++;
            }
        }
        return present == 0 ? Double.NaN : sum / present;
    }

    /** Adds another matrix's counts. */
    public void addAll(ConfusionMatrix other) {
        if (other.classes != classes) {
            throw new IllegalArgumentException("confusion matrix of " + classes + " classes cannot add one of "
                    + other.classes);
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
    }
}
