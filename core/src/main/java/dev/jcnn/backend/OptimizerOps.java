package dev.jcnn.backend;

import static dev.jcnn.backend.Checks.distinct;
import static dev.jcnn.backend.Checks.notNull;

/**
 * Parameter updates in place, with the arithmetic of PyTorch's optimizers ({@link SgdSpec},
 * {@link AdamSpec}, AdamW, {@link RmsPropSpec}), and the squared norm that gradient clipping
 * needs. Each public op checks its tensors and arguments, then calls the backend's
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
        checkAdam(op, param, grad, m, v, spec, step);
        starting(op);
        computeAdam(owned(op, "param", param), owned(op, "grad", grad), owned(op, "m", m), owned(op, "v", v), spec, step);
        finished(op);
    }

    /**
     * One AdamW step on param in place (PyTorch's {@code torch.optim.AdamW}): the spec's weight
     * decay is decoupled from the gradient, w ← w·(1 − lr·wd), followed by Adam's step without
     * L2 decay; m and v are its moment buffers; step counts from 1.
     */
    public final void adamW(Tensor param, Tensor grad, Tensor m, Tensor v, AdamSpec spec, int step) {
        String op = "adamWUpdate";
        checkAdam(op, param, grad, m, v, spec, step);
        starting(op);
        computeAdamW(owned(op, "param", param), owned(op, "grad", grad), owned(op, "m", m), owned(op, "v", v), spec,
                step);
        finished(op);
    }

    private void checkAdam(String op, Tensor param, Tensor grad, Tensor m, Tensor v, AdamSpec spec, int step) {
        owned(op, "param", param);
        owned(op, "grad", grad);
        owned(op, "m", m);
        owned(op, "v", v);
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
    }

    /**
     * One RMSprop step on param in place. squareAvg is the running mean of g²; gradAvg the
     * running mean of g, needed when the spec is centered (else null); momentumBuffer needed
     * with momentum (else null). All of param's shape and distinct.
     */
    public final void rmsProp(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuffer,
            RmsPropSpec spec) {
        String op = "rmsPropUpdate";
        T tp = owned(op, "param", param);
        T tg = owned(op, "grad", grad);
        T ts = owned(op, "squareAvg", squareAvg);
        notNull(op, "spec", spec);
        Checks.shape(op, "grad", grad, param.shape());
        Checks.shape(op, "squareAvg", squareAvg, param.shape());
        distinct(op, "param", param, "grad", grad, "squareAvg", squareAvg);
        distinct(op, "squareAvg", squareAvg, "grad", grad);
        T ta = spec.centered() ? optionalSlot(op, "gradAvg", gradAvg, "centered", param, grad, squareAvg) : null;
        T tb = spec.momentum() != 0f ? optionalSlot(op, "momentumBuffer", momentumBuffer, "momentum " + spec.momentum(),
                param, grad, squareAvg) : null;
        if (ta != null && tb != null) {
            distinct(op, "gradAvg", gradAvg, "momentumBuffer", momentumBuffer);
        }
        starting(op);
        computeRmsProp(tp, tg, ts, ta, tb, spec);
        finished(op);
    }

    private T optionalSlot(String op, String name, Tensor slot, String why, Tensor param, Tensor grad, Tensor squareAvg) {
        if (slot == null) {
            throw new IllegalArgumentException(op + ": " + why + " needs a " + name + " tensor of shape " + param.shape()
                    + ", got null");
        }
        T t = owned(op, name, slot);
        Checks.shape(op, name, slot, param.shape());
        distinct(op, name, slot, "param", param, "grad", grad, "squareAvg", squareAvg);
        return t;
    }

    /** The sum of the squares of t's elements, accumulated in double (gradient clipping's norm, squared). */
    public final double squaredNorm(Tensor t) {
        String op = "squaredNorm";
        T tt = owned(op, "tensor", t);
        starting(op);
        double s = computeSquaredNorm(tt);
        finished(op);
        return s;
    }

    /** param, grad and velocity of one shape, distinct; velocity is null exactly when the spec has no momentum. */
    protected abstract void computeSgd(T param, T grad, T velocity, SgdSpec spec);

    /** param, grad, m and v of one shape, distinct; step ≥ 1. */
    protected abstract void computeAdam(T param, T grad, T m, T v, AdamSpec spec, int step);

    /** param, grad, m and v of one shape, distinct; step ≥ 1; the spec's weight decay is decoupled. */
    protected abstract void computeAdamW(T param, T grad, T m, T v, AdamSpec spec, int step);

    /** param, grad, squareAvg (and gradAvg when centered, momentumBuffer with momentum, else null) of one shape, distinct. */
    protected abstract void computeRmsProp(T param, T grad, T squareAvg, T gradAvg, T momentumBuffer, RmsPropSpec spec);

    /** Σ t[i]², in double. */
    protected abstract double computeSquaredNorm(T t);
}
