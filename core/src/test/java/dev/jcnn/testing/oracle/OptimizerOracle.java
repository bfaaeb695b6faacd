package dev.jcnn.testing.oracle;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.RmsPropSpec;
import dev.jcnn.backend.SgdSpec;

/** SGD, Adam, AdamW and RMSprop, PyTorch's definitions, one step in double on arrays updated in place. */
public final class OptimizerOracle {

    private OptimizerOracle() {
    }

    /** velocity may be null when the spec has no momentum. */
    public static void sgd(double[] param, float[] grad, double[] velocity, SgdSpec s) {
        for (int i = 0; i < param.length; i++) {
            double g = grad[i] + (double) s.weightDecay() * param[i];
            double step = g;
            if (s.momentum() > 0) {
                velocity[i] = s.momentum() * velocity[i] + g;
                step = s.nesterov() ? g + s.momentum() * velocity[i] : velocity[i];
            }
            param[i] -= s.learningRate() * step;
        }
    }

    /** step counts from 1. */
    public static void adam(double[] param, float[] grad, double[] m, double[] v, AdamSpec s, int step) {
        double b1 = s.beta1();
        double b2 = s.beta2();
        for (int i = 0; i < param.length; i++) {
            double g = grad[i] + (double) s.weightDecay() * param[i];
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            double mHat = m[i] / (1 - Math.pow(b1, step));
            double vHat = v[i] / (1 - Math.pow(b2, step));
            param[i] -= s.learningRate() * mHat / (Math.sqrt(vHat) + s.epsilon());
        }
    }

    /** torch.optim.AdamW: w ← w·(1 − lr·wd), then Adam without L2 decay; step counts from 1. */
    public static void adamW(double[] param, float[] grad, double[] m, double[] v, AdamSpec s, int step) {
        double b1 = s.beta1();
        double b2 = s.beta2();
        for (int i = 0; i < param.length; i++) {
            param[i] *= 1 - (double) s.learningRate() * s.weightDecay();
            double g = grad[i];
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            double mHat = m[i] / (1 - Math.pow(b1, step));
            double vHat = v[i] / (1 - Math.pow(b2, step));
            param[i] -= s.learningRate() * mHat / (Math.sqrt(vHat) + s.epsilon());
        }
    }

    /** torch.optim.RMSprop; gradAvg is null unless centered, buffer null without momentum. */
    public static void rmsProp(double[] param, float[] grad, double[] squareAvg, double[] gradAvg, double[] buffer,
            RmsPropSpec s) {
        double alpha = s.alpha();
        for (int i = 0; i < param.length; i++) {
            double g = grad[i] + (double) s.weightDecay() * param[i];
            squareAvg[i] = alpha * squareAvg[i] + (1 - alpha) * g * g;
            double avg = squareAvg[i];
            if (s.centered()) {
                gradAvg[i] = alpha * gradAvg[i] + (1 - alpha) * g;
                avg -= gradAvg[i] * gradAvg[i];
            }
            double denom = Math.sqrt(avg) + s.epsilon();
            if (s.momentum() > 0) {
                buffer[i] = s.momentum() * buffer[i] + g / denom;
                param[i] -= s.learningRate() * buffer[i];
            } else {
                param[i] -= s.learningRate() * g / denom;
            }
        }
    }
}
