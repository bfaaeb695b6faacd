package dev.jcnn.testing.oracle;

/** The three losses in double: the value and the gradient of the mean. */
public final class LossOracle {

    private LossOracle() {
    }

    /** A loss value and its gradient with respect to the first argument. */
    public record Loss(double value, double[] gradient) {
    }

    /** −log softmax(logits)[label], averaged over the batch; logits (N, classes). */
    public static Loss softmaxCrossEntropy(float[] logits, int batch, int classes, int[] labels) {
        double[] grad = new double[logits.length];
        double total = 0;
        for (int n = 0; n < batch; n++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[n * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[n * classes + c] - max);
            }
            double logSum = Math.log(sum) + max;
            total += logSum - logits[n * classes + labels[n]];
            for (int c = 0; c < classes; c++) {
                double p = Math.exp(logits[n * classes + c] - logSum);
                grad[n * classes + c] = (p - (c == labels[n] ? 1 : 0)) / batch;
            }
        }
        return new Loss(total / batch, grad);
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
