package dev.jcnn.testing;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;
import java.util.List;

/**
 * A backend that forwards every call to another. Override one op to inject a fault and show
 * that a suite catches it, or to count or log calls.
 */
public class ForwardingBackend implements Backend {

    protected final Backend delegate;

    public ForwardingBackend(Backend delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String device() {
        return delegate.device();
    }

    @Override
    public Tensor allocate(Shape shape) {
        return delegate.allocate(shape);
    }

    @Override
    public Tensor upload(Shape shape, float[] data) {
        return delegate.upload(shape, data);
    }

    @Override
    public void read(Tensor t, float[] dst) {
        delegate.read(t, dst);
    }

    @Override
    public void write(Tensor t, float[] src) {
        delegate.write(t, src);
    }

    @Override
    public void fill(Tensor t, float value) {
        delegate.fill(t, value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        delegate.copy(src, dst);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        delegate.add(a, b, out);
    }

    @Override
    public void scale(Tensor a, float s, Tensor out) {
        delegate.scale(a, s, out);
    }

    @Override
    public void zeroPad(Tensor x, Padding2D padding, Tensor y) {
        delegate.zeroPad(x, padding, y);
    }

    @Override
    public void zeroPadBackward(Tensor dy, Padding2D padding, Tensor dx) {
        delegate.zeroPadBackward(dy, padding, dx);
    }

    @Override
    public void convForward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y) {
        delegate.convForward(x, w, b, spec, y);
    }

    @Override
    public void convBackwardData(Tensor dy, Tensor w, ConvSpec spec, Tensor dx) {
        delegate.convBackwardData(dy, w, spec, dx);
    }

    @Override
    public void convBackwardFilter(Tensor x, Tensor dy, ConvSpec spec, Tensor dw) {
        delegate.convBackwardFilter(x, dy, spec, dw);
    }

    @Override
    public void biasBackward(Tensor dy, Tensor db) {
        delegate.biasBackward(dy, db);
    }

    @Override
    public void poolForward(Tensor x, PoolSpec spec, Tensor y) {
        delegate.poolForward(x, spec, y);
    }

    @Override
    public void poolBackward(Tensor x, Tensor y, Tensor dy, PoolSpec spec, Tensor dx) {
        delegate.poolBackward(x, y, dy, spec, dx);
    }

    @Override
    public void denseForward(Tensor x, Tensor w, Tensor b, Tensor y) {
        delegate.denseForward(x, w, b, y);
    }

    @Override
    public void denseBackwardData(Tensor dy, Tensor w, Tensor dx) {
        delegate.denseBackwardData(dy, w, dx);
    }

    @Override
    public void denseBackwardWeights(Tensor x, Tensor dy, Tensor dw) {
        delegate.denseBackwardWeights(x, dy, dw);
    }

    @Override
    public void activationForward(ActivationSpec f, Tensor x, Tensor y) {
        delegate.activationForward(f, x, y);
    }

    @Override
    public void activationBackward(ActivationSpec f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        delegate.activationBackward(f, x, y, dy, dx);
    }

    @Override
    public void preluForward(Tensor x, Tensor alpha, Tensor y) {
        delegate.preluForward(x, alpha, y);
    }

    @Override
    public void preluBackward(Tensor x, Tensor alpha, Tensor dy, Tensor dx, Tensor dalpha) {
        delegate.preluBackward(x, alpha, dy, dx, dalpha);
    }

    @Override
    public void softmaxForward(Tensor x, boolean log, Tensor y) {
        delegate.softmaxForward(x, log, y);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, boolean log, Tensor dx) {
        delegate.softmaxBackward(y, dy, log, dx);
    }

    @Override
    public float softmaxCrossEntropy(Tensor logits, int[] labels, Tensor dlogits) {
        return delegate.softmaxCrossEntropy(logits, labels, dlogits);
    }

    @Override
    public float sigmoidCrossEntropy(Tensor logits, Tensor targets, Tensor dlogits) {
        return delegate.sigmoidCrossEntropy(logits, targets, dlogits);
    }

    @Override
    public float meanSquaredError(Tensor predictions, Tensor targets, Tensor dpredictions) {
        return delegate.meanSquaredError(predictions, targets, dpredictions);
    }

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, SgdSpec spec) {
        delegate.sgdUpdate(param, grad, velocity, spec);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamSpec spec, int step) {
        delegate.adamUpdate(param, grad, m, v, spec, step);
    }

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        delegate.multiply(a, b, out);
    }

    @Override
    public void addBias(Tensor x, Tensor b, Tensor y) {
        delegate.addBias(x, b, y);
    }

    @Override
    public void concatChannels(List<Tensor> xs, Tensor y) {
        delegate.concatChannels(xs, y);
    }

    @Override
    public void splitChannels(Tensor dy, List<Tensor> dxs) {
        delegate.splitChannels(dy, dxs);
    }

    @Override
    public void upsampleForward(Tensor x, UpsampleSpec spec, Tensor y) {
        delegate.upsampleForward(x, spec, y);
    }

    @Override
    public void upsampleBackward(Tensor dy, UpsampleSpec spec, Tensor dx) {
        delegate.upsampleBackward(dy, spec, dx);
    }

    @Override
    public void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, BatchNormSpec spec, Tensor runningMean,
            Tensor runningVar, Tensor y, Tensor savedMean, Tensor savedInvStd) {
        delegate.batchNormForwardTraining(x, gamma, beta, spec, runningMean, runningVar, y, savedMean, savedInvStd);
    }

    @Override
    public void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            BatchNormSpec spec, Tensor y) {
        delegate.batchNormForwardInference(x, gamma, beta, runningMean, runningVar, spec, y);
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor savedMean, Tensor savedInvStd, Tensor dx,
            Tensor dgamma, Tensor dbeta) {
        delegate.batchNormBackward(x, dy, gamma, savedMean, savedInvStd, dx, dgamma, dbeta);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
