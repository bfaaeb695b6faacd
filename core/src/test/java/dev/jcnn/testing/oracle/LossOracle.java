package dev.jcnn.testing.oracle;

import dev.jcnn.backend.CrossEntropySpec;
import dev.jcnn.tensor.Shape;

/** The losses in double: the value and the gradient of the mean. */
public final class LossOracle {

    private LossOracle() {
    }

    /** A loss value and its gradient with respect to the first argument. */
    public record Loss(double value, double[] gradient) {
    }

    /**
     * PyTorch's {@code F.cross_entropy(weight=, label_smoothing=, ignore_index=)} mean over
     * logits (N, C, P positions), written as its definition: at each position not ignored the
     * target distribution q = (1 − ε)·one-hot(y) + ε/C, the term Σ_c w_c q_c (−log p_c), the
     * sum of the terms divided by Σ w_y. Its gradient at a position is (p_k Σ_c a_c − a_k)/Z
     * with a_c = w_c q_c (the derivative of −log softmax), worked out per element.
     */
    public static Loss crossEntropy(float[] logits, Shape shape, int[] labels, CrossEntropySpec spec) {
        int batch = shape.dim(0);
        int classes = shape.dim(1);
        int positions = shape.size() / (batch * classes);
        double eps = spec.labelSmoothing();
        double z = 0;
        for (int label : labels) {
            z += spec.ignores(label) ? 0 : spec.classWeight(label);
        }
        double[] grad = new double[logits.length];
        double total = 0;
        for (int n = 0; n < batch; n++) {
            for (int q = 0; q < positions; q++) {
                int y = labels[n * positions + q];
                if (spec.ignores(y)) {
                    continue;
                }
                double[] logP = logSoftmaxAt(logits, n, q, classes, positions);
                double[] a = new double[classes];
                double aSum = 0;
                for (int c = 0; c < classes; c++) {
                    double target = (c == y ? 1 - eps : 0) + eps / classes;
                    a[c] = spec.classWeight(c) * target;
                    aSum += a[c];
                    if (a[c] != 0) {
                        total -= a[c] * logP[c];
                    }
                }
                for (int c = 0; c < classes; c++) {
                    grad[(n * classes + c) * positions + q] = (Math.exp(logP[c]) * aSum - a[c]) / z;
                }
            }
        }
        return new Loss(total / z, grad);
    }

    /**
     * Soft Dice over logits (N, C, P positions) against one-hot labels: per class c,
     * dice_c = (2 Σ p_c t_c + ε) / (Σ p_c + Σ t_c + ε), loss 1 − mean over c; the gradient by
     * the chain rule through each position's softmax Jacobian p_c (δ_ck − p_k).
     */
    public static Loss softmaxDice(float[] logits, Shape shape, int[] labels, double epsilon) {
        int batch = shape.dim(0);
        int classes = shape.dim(1);
        int positions = shape.size() / (batch * classes);
        double[][] p = new double[batch * positions][];
        double[] intersection = new double[classes];
        double[] sum = new double[classes];
        for (int n = 0; n < batch; n++) {
            for (int q = 0; q < positions; q++) {
                int j = n * positions + q;
                p[j] = softmaxAt(logits, n, q, classes, positions);
                for (int c = 0; c < classes; c++) {
                    double t = labels[j] == c ? 1 : 0;
                    intersection[c] += p[j][c] * t;
                    sum[c] += p[j][c] + t;
                }
            }
        }
        double meanDice = 0;
        for (int c = 0; c < classes; c++) {
            meanDice += (2 * intersection[c] + epsilon) / (sum[c] + epsilon) / classes;
        }
        double[] grad = new double[logits.length];
        for (int n = 0; n < batch; n++) {
            for (int q = 0; q < positions; q++) {
                int j = n * positions + q;
                for (int k = 0; k < classes; k++) {
                    double g = 0;
                    for (int c = 0; c < classes; c++) {
                        double t = labels[j] == c ? 1 : 0;
                        double num = 2 * intersection[c] + epsilon;
                        double den = sum[c] + epsilon;
                        // d(dice_c)/d(p_c) = (2 t den − num) / den²; the loss is −mean of the dice
                        double dLossDp = -(2 * t * den - num) / (den * den) / classes;
                        g += dLossDp * p[j][c] * ((c == k ? 1 : 0) - p[j][k]);
                    }
                    grad[(n * classes + k) * positions + q] = g;
                }
            }
        }
        return new Loss(1 - meanDice, grad);
    }

    /** Binary soft Dice 1 − (2 Σ p t + ε) / (Σ p + Σ t + ε) of p = σ(logits), over all elements. */
    public static Loss sigmoidDice(float[] logits, float[] targets, double epsilon) {
        double[] p = new double[logits.length];
        double intersection = 0;
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = 1 / (1 + Math.exp(-(double) logits[i]));
            intersection += p[i] * targets[i];
            sum += p[i] + targets[i];
        }
        double num = 2 * intersection + epsilon;
        double den = sum + epsilon;
        double[] grad = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            grad[i] = -(2 * targets[i] * den - num) / (den * den) * p[i] * (1 - p[i]);
        }
        return new Loss(1 - num / den, grad);
    }

    /** log softmax over the classes at position q of sample n of logits (N, C, P): z − max − log Σ e^(z − max). */
    private static double[] logSoftmaxAt(float[] logits, int n, int q, int classes, int positions) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[(n * classes + c) * positions + q]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[(n * classes + c) * positions + q] - max);
        }
        double[] logP = new double[classes];
        for (int c = 0; c < classes; c++) {
            logP[c] = logits[(n * classes + c) * positions + q] - max - Math.log(sum);
        }
        return logP;
    }

    /** softmax over the classes at position q of sample n of logits (N, C, P). */
    private static double[] softmaxAt(float[] logits, int n, int q, int classes, int positions) {
        double[] p = logSoftmaxAt(logits, n, q, classes, positions);
        for (int c = 0; c < classes; c++) {
            p[c] = Math.exp(p[c]);
        }
        return p;
    }

    /** −[t·log σ(x) + (1 − t)·log(1 − σ(x))], averaged over all elements. */
    public static Loss sigmoidCrossEntropy(float[] logits, float[] targets) {
        int count = logits.length;
        double[] grad = new double[count];
        double total = 0;
        for (int i = 0; i < count; i++) {
            double x = logits[i];
            double t = targets[i];
            // the stable form of the definition: max(x, 0) − x·t + log(1 + e^−|x|)
            total += Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
            grad[i] = (1 / (1 + Math.exp(-x)) - t) / count;
        }
        return new Loss(total / count, grad);
    }

    /** (p − t)², averaged over all elements. */
    public static Loss meanSquaredError(float[] predictions, float[] targets) {
        int count = predictions.length;
        double[] grad = new double[count];
        double total = 0;
        for (int i = 0; i < count; i++) {
            double d = (double) predictions[i] - targets[i];
            total += d * d;
            grad[i] = 2 * d / count;
        }
        return new Loss(total / count, grad);
    }
}
