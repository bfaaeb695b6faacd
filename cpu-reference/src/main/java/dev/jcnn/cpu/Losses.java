package dev.jcnn.cpu;

import dev.jcnn.backend.LossOps;

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
    protected float computeSoftmaxCrossEntropy(CpuTensor logits, int[] labels, CpuTensor dlogits) {
        return softmaxCrossEntropy(logits.data(), labels, dlogits == null ? null : dlogits.data(), logits.shape().dim(0),
                logits.shape().dim(1), parallel);
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
     * Mean over the batch of −log softmax(logits)[label]; gradient (softmax − onehot)/n.
     * Labels must already be checked to lie in [0, classes).
     */
    static float softmaxCrossEntropy(float[] logits, int[] labels, float[] dlogits, int n, int classes, Parallel par) {
        double[] perSample = new double[n];
        par.forRange(n, (long) n * classes * 16, (from, to) -> {
            for (int s = from; s < to; s++) {
                int base = s * classes;
                float max = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, logits[base + c]);
                }
                double sum = 0.0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp((double) logits[base + c] - max);
                }
                double logSum = Math.log(sum) + max;
                perSample[s] = logSum - logits[base + labels[s]];
                if (dlogits != null) {
                    for (int c = 0; c < classes; c++) {
                        double p = Math.exp(logits[base + c] - logSum);
                        dlogits[base + c] = (float) ((p - (c == labels[s] ? 1.0 : 0.0)) / n);
                    }
                }
            }
        });
        return (float) (sumInOrder(perSample) / n);
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
