package dev.jcnn.backend;

import static dev.jcnn.backend.Checks.distinct;
import static dev.jcnn.backend.Checks.notNull;

/**
 * Parameter updates in place, with the arithmetic of PyTorch's optimizers ({@link SgdSpec},
 * {@link AdamSpec}). Each public op checks its tensors and arguments, then calls the backend's
 * {@code compute…} method.
 *
 * @param <T> the backend's tensor class
 */
public abstract class OptimizerOps<T extends Tensor> extends OpFamily<T> {

    protected OptimizerOps(Backend backend, Class<T> tensorType) {
        super(backend, tensorType);
    }

    /**
     * One SGD step on param in place; velocity (param's shape) is the momentum buffer, needed
     * with momentum and not looked at without (it may then be null).
     */
    public final void sgd(Tensor param, Tensor grad, Tensor velocity, SgdSpec spec) {
        String op = "sgdUpdate";
        T tp = owned(op, "param", param);
        T tg = owned(op, "grad", grad);
        notNull(op, "spec", spec);
        Checks.shape(op, "grad", grad, param.shape());
        T tv = null;
        if (spec.momentum() != 0f) {
            if (velocity == null) {
                throw new IllegalArgumentException(op + ": momentum " + spec.momentum()
                        + " needs a velocity tensor of shape " + param.shape() + ", got null");
            }
            tv = owned(op, "velocity", velocity);
            Checks.shape(op, "velocity", velocity, param.shape());
            distinct(op, "velocity", velocity, "param", param, "grad", grad);
        }
        distinct(op, "param", param, "grad", grad);
        starting(op);
        computeSgd(tp, tg, tv, spec);
        finished(op);
    }

    /** One Adam step on param in place; m and v are its moment buffers; step counts from 1. */
    public final void adam(Tensor param, Tensor grad, Tensor m, Tensor v, AdamSpec spec, int step) {
        String op = "adamUpdate";
        T tp = owned(op, "param", param);
        T tg = owned(op, "grad", grad);
        T tm = owned(op, "m", m);
        T tv = owned(op, "v", v);
        notNull(op, "spec", spec);
        if (step < 1) {
            throw new IllegalArgumentException(op + ": step " + step + " is not a valid step, steps count from 1");
        }
        Checks.shape(op, "grad", grad, param.shape());
        Checks.shape(op, "m", m, param.shape());
        Checks.shape(op, "v", v, param.shape());
        distinct(op, "param", param, "grad", grad, "m", m, "v", v);
        distinct(op, "m", m, "grad", grad, "v", v);
        distinct(op, "v", v, "grad", grad);
        starting(op);
        computeAdam(tp, tg, tm, tv, spec, step);
        finished(op);
    }

    /** param, grad and velocity of one shape, distinct; velocity is null exactly when the spec has no momentum. */
    protected abstract void computeSgd(T param, T grad, T velocity, SgdSpec spec);

    /** param, grad, m and v of one shape, distinct; step ≥ 1. */
    protected abstract void computeAdam(T param, T grad, T m, T v, AdamSpec spec, int step);
}
