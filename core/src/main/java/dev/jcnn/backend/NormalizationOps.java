package dev.jcnn.backend;

import static dev.jcnn.backend.Checks.distinct;
import static dev.jcnn.backend.Checks.notNull;

import dev.jcnn.tensor.Shape;

/**
 * Batch normalization per channel (axis 1) of (N, C) or (N, C, H, W) tensors: the training
 * pass with batch statistics and running averages, the inference pass with the running
 * averages, and the gradient. Per-channel tensors are (C). Also cross-channel local response
 * normalization ({@link LrnSpec}) and its gradient. Each public op checks its tensors and
 * arguments, then calls the backend's {@code compute…} method.
 *
 * @param <T> the backend's tensor class
 */
public abstract class NormalizationOps<T extends Tensor> extends OpFamily<T> {

    protected NormalizationOps(Backend backend, Class<T> tensorType) {
        super(backend, tensorType);
    }

    /**
     * Batch normalization in training: per channel c (axis 1) over the m = N·H·W values of the
     * batch, mean μ and biased variance σ², y = gamma[c]·(x − μ)/sqrt(σ² + ε) + beta[c].
     * Updates runningMean and runningVar in place with the average factor f, the variance
     * unbiased (σ²·m/(m − 1)) as PyTorch and cuDNN keep it; writes μ and 1/sqrt(σ² + ε) into
     * savedMean and savedInvStd for the backward pass. x and y are (N, C) or (N, C, H, W); the
     * rest (C).
     *
     * @throws IllegalArgumentException when a channel has a single value (m = 1): its variance is undefined
     */
    public final void forwardTraining(Tensor x, Tensor gamma, Tensor beta, BatchNormSpec spec, Tensor runningMean,
            Tensor runningVar, Tensor y, Tensor savedMean, Tensor savedInvStd) {
        String op = "batchNormForwardTraining";
        T tx = owned(op, "x", x);
        T tg = owned(op, "gamma", gamma);
        T tb = owned(op, "beta", beta);
        T trm = owned(op, "runningMean", runningMean);
        T trv = owned(op, "runningVar", runningVar);
        T ty = owned(op, "y", y);
        T tsm = owned(op, "savedMean", savedMean);
        T tsi = owned(op, "savedInvStd", savedInvStd);
        notNull(op, "spec", spec);
        int c = Checks.channels(op, "x", x);
        int count = x.shape().size() / c;
        Shape perChannel = Shape.of(c);
        Checks.shape(op, "gamma", gamma, perChannel);
        Checks.shape(op, "beta", beta, perChannel);
        Checks.shape(op, "runningMean", runningMean, perChannel);
        Checks.shape(op, "runningVar", runningVar, perChannel);
        Checks.shape(op, "savedMean", savedMean, perChannel);
        Checks.shape(op, "savedInvStd", savedInvStd, perChannel);
        Checks.shape(op, "y", y, x.shape());
        if (count < 2) {
            throw new IllegalArgumentException(op + ": x " + x.shape() + " has " + count
                    + " value per channel, expected more than one to estimate a variance in training");
        }
        distinct(op, "y", y, "x", x, "gamma", gamma, "beta", beta, "runningMean", runningMean, "runningVar", runningVar);
        distinct(op, "savedMean", savedMean, "x", x, "y", y, "savedInvStd", savedInvStd, "runningMean", runningMean);
        distinct(op, "savedInvStd", savedInvStd, "x", x, "y", y, "runningVar", runningVar);
        starting(op);
        computeForwardTraining(tx, tg, tb, spec, trm, trv, ty, tsm, tsi);
        finished(op);
    }

    /** Batch normalization in inference: y = gamma[c]·(x − runningMean[c])/sqrt(runningVar[c] + ε) + beta[c]. */
    public final void forwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            BatchNormSpec spec, Tensor y) {
        String op = "batchNormForwardInference";
        T tx = owned(op, "x", x);
        T tg = owned(op, "gamma", gamma);
        T tb = owned(op, "beta", beta);
        T trm = owned(op, "runningMean", runningMean);
        T trv = owned(op, "runningVar", runningVar);
        T ty = owned(op, "y", y);
        notNull(op, "spec", spec);
        int c = Checks.channels(op, "x", x);
        Shape perChannel = Shape.of(c);
        Checks.shape(op, "gamma", gamma, perChannel);
        Checks.shape(op, "beta", beta, perChannel);
        Checks.shape(op, "runningMean", runningMean, perChannel);
        Checks.shape(op, "runningVar", runningVar, perChannel);
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "gamma", gamma, "beta", beta, "runningMean", runningMean, "runningVar", runningVar);
        starting(op);
        computeForwardInference(tx, tg, tb, trm, trv, spec, ty);
        finished(op);
    }

    /**
     * The gradient of {@link #forwardTraining} from its saved statistics: with
     * x̂ = (x − μ)·invStd, dbeta = Σ dy, dgamma = Σ dy·x̂ (both overwritten) and
     * dx = gamma·invStd/m · (m·dy − dbeta − x̂·dgamma).
     */
    public final void backward(Tensor x, Tensor dy, Tensor gamma, Tensor savedMean, Tensor savedInvStd, Tensor dx,
            Tensor dgamma, Tensor dbeta) {
        String op = "batchNormBackward";
        T tx = owned(op, "x", x);
        T tdy = owned(op, "dy", dy);
        T tg = owned(op, "gamma", gamma);
        T tsm = owned(op, "savedMean", savedMean);
        T tsi = owned(op, "savedInvStd", savedInvStd);
        T tdx = owned(op, "dx", dx);
        T tdg = owned(op, "dgamma", dgamma);
        T tdb = owned(op, "dbeta", dbeta);
        int c = Checks.channels(op, "x", x);
        Shape perChannel = Shape.of(c);
        Checks.shape(op, "dy", dy, x.shape());
        Checks.shape(op, "dx", dx, x.shape());
        Checks.shape(op, "gamma", gamma, perChannel);
        Checks.shape(op, "savedMean", savedMean, perChannel);
        Checks.shape(op, "savedInvStd", savedInvStd, perChannel);
        Checks.shape(op, "dgamma", dgamma, perChannel);
        Checks.shape(op, "dbeta", dbeta, perChannel);
        distinct(op, "dx", dx, "x", x, "dy", dy);
        distinct(op, "dgamma", dgamma, "gamma", gamma, "savedMean", savedMean, "savedInvStd", savedInvStd, "dbeta", dbeta);
        distinct(op, "dbeta", dbeta, "gamma", gamma, "savedMean", savedMean, "savedInvStd", savedInvStd);
        starting(op);
        computeBackward(tx, tdy, tg, tsm, tsi, tdx, tdg, tdb);
        finished(op);
    }

    /**
     * Cross-channel local response normalization: y = x / d with
     * d = (k + alpha/size · Σ x²)^beta, the sum over the size channels (axis 1) centred on
     * x's at the same sample and position, channels outside the tensor counting as zero.
     * x and y are (N, C) or (N, C, H, W) of the same shape; y distinct from x.
     */
    public final void lrnForward(Tensor x, LrnSpec spec, Tensor y) {
        String op = "lrnForward";
        T tx = owned(op, "x", x);
        T ty = owned(op, "y", y);
        notNull(op, "spec", spec);
        Checks.channels(op, "x", x);
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "x", x);
        starting(op);
        computeLrnForward(tx, spec, ty);
        finished(op);
    }

    /**
     * The gradient of {@link #lrnForward} from its input x and output y: with
     * s = k + alpha/size · Σ x², dx_j = dy_j·s_j^−beta − (2·alpha·beta/size)·x_j·Σ_i dy_i·y_i/s_i,
     * the last sum over the channels i whose window holds j (those of j's own window). All four
     * tensors have x's shape; dx distinct from the others.
     */
    public final void lrnBackward(Tensor x, Tensor y, Tensor dy, LrnSpec spec, Tensor dx) {
        String op = "lrnBackward";
        T tx = owned(op, "x", x);
        T ty = owned(op, "y", y);
        T tdy = owned(op, "dy", dy);
        T tdx = owned(op, "dx", dx);
        notNull(op, "spec", spec);
        Checks.channels(op, "x", x);
        Checks.shape(op, "y", y, x.shape());
        Checks.shape(op, "dy", dy, x.shape());
        Checks.shape(op, "dx", dx, x.shape());
        distinct(op, "dx", dx, "x", x, "y", y, "dy", dy);
        starting(op);
        computeLrnBackward(tx, ty, tdy, spec, tdx);
        finished(op);
    }

    /** Shapes as {@link #forwardTraining} says, at least two values per channel; outputs distinct from the inputs. */
    protected abstract void computeForwardTraining(T x, T gamma, T beta, BatchNormSpec spec, T runningMean,
            T runningVar, T y, T savedMean, T savedInvStd);

    /** Shapes as {@link #forwardInference} says; y may be x. */
    protected abstract void computeForwardInference(T x, T gamma, T beta, T runningMean, T runningVar,
            BatchNormSpec spec, T y);

    /** Shapes as {@link #backward} says; dx, dgamma and dbeta distinct from the inputs. */
    protected abstract void computeBackward(T x, T dy, T gamma, T savedMean, T savedInvStd, T dx, T dgamma,
            T dbeta);

    /** Shapes as {@link #lrnForward} says; y distinct from x. */
    protected abstract void computeLrnForward(T x, LrnSpec spec, T y);

    /** Shapes as {@link #lrnBackward} says; dx distinct from the inputs. */
    protected abstract void computeLrnBackward(T x, T y, T dy, LrnSpec spec, T dx);
}
