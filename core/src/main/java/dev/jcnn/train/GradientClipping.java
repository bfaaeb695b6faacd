package dev.jcnn.train;

import dev.jcnn.layers.Parameter;
import java.util.List;

/**
 * Gradient clipping by global norm, as PyTorch's {@code torch.nn.utils.clip_grad_norm_}: one
 * L2 norm over the gradients of all parameters together; when it is above maxNorm, every
 * gradient is multiplied by maxNorm / (norm + 1e-6), so that their directions are kept.
 */
public final class GradientClipping {

    /** PyTorch's guard against a division by a zero norm. */
    static final double EPSILON = 1e-6;

    private GradientClipping() {
    }

    /**
     * Clips the parameters' gradients in place; returns the global norm before clipping (the
     * figure PyTorch returns, worth logging). Parameters without a gradient are left out.
     *
     * @throws IllegalArgumentException when maxNorm is not positive and finite
     */
    public static double clipByGlobalNorm(List<Parameter> parameters, float maxNorm) {
        checkMaxNorm(maxNorm);
        double squares = 0;
        for (Parameter p : parameters) {
            if (p.grad() != null) {
                squares += p.grad().backend().optimizers().squaredNorm(p.grad());
            }
        }
        double norm = Math.sqrt(squares);
        double scale = maxNorm / (norm + EPSILON);
        if (scale < 1) {
            for (Parameter p : parameters) {
                if (p.grad() != null) {
                    p.grad().backend().elementwise().scale(p.grad(), (float) scale, p.grad());
                }
            }
        }
        return norm;
    }

    static void checkMaxNorm(float maxNorm) {
        if (!(maxNorm > 0) || !Float.isFinite(maxNorm)) {
            throw new IllegalArgumentException("gradient clipping: the maximum norm must be positive and finite, got "
                    + maxNorm);
        }
    }
}
