package dev.jcnn.testing;

import dev.jcnn.backend.ActivationOps;
import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.ChannelOps;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.ConvolutionOps;
import dev.jcnn.backend.CrossEntropySpec;
import dev.jcnn.backend.DenseOps;
import dev.jcnn.backend.ElementwiseOps;
import dev.jcnn.backend.LossOps;
import dev.jcnn.backend.LrnSpec;
import dev.jcnn.backend.NormalizationOps;
import dev.jcnn.backend.OptimizerOps;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.PoolingOps;
import dev.jcnn.backend.ResamplingOps;
import dev.jcnn.backend.RmsPropSpec;
import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.SoftmaxOps;
import dev.jcnn.backend.Tensor;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.tensor.Shape;
import java.util.List;

/**
 * A backend that forwards every op to another and runs on its tensors. Its families are the
 * nested classes here, each of whose kernels calls the delegate's op; to inject a fault (and
 * show that a suite catches it), or to count or log calls, override one family's accessor
 * with a family whose one kernel is overridden:
 *
 * <pre>{@code
 * Backend faulty = new ForwardingBackend(new OracleBackend()) {
 *     final ConvolutionOps<?> conv = new Convolution(this) {
 *         protected void computeBackwardData(Tensor dy, Tensor w, ConvSpec spec, Tensor dx) {
 *             super.computeBackwardData(dy, w, spec, dx);
 *             delegate.elementwise().scale(dx, 1.01f, dx);
 *         }
 *     };
 *     public ConvolutionOps<?> convolution() { return conv; }
 * };
 * }</pre>
 *
 * The faulty kernel still gets checked arguments: the family's public op runs the checks first.
 */
public class ForwardingBackend extends Backend {

    protected final Backend delegate;
    private final Elementwise elementwise;
    private final Convolution convolution;
    private final Pooling pooling;
    private final Dense dense;
    private final Activations activations;
    private final Softmax softmax;
    private final Channels channels;
    private final Resampling resampling;
    private final Normalization normalization;
    private final Losses losses;
    private final Optimizers optimizers;

    public ForwardingBackend(Backend delegate) {
        super(delegate);
        this.delegate = delegate;
        elementwise = new Elementwise(this);
        convolution = new Convolution(this);
        pooling = new Pooling(this);
        dense = new Dense(this);
        activations = new Activations(this);
        softmax = new Softmax(this);
        channels = new Channels(this);
        resampling = new Resampling(this);
        normalization = new Normalization(this);
        losses = new Losses(this);
        optimizers = new Optimizers(this);
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
    public ElementwiseOps<?> elementwise() {
        return elementwise;
    }

    @Override
    public ConvolutionOps<?> convolution() {
        return convolution;
    }

    @Override
    public PoolingOps<?> pooling() {
        return pooling;
    }

    @Override
    public DenseOps<?> dense() {
        return dense;
    }

    @Override
    public ActivationOps<?> activations() {
        return activations;
    }

    @Override
    public SoftmaxOps<?> softmax() {
        return softmax;
    }

    @Override
    public ChannelOps<?> channels() {
        return channels;
    }

    @Override
    public ResamplingOps<?> resampling() {
        return resampling;
    }

    @Override
    public NormalizationOps<?> normalization() {
        return normalization;
    }

    @Override
    public LossOps<?> losses() {
        return losses;
    }

    @Override
    public OptimizerOps<?> optimizers() {
        return optimizers;
    }

    @Override
    protected Tensor newTensor(Shape shape, float[] source) {
        return source == null ? delegate.allocate(shape) : delegate.upload(shape, source);
    }

    @Override
    protected void copyToHost(Tensor t, float[] dst) {
        delegate.read(t, dst);
    }

    @Override
    protected void copyFromHost(float[] src, Tensor t) {
        delegate.write(t, src);
    }

    @Override
    protected void release() {
        delegate.close();
    }

    // ---- the forwarding families --------------------------------------------------------

    public static class Elementwise extends ElementwiseOps<Tensor> {

        protected final Backend delegate;

        public Elementwise(ForwardingBackend backend) {
            super(backend, Tensor.class);
            delegate = backend.delegate;
        }

        @Override
        protected void computeFill(Tensor t, float value) {
            delegate.elementwise().fill(t, value);
        }

        @Override
        protected void computeCopy(Tensor src, Tensor dst) {
            delegate.elementwise().copy(src, dst);
        }

        @Override
        protected void computeAdd(Tensor a, Tensor b, Tensor out) {
            delegate.elementwise().add(a, b, out);
        }

        @Override
        protected void computeScale(Tensor a, float s, Tensor out) {
            delegate.elementwise().scale(a, s, out);
        }

        @Override
        protected void computeMultiply(Tensor a, Tensor b, Tensor out) {
            delegate.elementwise().multiply(a, b, out);
        }

        @Override
        protected void computeZeroPad(Tensor x, Padding2D padding, Tensor y) {
            delegate.elementwise().zeroPad(x, padding, y);
        }

        @Override
        protected void computeZeroPadBackward(Tensor dy, Padding2D padding, Tensor dx) {
            delegate.elementwise().zeroPadBackward(dy, padding, dx);
        }
    }

    public static class Convolution extends ConvolutionOps<Tensor> {

        protected final Backend delegate;

        public Convolution(ForwardingBackend backend) {
            super(backend, Tensor.class);
            delegate = backend.delegate;
        }

        @Override
        protected void computeForward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y) {
            delegate.convolution().forward(x, w, b, spec, y);
        }

        @Override
        protected void computeBackwardData(Tensor dy, Tensor w, ConvSpec spec, Tensor dx) {
            delegate.convolution().backwardData(dy, w, spec, dx);
        }

        @Override
        protected void computeBackwardFilter(Tensor x, Tensor dy, ConvSpec spec, Tensor dw) {
            delegate.convolution().backwardFilter(x, dy, spec, dw);
        }

        @Override
        protected void computeBiasBackward(Tensor dy, Tensor db) {
            delegate.convolution().biasBackward(dy, db);
        }
    }

    public static class Pooling extends PoolingOps<Tensor> {

        protected final Backend delegate;

        public Pooling(ForwardingBackend backend) {
            super(backend, Tensor.class);
            delegate = backend.delegate;
        }

        @Override
        protected void computeForward(Tensor x, PoolSpec spec, Tensor y) {
            delegate.pooling().forward(x, spec, y);
        }

        @Override
        protected void computeBackward(Tensor x, Tensor y, Tensor dy, PoolSpec spec, Tensor dx) {
            delegate.pooling().backward(x, y, dy, spec, dx);
        }
    }

    public static class Dense extends DenseOps<Tensor> {

        protected final Backend delegate;

        public Dense(ForwardingBackend backend) {
            super(backend, Tensor.class);
            delegate = backend.delegate;
        }

        @Override
        protected void computeForward(Tensor x, Tensor w, Tensor b, Tensor y) {
            delegate.dense().forward(x, w, b, y);
        }

        @Override
        protected void computeBackwardData(Tensor dy, Tensor w, Tensor dx) {
            delegate.dense().backwardData(dy, w, dx);
        }

        @Override
        protected void computeBackwardWeights(Tensor x, Tensor dy, Tensor dw) {
            delegate.dense().backwardWeights(x, dy, dw);
        }
    }

    public static class Activations extends ActivationOps<Tensor> {

        protected final Backend delegate;

        public Activations(ForwardingBackend backend) {
            super(backend, Tensor.class);
            delegate = backend.delegate;
        }

        @Override
        protected void computeForward(ActivationSpec f, Tensor x, Tensor y) {
            delegate.activations().forward(f, x, y);
        }

        @Override
        protected void computeBackward(ActivationSpec f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
            delegate.activations().backward(f, x, y, dy, dx);
        }

        @Override
        protected void computePreluForward(Tensor x, Tensor alpha, Tensor y) {
            delegate.activations().preluForward(x, alpha, y);
        }

        @Override
        protected void computePreluBackward(Tensor x, Tensor alpha, Tensor dy, Tensor dx, Tensor dalpha) {
            delegate.activations().preluBackward(x, alpha, dy, dx, dalpha);
        }
    }

    public static class Softmax extends SoftmaxOps<Tensor> {

        protected final Backend delegate;

        public Softmax(ForwardingBackend backend) {
            super(backend, Tensor.class);
            delegate = backend.delegate;
        }

        @Override
        protected void computeForward(Tensor x, boolean log, Tensor y) {
            delegate.softmax().forward(x, log, y);
        }

        @Override
        protected void computeBackward(Tensor y, Tensor dy, boolean log, Tensor dx) {
            delegate.softmax().backward(y, dy, log, dx);
        }
    }

    public static class Channels extends ChannelOps<Tensor> {

        protected final Backend delegate;

        public Channels(ForwardingBackend backend) {
            super(backend, Tensor.class);
            delegate = backend.delegate;
        }

        @Override
        protected void computeAddBias(Tensor x, Tensor b, Tensor y) {
            delegate.channels().addBias(x, b, y);
        }

        @Override
        protected void computeConcat(List<Tensor> xs, Tensor y) {
            delegate.channels().concat(xs, y);
        }

        @Override
        protected void computeSplit(Tensor dy, List<Tensor> dxs) {
            delegate.channels().split(dy, dxs);
        }
    }

    public static class Resampling extends ResamplingOps<Tensor> {

        protected final Backend delegate;

        public Resampling(ForwardingBackend backend) {
            super(backend, Tensor.class);
            delegate = backend.delegate;
        }

        @Override
        protected void computeForward(Tensor x, UpsampleSpec spec, Tensor y) {
            delegate.resampling().forward(x, spec, y);
        }

        @Override
        protected void computeBackward(Tensor dy, UpsampleSpec spec, Tensor dx) {
            delegate.resampling().backward(dy, spec, dx);
        }
    }

    public static class Normalization extends NormalizationOps<Tensor> {

        protected final Backend delegate;

        public Normalization(ForwardingBackend backend) {
            super(backend, Tensor.class);
            delegate = backend.delegate;
        }

        @Override
        protected void computeForwardTraining(Tensor x, Tensor gamma, Tensor beta, BatchNormSpec spec,
                Tensor runningMean, Tensor runningVar, Tensor y, Tensor savedMean, Tensor savedInvStd) {
            delegate.normalization().forwardTraining(x, gamma, beta, spec, runningMean, runningVar, y, savedMean,
                    savedInvStd);
        }

        @Override
        protected void computeForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                Tensor runningVar, BatchNormSpec spec, Tensor y) {
            delegate.normalization().forwardInference(x, gamma, beta, runningMean, runningVar, spec, y);
        }

        @Override
        protected void computeBackward(Tensor x, Tensor dy, Tensor gamma, Tensor savedMean, Tensor savedInvStd,
                Tensor dx, Tensor dgamma, Tensor dbeta) {
            delegate.normalization().backward(x, dy, gamma, savedMean, savedInvStd, dx, dgamma, dbeta);
        }

        @Override
        protected void computeLrnForward(Tensor x, LrnSpec spec, Tensor y) {
            delegate.normalization().lrnForward(x, spec, y);
        }

        @Override
        protected void computeLrnBackward(Tensor x, Tensor y, Tensor dy, LrnSpec spec, Tensor dx) {
            delegate.normalization().lrnBackward(x, y, dy, spec, dx);
        }
    }

    public static class Losses extends LossOps<Tensor> {

        protected final Backend delegate;

        public Losses(ForwardingBackend backend) {
            super(backend, Tensor.class);
            delegate = backend.delegate;
        }

        @Override
        protected float computeSoftmaxCrossEntropy(Tensor logits, int[] labels, CrossEntropySpec spec,
                double weightSum, Tensor dlogits) {
            return delegate.losses().softmaxCrossEntropy(logits, labels, spec, dlogits);
        }

        @Override
        protected float computeSoftmaxDice(Tensor logits, int[] labels, double epsilon, Tensor dlogits) {
            return delegate.losses().softmaxDice(logits, labels, epsilon, dlogits);
        }

        @Override
        protected float computeSigmoidDice(Tensor logits, Tensor targets, double epsilon, Tensor dlogits) {
            return delegate.losses().sigmoidDice(logits, targets, epsilon, dlogits);
        }

        @Override
        protected float computeSigmoidCrossEntropy(Tensor logits, Tensor targets, Tensor dlogits) {
            return delegate.losses().sigmoidCrossEntropy(logits, targets, dlogits);
        }

        @Override
        protected float computeMeanSquaredError(Tensor predictions, Tensor targets, Tensor dpredictions) {
            return delegate.losses().meanSquaredError(predictions, targets, dpredictions);
        }
    }

    public static class Optimizers extends OptimizerOps<Tensor> {

        protected final Backend delegate;

        public Optimizers(ForwardingBackend backend) {
            super(backend, Tensor.class);
            delegate = backend.delegate;
        }

        @Override
        protected void computeSgd(Tensor param, Tensor grad, Tensor velocity, SgdSpec spec) {
            delegate.optimizers().sgd(param, grad, velocity, spec);
        }

        @Override
        protected void computeAdam(Tensor param, Tensor grad, Tensor m, Tensor v, AdamSpec spec, int step) {
            delegate.optimizers().adam(param, grad, m, v, spec, step);
        }

        @Override
        protected void computeAdamW(Tensor param, Tensor grad, Tensor m, Tensor v, AdamSpec spec, int step) {
            delegate.optimizers().adamW(param, grad, m, v, spec, step);
        }

        @Override
        protected void computeRmsProp(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuffer,
                RmsPropSpec spec) {
            delegate.optimizers().rmsProp(param, grad, squareAvg, gradAvg, momentumBuffer, spec);
        }

        @Override
        protected double computeSquaredNorm(Tensor t) {
            return delegate.optimizers().squaredNorm(t);
        }
    }
}
