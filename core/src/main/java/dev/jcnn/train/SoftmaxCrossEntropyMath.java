package dev.jcnn.train;

/**
 * Softmax cross-entropy with class weights and label smoothing, computed on the host in double
 * precision, in PyTorch's {@code F.cross_entropy(weight=, label_smoothing=)} semantics for the
 * mean reduction. Logits are laid out (N, C, positions): one class axis, then any spatial axes.
 *
 * <p>With log-probabilities l = log_softmax over C, target y per position, weights w (1 when
 * none) and smoothing ε, the loss over all positions j is
 * (1 − ε) Σ_j w_{y_j}(−l_{j,y_j}) / Z + (ε / C) Σ_j Σ_c w_c(−l_{j,c}) / Z with Z = Σ_j w_{y_j}.
 */
final class SoftmaxCrossEntropyMath {

    private SoftmaxCrossEntropyMath() {}

    /**
     * Returns the loss and writes its gradient with respect to the logits into grad unless it
     * is null.
     *
     * @param targets one class index per (sample, position), already checked to lie in [0, classes)
     * @param weights one weight per class, or null for all ones
     */
    static float compute(
            float[] logits, int n, int classes, int positions, int[] targets, float[] weights, float smoothing,
            float[] grad) {
        double z = 0;
        for (int j = 0; j < n * positions; j++) {
            z += weights == null ? 1 : weights[targets[j]];
        }
        if (!(z > 0)) {
            throw new IllegalArgumentException("cross-entropy: the weights of the targets' classes sum to " + z
                    + ", expected a positive sum");
        }
        double loss = 0;
        double[] logProb = new double[classes];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < positions; p++) {
                int base = i * classes * positions + p;
                double logSum = logSumExp(logits, base, classes, positions);
                int y = targets[i * positions + p];
                double wy = weights == null ? 1 : weights[y];
                double coefficientSum = 0;
                for (int c = 0; c < classes; c++) {
                    logProb[c] = logits[base + c * positions] - logSum;
                    double wc = weights == null ? 1 : weights[c];
                    loss -= smoothing / classes * wc * logProb[c];
                    coefficientSum += smoothing / classes * wc;
                }
                loss -= (1 - smoothing) * wy * logProb[y];
                coefficientSum += (1 - smoothing) * wy;
                if (grad != null) {
                    for (int c = 0; c < classes; c++) {
                        double wc = weights == null ? 1 : weights[c];
                        double coefficient = smoothing / classes * wc + (c == y ? (1 - smoothing) * wy : 0);
                        grad[base + c * positions] = (float) ((Math.exp(logProb[c]) * coefficientSum - coefficient) / z);
                    }
                }
            }
        }
        return (float) (loss / z);
    }

    /** Checks a label-smoothing factor: PyTorch accepts [0, 1]. */
    /** log Σ_c exp(z[base + c·stride]) over the classes of one position, shifted by the max so it cannot overflow. */
    static double logSumExp(float[] z, int base, int classes, int stride) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, z[base + c * stride]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(z[base + c * stride] - max);
        }
        return Math.log(sum) + max;
    }

    static float checkSmoothing(String loss, float smoothing) {
        if (!(smoothing >= 0f && smoothing <= 1f)) {
            throw new IllegalArgumentException(loss + ": label smoothing " + smoothing + " is outside [0, 1]");
        }
        return smoothing;
    }

    /** Checks class weights: finite and not negative; returns a copy. */
    static float[] checkWeights(String loss, float[] weights) {
        if (weights.length == 0) {
            throw new IllegalArgumentException(loss + ": no class weights given, expected one per class");
        }
        for (int c = 0; c < weights.length; c++) {
            if (!(weights[c] >= 0f && Float.isFinite(weights[c]))) {
                throw new IllegalArgumentException(loss + ": class weight " + weights[c] + " of class " + c
                        + " is not a finite number >= 0");
            }
        }
        return weights.clone();
    }

    /** Checks that the weights, when given, are one per class of the logits. */
    static void checkWeightCount(String loss, float[] weights, int classes) {
        if (weights != null && weights.length != classes) {
            throw new IllegalArgumentException(loss + ": " + weights.length + " class weights for logits of "
                    + classes + " classes, expected one weight per class");
        }
    }
}
