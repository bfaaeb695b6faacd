package dev.jcnn.cpu;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.OptimizerOps;
import dev.jcnn.backend.RmsPropSpec;
import dev.jcnn.backend.SgdSpec;

/**
 * Parameter updates on the CPU, in place, with the same arithmetic as PyTorch's optimizers
 * (see {@link SgdSpec}, {@link AdamSpec} and {@link RmsPropSpec}).
 */
final class Optimizers extends OptimizerOps<CpuTensor> {

    Optimizers(CpuBackend backend) {
        super(backend, CpuTensor.class);
    }

    @Override
    protected void computeSgd(CpuTensor param, CpuTensor grad, CpuTensor velocity, SgdSpec spec) {
        float[] p = param.data();
        sgd(p, grad.data(), velocity == null ? null : velocity.data(), spec, p.length);
    }

    @Override
    protected void computeAdam(CpuTensor param, CpuTensor grad, CpuTensor m, CpuTensor v, AdamSpec spec, int step) {
        float[] p = param.data();
        adam(p, grad.data(), m.data(), v.data(), spec, step, p.length);
    }

    @Override
    protected void computeAdamW(CpuTensor param, CpuTensor grad, CpuTensor m, CpuTensor v, AdamSpec spec, int step) {
        float[] p = param.data();
        adamW(p, grad.data(), m.data(), v.data(), spec, step, p.length);
    }

    @Override
    protected void computeRmsProp(CpuTensor param, CpuTensor grad, CpuTensor squareAvg, CpuTensor gradAvg,
            CpuTensor momentumBuffer, RmsPropSpec spec) {
        float[] p = param.data();
        rmsProp(p, grad.data(), squareAvg.data(), gradAvg == null ? null : gradAvg.data(),
                momentumBuffer == null ? null : momentumBuffer.data(), spec, p.length);
    }

    @Override
    protected double computeSquaredNorm(CpuTensor t) {
        double s = 0;
        for (float x : t.data()) {
            s += (double) x * x;
        }
        return s;
    }

    /**
     * g = grad + wd·w; v = momentum·v + g; w −= lr·(Nesterov ? g + momentum·v : v).
     * Without momentum v is unused (may be null) and w −= lr·g. Float arithmetic in
     * PyTorch's order, so results match it closely.
     */
    static void sgd(float[] w, float[] grad, float[] v, SgdSpec spec, int size) {
        float lr = spec.learningRate();
        float wd = spec.weightDecay();
        float mu = spec.momentum();
        for (int i = 0; i < size; i++) {
            float g = wd != 0f ? grad[i] + wd * w[i] : grad[i];
            if (mu != 0f) {
                v[i] = mu * v[i] + g;
                g = spec.nesterov() ? g + mu * v[i] : v[i];
            }
            w[i] -= lr * g;
        }
    }

    /**
     * g = grad + wd·w; m = b1·m + (1 − b1)·g; v = b2·v + (1 − b2)·g²;
     * w −= lr·(m / (1 − b1^t)) / (sqrt(v / (1 − b2^t)) + eps), evaluated per element in double.
     */
    static void adam(float[] w, float[] grad, float[] m, float[] v, AdamSpec spec, int step, int size) {
        adam(w, grad, m, v, spec, spec.weightDecay(), 1.0, step, size);
    }

    /**
     * AdamW: w = w·(1 − lr·wd) first, in double, then Adam's step without L2 decay (PyTorch
     * 1.13's order: the decay multiplies the weight before the moments' update is applied).
     */
    static void adamW(float[] w, float[] grad, float[] m, float[] v, AdamSpec spec, int step, int size) {
        adam(w, grad, m, v, spec, 0.0, 1.0 - (double) spec.learningRate() * spec.weightDecay(), step, size);
    }

    private static void adam(float[] w, float[] grad, float[] m, float[] v, AdamSpec spec, double wd, double decay,
            int step, int size) {
        double b1 = spec.beta1();
        double b2 = spec.beta2();
        double stepSize = spec.learningRate() / (1.0 - Math.pow(b1, step));
        double correction2 = Math.sqrt(1.0 - Math.pow(b2, step));
        for (int i = 0; i < size; i++) {
            double g = grad[i] + wd * w[i];
            m[i] = (float) (b1 * m[i] + (1.0 - b1) * g);
            v[i] = (float) (b2 * v[i] + (1.0 - b2) * g * g);
            double denom = Math.sqrt(v[i]) / correction2 + spec.epsilon();
            w[i] = (float) (decay * w[i] - stepSize * m[i] / denom);
        }
    }

    /**
     * RMSprop per element in double, stored in float: g = grad + wd·w; s = alpha·s + (1 − alpha)·g²;
     * d = sqrt(s − a²) + eps with a = alpha·a + (1 − alpha)·g when centered, else sqrt(s) + eps;
     * with momentum b = momentum·b + g/d and w −= lr·b, else w −= lr·g/d.
     */
    static void rmsProp(float[] w, float[] grad, float[] squareAvg, float[] gradAvg, float[] buffer, RmsPropSpec spec,
            int size) {
        double lr = spec.learningRate();
        double alpha = spec.alpha();
        double wd = spec.weightDecay();
        double mu = spec.momentum();
        for (int i = 0; i < size; i++) {
            double g = grad[i] + wd * w[i];
            squareAvg[i] = (float) (alpha * squareAvg[i] + (1.0 - alpha) * g * g);
            double s = squareAvg[i];
            if (spec.centered()) {
                gradAvg[i] = (float) (alpha * gradAvg[i] + (1.0 - alpha) * g);
                s -= (double) gradAvg[i] * gradAvg[i];
            }
            double denom = Math.sqrt(s) + spec.epsilon();
            if (mu != 0.0) {
                buffer[i] = (float) (mu * buffer[i] + g / denom);
                w[i] = (float) (w[i] - lr * buffer[i]);
            } else {
                w[i] = (float) (w[i] - lr * g / denom);
            }
        }
    }
}
