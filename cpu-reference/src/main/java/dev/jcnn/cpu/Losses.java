package dev.jcnn.cpu;

import dev.jcnn.backend.CrossEntropySpec;
import dev.jcnn.backend.LossOps;
import dev.jcnn.tensor.Shape;

/**
 * Loss functions on the CPU. Each returns the mean loss and, when the gradient array is not
 * null, writes the gradient of that mean. Per-sample terms and their sums are in double.
 */
final class Losses extends LossOps<CpuTensor> {

    private final Parallel parallel;

    Losses(CpuBackend backend, Parallel parallel) {
        super(backend, CpuTensor.class);
        this.parallel = parallel;
    }

    @Override
    protected float computeSoftmaxCrossEntropy(CpuTensor logits, int[] labels, CrossEntropySpec spec, double weightSum,
            CpuTensor dlogits) {
        Shape s = logits.shape();
        int n = s.dim(0);
        int classes = s.dim(1);
        return softmaxCrossEntropy(logits.data(), labels, spec, weightSum, dlogits == null ? null : dlogits.data(), n,
                classes, s.size() / (n * classes), parallel);
    }

    @Override
    protected float computeSoftmaxDice(CpuTensor logits, int[] labels, double epsilon, CpuTensor dlogits) {
        Shape s = logits.shape();
        int n = s.dim(0);
        int classes = s.dim(1);
        return softmaxDice(logits.data(), labels, epsilon, dlogits == null ? null : dlogits.data(), n, classes,
                s.size() / (n * classes));
    }

    @Override
    protected float computeSigmoidDice(CpuTensor logits, CpuTensor targets, double epsilon, CpuTensor dlogits) {
        return sigmoidDice(logits.data(), targets.data(), epsilon, dlogits == null ? null : dlogits.data());
    }

    @Override
    protected float computeSigmoidCrossEntropy(CpuTensor logits, CpuTensor targets, CpuTensor dlogits) {
        float[] l = logits.data();
        return sigmoidCrossEntropy(l, targets.data(), dlogits == null ? null : dlogits.data(), l.length);
    }

    @Override
    protected float computeMeanSquaredError(CpuTensor predictions, CpuTensor targets, CpuTensor dpredictions) {
        float[] p = predictions.data();
        return meanSquaredError(p, targets.data(), dpredictions == null ? null : dpredictions.data(), p.length);
    }

    @Override
    /** The storage itself: the target check only reads it, and a training step copies nothing. */
    protected float[] targetValues(CpuTensor targets) {
        return targets.data();
    }

    /**
     * Softmax cross-entropy of logits (n, classes, positions) in {@link CrossEntropySpec}'s
     * terms: at each position j not ignored, with log-sum-exp s_j (shifted by the max),
     * loss_j = (1 − ε) w_y (s_j − z_y) + (ε/C) Σ_c w_c (s_j − z_c) and the gradient
     * (p_c (Σ_c coefficients) − coefficient_c) / Z, where coefficient_c = (ε/C) w_c + [c = y] (1 − ε) w_y.
     * The positions run in parallel, each writing its own term; the terms are then added in
     * index order, so the sum does not depend on the thread count. Without smoothing and
     * weights this is (softmax − onehot)/N·P exactly.
     */
    static float softmaxCrossEntropy(float[] logits, int[] labels, CrossEntropySpec spec, double weightSum,
            float[] dlogits, int n, int classes, int positions, Parallel par) {
        int count = n * positions;
        double onTarget = spec.onTargetShare();
        double offTarget = spec.offTargetShare(classes);
        double smoothingWeight = spec.smoothingWeight(classes);
        float[] weights = spec.classWeights();
        int skipped = spec.skippedLabel();
        double[] perPosition = new double[count];
        par.forRange(count, (long) count * classes * 16, (from, to) -> {
            for (int j = from; j < to; j++) {
                int y = labels[j];
                int base = (j / positions) * classes * positions + j % positions;
                if (y == skipped) {
                    if (dlogits != null) {
                        for (int c = 0; c < classes; c++) {
                            dlogits[base + c * positions] = 0f;
                        }
                    }
                    continue;
                }
                double logSum = logSumExp(logits, base, classes, positions);
                double wy = weights == null ? 1.0 : weights[y];
                double loss = onTarget * wy * (logSum - logits[base + y * positions]);
                if (offTarget != 0.0) {
                    double smooth = 0.0;
                    for (int c = 0; c < classes; c++) {
                        smooth += (weights == null ? 1.0 : weights[c]) * (logSum - logits[base + c * positions]);
                    }
                    loss += offTarget * smooth;
                }
                perPosition[j] = loss;
                if (dlogits != null) {
                    double coefficientSum = onTarget * wy + smoothingWeight;
                    for (int c = 0; c < classes; c++) {
                        double coefficient = offTarget * (weights == null ? 1.0 : weights[c])
                                + (c == y ? onTarget * wy : 0.0);
                        double p = Math.exp(logits[base + c * positions] - logSum);
                        dlogits[base + c * positions] = (float) ((p * coefficientSum - coefficient) / weightSum);
                    }
                }
            }
        });
        return (float) (sumInOrder(perPosition) / weightSum);
    }

    /**
     * Multi-class soft Dice of p = softmax over the classes of logits (n, classes, positions)
     * against one-hot labels: per class, I_c = Σ p_c t_c and S_c = Σ (p_c + t_c) over every
     * sample and position, added in index order; loss 1 − (1/C) Σ_c (2 I_c + ε)/(S_c + ε).
     * With dL/dp_c = −(2 t_c D_c − N_c)/(D_c² C), N_c = 2 I_c + ε, D_c = S_c + ε, the gradient
     * through the softmax is p_c (dL/dp_c − Σ_k dL/dp_k p_k).
     */
    static float softmaxDice(float[] logits, int[] labels, double epsilon, float[] dlogits, int n, int classes,
            int positions) {
        double[] p = new double[logits.length];
        double[] intersection = new double[classes];
        double[] sum = new double[classes];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < positions; q++) {
                int base = i * classes * positions + q;
                double logSum = logSumExp(logits, base, classes, positions);
                int y = labels[i * positions + q];
                for (int c = 0; c < classes; c++) {
                    double pc = Math.exp(logits[base + c * positions] - logSum);
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
        if (dlogits != null) {
            double[] dp = new double[classes];
            for (int i = 0; i < n; i++) {
                for (int q = 0; q < positions; q++) {
                    int base = i * classes * positions + q;
                    int y = labels[i * positions + q];
                    double dot = 0;
                    for (int c = 0; c < classes; c++) {
                        double denominator = sum[c] + epsilon;
                        double numerator = 2 * intersection[c] + epsilon;
                        dp[c] = -((c == y ? 2 : 0) * denominator - numerator) / (denominator * denominator) / classes;
                        dot += dp[c] * p[base + c * positions];
                    }
                    for (int c = 0; c < classes; c++) {
                        dlogits[base + c * positions] = (float) (p[base + c * positions] * (dp[c] - dot));
                    }
                }
            }
        }
        return (float) (1 - meanDice);
    }

    /**
     * Binary soft Dice of p = sigmoid(logits) against targets: 1 − (2 Σ p t + ε)/(Σ (p + t) + ε),
     * the sums in index order; gradient −(2 t D − N)/D² · p (1 − p).
     */
    static float sigmoidDice(float[] logits, float[] targets, double epsilon, float[] dlogits) {
        double[] p = new double[logits.length];
        double intersection = 0;
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Activations.sigmoid(logits[i]);
            intersection += p[i] * targets[i];
            sum += p[i] + targets[i];
        }
        double denominator = sum + epsilon;
        double numerator = 2 * intersection + epsilon;
        if (dlogits != null) {
            for (int i = 0; i < logits.length; i++) {
                double dp = -(2 * targets[i] * denominator - numerator) / (denominator * denominator);
                dlogits[i] = (float) (dp * p[i] * (1 - p[i]));
            }
        }
        return (float) (1 - numerator / denominator);
    }

    /** log Σ_c exp(z[base + c·stride]) over the classes of one position, shifted by the max so it cannot overflow. */
    static double logSumExp(float[] z, int base, int classes, int stride) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, z[base + c * stride]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp((double) z[base + c * stride] - max);
        }
        return Math.log(sum) + max;
    }

    /**
     * Mean over all elements of the binary cross-entropy of sigmoid(x) against t, in the
     * stable form max(x, 0) − x·t + log(1 + e^−|x|); gradient (sigmoid(x) − t)/size.
     */
    static float sigmoidCrossEntropy(float[] logits, float[] targets, float[] dlogits, int size) {
        double sum = 0.0;
        for (int i = 0; i < size; i++) {
            double x = logits[i];
            double t = targets[i];
            sum += Math.max(x, 0.0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
            if (dlogits != null) {
                dlogits[i] = (float) ((Activations.sigmoid(x) - t) / size);
            }
        }
        return (float) (sum / size);
    }

    /** Mean over all elements of (p − t)²; gradient 2·(p − t)/size. */
    static float meanSquaredError(float[] predictions, float[] targets, float[] dpredictions, int size) {
        double sum = 0.0;
        for (int i = 0; i < size; i++) {
            double diff = (double) predictions[i] - targets[i];
            sum += diff * diff;
            if (dpredictions != null) {
                dpredictions[i] = (float) (2.0 * diff / size);
            }
        }
        return (float) (sum / size);
    }

    private static double sumInOrder(double[] values) {
        double sum = 0.0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }
}
