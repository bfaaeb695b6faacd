package dev.jcnn.train;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.data.Targets;
import dev.jcnn.tensor.Shape;

/**
 * Soft Dice loss for segmentation, summed over the whole batch, in one of two forms:
 * <ul>
 *   <li>{@link #multiClass}: p = softmax of (N, C, H, W) logits over the class axis, t the
 *       one-hot of a class map (N, 1, H, W) as {@link PixelwiseCrossEntropy} takes it; for each
 *       class c, dice_c = (2 Σ p_c t_c + ε) / (Σ p_c + Σ t_c + ε), the sums over all samples and
 *       positions, and the loss is 1 − (1/C) Σ_c dice_c;</li>
 *   <li>{@link #binary}: p = sigmoid of the logits, t targets in [0, 1] of the output's shape,
 *       and the loss is 1 − (2 Σ p t + ε) / (Σ p + Σ t + ε) over all elements.</li>
 * </ul>
 * ε keeps an empty class (no target, no prediction) at dice 1 and the gradient finite. The loss
 * is computed in double on the host from a copy of the logits, its gradient written back.
 */
public final class DiceLoss implements Loss {

    private static final Metric BINARY_ACCURACY = new BinaryAccuracy();

    private final boolean binary;
    private final double epsilon;

    private DiceLoss(boolean binary, double epsilon) {
        if (!(epsilon > 0 && Double.isFinite(epsilon))) {
            throw new IllegalArgumentException("dice: epsilon " + epsilon + " is not a finite number > 0");
        }
        this.binary = binary;
        this.epsilon = epsilon;
    }

    /**
     * Multi-class soft Dice on softmax probabilities, averaged over the classes.
     *
     * @throws IllegalArgumentException when epsilon is not a finite number &gt; 0
     */
    public static DiceLoss multiClass(double epsilon) {
        return new DiceLoss(false, epsilon);
    }

    /**
     * Binary soft Dice on sigmoid probabilities.
     *
     * @throws IllegalArgumentException when epsilon is not a finite number &gt; 0
     */
    public static DiceLoss binary(double epsilon) {
        return new DiceLoss(true, epsilon);
    }

    @Override
    public String name() {
        return binary ? "binary_dice" : "dice";
    }

    @Override
    public LossInput input() {
        return binary ? LossInput.SIGMOID_LOGITS : LossInput.SOFTMAX_LOGITS;
    }

    @Override
    public Targets targets() {
        return Targets.TENSORS;
    }

    @Override
    public Metric metric() {
        return binary ? BINARY_ACCURACY : PixelwiseCrossEntropy.PIXEL_ACCURACY;
    }

    /** The output's shape for the binary form; a one-channel class map for the multi-class form. */
    @Override
    public Shape targetShape(Shape output) {
        return binary ? output : PixelwiseCrossEntropy.classMapShape(output);
    }

    @Override
    public float compute(Backend backend, Tensor logits, Tensor targets, Tensor dlogits) {
        Shape shape = logits.shape();
        if (shape.rank() < 2) {
            throw new IllegalArgumentException(name() + ": logits " + shape + ", expected (N, C, ...)");
        }
        if (dlogits != null && !dlogits.shape().equals(shape)) {
            throw new IllegalArgumentException(name() + ": dlogits " + dlogits.shape() + ", expected " + shape);
        }
        float[] z = logits.toArray();
        float[] grad = dlogits == null ? null : new float[z.length];
        double loss = binary ? binary(z, binaryTargets(targets, shape), grad) : multiClass(z, shape, targets, grad);
        if (grad != null) {
            backend.write(dlogits, grad);
        }
        return (float) loss;
    }

    private float[] binaryTargets(Tensor targets, Shape shape) {
        if (!targets.shape().equals(shape)) {
            throw new IllegalArgumentException(name() + ": targets " + targets.shape() + ", expected the logits' shape "
                    + shape);
        }
        float[] t = targets.toArray();
        for (int i = 0; i < t.length; i++) {
            if (!(t[i] >= 0f && t[i] <= 1f)) {
                throw new IllegalArgumentException(name() + ": target " + t[i] + " at index " + i + " of targets "
                        + shape + " is outside [0, 1]");
            }
        }
        return t;
    }

    private double binary(float[] z, float[] t, float[] grad) {
        double[] p = new double[z.length];
        double intersection = 0;
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = 1 / (1 + Math.exp(-z[i]));
            intersection += p[i] * t[i];
            sum += p[i] + t[i];
        }
        double denominator = sum + epsilon;
        double numerator = 2 * intersection + epsilon;
        if (grad != null) {
            for (int i = 0; i < z.length; i++) {
                double dp = -(2 * t[i] * denominator - numerator) / (denominator * denominator);
                grad[i] = (float) (dp * p[i] * (1 - p[i]));
            }
        }
        return 1 - numerator / denominator;
    }

    private double multiClass(float[] z, Shape shape, Tensor targets, float[] grad) {
        int n = shape.dim(0);
        int classes = shape.dim(1);
        int positions = shape.size() / (n * classes);
        int[] map = PixelwiseCrossEntropy.classIndices(name(), targets, n, classes, positions);
        double[] p = new double[z.length];
        double[] intersection = new double[classes];
        double[] sum = new double[classes];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < positions; q++) {
                int base = i * classes * positions + q;
                double logSum = SoftmaxCrossEntropyMath.logSumExp(z, base, classes, positions);
                int y = map[i * positions + q];
                for (int c = 0; c < classes; c++) {
                    double pc = Math.exp(z[base + c * positions] - logSum);
                    p[base + c * positions] = pc;
                    sum[c] += pc + (c == y ? 1 : 0);
                    if (c == y) {
                        intersection[c] += pc;
                    }
                }
            }
        }
        double meanDice = 0;
        for (int c = 0; c < classes; c++) {
            meanDice += (2 * intersection[c] + epsilon) / (sum[c] + epsilon) / classes;
        }
        if (grad != null) {
            double[] dp = new double[classes];
            for (int i = 0; i < n; i++) {
                for (int q = 0; q < positions; q++) {
                    int base = i * classes * positions + q;
                    int y = map[i * positions + q];
                    double dot = 0;
                    for (int c = 0; c < classes; c++) {
                        double denominator = sum[c] + epsilon;
                        double numerator = 2 * intersection[c] + epsilon;
                        dp[c] = -((c == y ? 2 : 0) * denominator - numerator) / (denominator * denominator) / classes;
                        dot += dp[c] * p[base + c * positions];
                    }
                    for (int c = 0; c < classes; c++) {
                        grad[base + c * positions] = (float) (p[base + c * positions] * (dp[c] - dot));
                    }
                }
            }
        }
        return 1 - meanDice;
    }
}
