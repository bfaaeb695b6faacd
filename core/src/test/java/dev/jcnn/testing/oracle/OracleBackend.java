package dev.jcnn.testing.oracle;

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
import dev.jcnn.tensor.AllClose;
import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The test oracles behind the {@link Backend} API, rounding their double results to float.
 * Slow and obviously correct; it exists so that the conformance suite, the gradient checker
 * and the golden runner can be checked themselves (core runs the suite against it,
 * cpu-reference runs every golden case on it), not to be compared with other backends. Its
 * arguments are checked by the op families, as for every backend; its families only compute.
 */
public final class OracleBackend extends Backend {

    private final Elementwise elementwise = new Elementwise(this);
    private final Convolution convolution = new Convolution(this);
    private final Pooling pooling = new Pooling(this);
    private final Dense dense = new Dense(this);
    private final Activations activations = new Activations(this);
    private final Softmax softmax = new Softmax(this);
    private final Channels channels = new Channels(this);
    private final Resampling resampling = new Resampling(this);
    private final Normalization normalization = new Normalization(this);
    private final Losses losses = new Losses(this);
    private final Optimizers optimizers = new Optimizers(this);

    @Override
    public String name() {
        return "oracle";
    }

    @Override
    public String device() {
        return "test oracle: nested loops in double on the host";
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

    // ---- memory -------------------------------------------------------------------------

    @Override
    protected Tensor newTensor(Shape shape, float[] source) {
        OracleTensor t = new OracleTensor(shape, this);
        if (source != null) {
            System.arraycopy(source, 0, t.data(), 0, source.length);
        }
        return t;
    }

    @Override
    protected void copyToHost(Tensor t, float[] dst) {
        System.arraycopy(((OracleTensor) t).data(), 0, dst, 0, t.shape().size());
    }

    @Override
    protected void copyFromHost(float[] src, Tensor t) {
        System.arraycopy(src, 0, ((OracleTensor) t).data(), 0, t.shape().size());
    }

    @Override
    protected void release() {
    }

    // ---- the families -------------------------------------------------------------------

    private static final class Elementwise extends ElementwiseOps<OracleTensor> {

        Elementwise(OracleBackend backend) {
            super(backend, OracleTensor.class);
        }

        @Override
        protected void computeFill(OracleTensor t, float value) {
            java.util.Arrays.fill(t.data(), value);
        }

        @Override
        protected void computeCopy(OracleTensor src, OracleTensor dst) {
            System.arraycopy(src.data(), 0, dst.data(), 0, src.shape().size());
        }

        @Override
        protected void computeAdd(OracleTensor a, OracleTensor b, OracleTensor out) {
            float[] x = a.data();
            float[] y = b.data();
            double[] sum = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                sum[i] = (double) x[i] + y[i];
            }
            out.store(sum);
        }

        @Override
        protected void computeScale(OracleTensor a, float s, OracleTensor out) {
            float[] x = a.data();
            double[] r = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                r[i] = (double) x[i] * s;
            }
            out.store(r);
        }

        @Override
        protected void computeMultiply(OracleTensor a, OracleTensor b, OracleTensor out) {
            float[] x = a.data();
            float[] y = b.data();
            double[] r = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                r[i] = (double) x[i] * y[i];
            }
            out.store(r);
        }

        @Override
        protected void computeZeroPad(OracleTensor x, Padding2D padding, OracleTensor y) {
            y.store(PadOracle.pad(x.data(), x.shape(), padding));
        }

        @Override
        protected void computeZeroPadBackward(OracleTensor dy, Padding2D padding, OracleTensor dx) {
            dx.store(PadOracle.unpad(dy.data(), dx.shape(), padding));
        }
    }

    private static final class Convolution extends ConvolutionOps<OracleTensor> {

        Convolution(OracleBackend backend) {
            super(backend, OracleTensor.class);
        }

        @Override
        protected void computeForward(OracleTensor x, OracleTensor w, OracleTensor b, ConvSpec spec, OracleTensor y) {
            y.store(ConvOracle.forward(x.data(), x.shape(), w.data(), w.shape().dim(0), b == null ? null : b.data(),
                    spec));
        }

        @Override
        protected void computeBackwardData(OracleTensor dy, OracleTensor w, ConvSpec spec, OracleTensor dx) {
            dx.store(ConvOracle.backwardData(dy.data(), w.data(), dx.shape(), w.shape().dim(0), spec));
        }

        @Override
        protected void computeBackwardFilter(OracleTensor x, OracleTensor dy, ConvSpec spec, OracleTensor dw) {
            dw.store(ConvOracle.backwardFilter(x.data(), x.shape(), dy.data(), dw.shape().dim(0), spec));
        }

        @Override
        protected void computeBiasBackward(OracleTensor dy, OracleTensor db) {
            db.store(ConvOracle.biasBackward(dy.data(), dy.shape()));
        }
    }

    private static final class Pooling extends PoolingOps<OracleTensor> {

        Pooling(OracleBackend backend) {
            super(backend, OracleTensor.class);
        }

        @Override
        protected void computeForward(OracleTensor x, PoolSpec spec, OracleTensor y) {
            y.store(PoolOracle.forward(x.data(), x.shape(), spec));
        }

        @Override
        protected void computeBackward(OracleTensor x, OracleTensor y, OracleTensor dy, PoolSpec spec,
                OracleTensor dx) {
            dx.store(PoolOracle.backward(x.data(), x.shape(), dy.data(), spec));
        }
    }

    private static final class Dense extends DenseOps<OracleTensor> {

        Dense(OracleBackend backend) {
            super(backend, OracleTensor.class);
        }

        @Override
        protected void computeForward(OracleTensor x, OracleTensor w, OracleTensor b, OracleTensor y) {
            y.store(DenseOracle.forward(x.data(), x.shape().batch(), w.shape().dim(1), w.data(), w.shape().dim(0),
                    b == null ? null : b.data()));
        }

        @Override
        protected void computeBackwardData(OracleTensor dy, OracleTensor w, OracleTensor dx) {
            dx.store(DenseOracle.backwardData(dy.data(), w.data(), dx.shape().batch(), w.shape().dim(1),
                    w.shape().dim(0)));
        }

        @Override
        protected void computeBackwardWeights(OracleTensor x, OracleTensor dy, OracleTensor dw) {
            dw.store(DenseOracle.backwardWeights(x.data(), dy.data(), x.shape().batch(), dw.shape().dim(1),
                    dw.shape().dim(0)));
        }
    }

    private static final class Activations extends ActivationOps<OracleTensor> {

        Activations(OracleBackend backend) {
            super(backend, OracleTensor.class);
        }

        @Override
        protected void computeForward(ActivationSpec f, OracleTensor x, OracleTensor y) {
            y.store(ActivationOracle.forward(f, x.data()));
        }

        @Override
        protected void computeBackward(ActivationSpec f, OracleTensor x, OracleTensor y, OracleTensor dy,
                OracleTensor dx) {
            dx.store(ActivationOracle.backward(f, x.data(), dy.data()));
        }

        @Override
        protected void computePreluForward(OracleTensor x, OracleTensor alpha, OracleTensor y) {
            y.store(ActivationOracle.preluForward(x.data(), x.shape(), alpha.data()));
        }

        @Override
        protected void computePreluBackward(OracleTensor x, OracleTensor alpha, OracleTensor dy, OracleTensor dx,
                OracleTensor dalpha) {
            double[] da = ActivationOracle.preluBackwardAlpha(x.data(), x.shape(), dy.data());
            dx.store(ActivationOracle.preluBackwardData(x.data(), x.shape(), alpha.data(), dy.data()));
            dalpha.store(da);
        }
    }

    private static final class Softmax extends SoftmaxOps<OracleTensor> {

        Softmax(OracleBackend backend) {
            super(backend, OracleTensor.class);
        }

        @Override
        protected void computeForward(OracleTensor x, boolean log, OracleTensor y) {
            y.store(SoftmaxOracle.forward(x.data(), x.shape(), log));
        }

        @Override
        protected void computeBackward(OracleTensor y, OracleTensor dy, boolean log, OracleTensor dx) {
            dx.store(SoftmaxOracle.backward(y.data(), dy.data(), y.shape(), log));
        }
    }

    private static final class Channels extends ChannelOps<OracleTensor> {

        Channels(OracleBackend backend) {
            super(backend, OracleTensor.class);
        }

        @Override
        protected void computeAddBias(OracleTensor x, OracleTensor b, OracleTensor y) {
            y.store(ChannelOracle.addBias(x.data(), x.shape(), b.data()));
        }

        @Override
        protected void computeConcat(List<OracleTensor> xs, OracleTensor y) {
            List<Shape> shapes = new ArrayList<>();
            List<float[]> parts = new ArrayList<>();
            for (OracleTensor t : xs) {
                shapes.add(t.shape());
                parts.add(t.data());
            }
            y.store(ChannelOracle.concat(parts, shapes));
        }

        @Override
        protected void computeSplit(OracleTensor dy, List<OracleTensor> dxs) {
            List<Shape> shapes = new ArrayList<>();
            for (OracleTensor t : dxs) {
                shapes.add(t.shape());
            }
            List<double[]> parts = ChannelOracle.split(dy.data(), shapes);
            for (int i = 0; i < parts.size(); i++) {
                dxs.get(i).store(parts.get(i));
            }
        }
    }

    private static final class Resampling extends ResamplingOps<OracleTensor> {

        Resampling(OracleBackend backend) {
            super(backend, OracleTensor.class);
        }

        @Override
        protected void computeForward(OracleTensor x, UpsampleSpec spec, OracleTensor y) {
            y.store(ResampleOracle.forward(x.data(), x.shape(), spec));
        }

        @Override
        protected void computeBackward(OracleTensor dy, UpsampleSpec spec, OracleTensor dx) {
            dx.store(ResampleOracle.backward(dy.data(), dx.shape(), spec));
        }
    }

    private static final class Normalization extends NormalizationOps<OracleTensor> {

        Normalization(OracleBackend backend) {
            super(backend, OracleTensor.class);
        }

        @Override
        protected void computeForwardTraining(OracleTensor x, OracleTensor gamma, OracleTensor beta,
                BatchNormSpec spec, OracleTensor runningMean, OracleTensor runningVar, OracleTensor y,
                OracleTensor savedMean, OracleTensor savedInvStd) {
            NormOracle.Training t = NormOracle.training(x.data(), x.shape(), gamma.data(), beta.data(), spec,
                    runningMean.data(), runningVar.data());
            y.store(t.y());
            savedMean.store(t.mean());
            savedInvStd.store(t.invStd());
            runningMean.store(t.runningMean());
            runningVar.store(t.runningVar());
        }

        @Override
        protected void computeForwardInference(OracleTensor x, OracleTensor gamma, OracleTensor beta,
                OracleTensor runningMean, OracleTensor runningVar, BatchNormSpec spec, OracleTensor y) {
            y.store(NormOracle.inference(x.data(), x.shape(), gamma.data(), beta.data(), runningMean.data(),
                    runningVar.data(), spec));
        }

        @Override
        protected void computeBackward(OracleTensor x, OracleTensor dy, OracleTensor gamma, OracleTensor savedMean,
                OracleTensor savedInvStd, OracleTensor dx, OracleTensor dgamma, OracleTensor dbeta) {
            NormOracle.Gradients g = NormOracle.backward(x.data(), x.shape(), dy.data(), gamma.data(),
                    savedMean.data(), savedInvStd.data());
            dx.store(g.dx());
            dgamma.store(g.dgamma());
            dbeta.store(g.dbeta());
        }

        @Override
        protected void computeLrnForward(OracleTensor x, LrnSpec spec, OracleTensor y) {
            y.store(LrnOracle.forward(x.data(), x.shape(), spec));
        }

        @Override
        protected void computeLrnBackward(OracleTensor x, OracleTensor y, OracleTensor dy, LrnSpec spec,
                OracleTensor dx) {
            dx.store(LrnOracle.backward(x.data(), x.shape(), dy.data(), spec));
        }
    }

    private static final class Losses extends LossOps<OracleTensor> {

        Losses(OracleBackend backend) {
            super(backend, OracleTensor.class);
        }

        @Override
        protected float computeSoftmaxCrossEntropy(OracleTensor logits, int[] labels, CrossEntropySpec spec,
                double weightSum, OracleTensor dlogits) {
            return result(LossOracle.crossEntropy(logits.data(), logits.shape(), labels, spec), dlogits);
        }

        @Override
        protected float computeSoftmaxDice(OracleTensor logits, int[] labels, double epsilon, OracleTensor dlogits) {
            return result(LossOracle.softmaxDice(logits.data(), logits.shape(), labels, epsilon), dlogits);
        }

        @Override
        protected float computeSigmoidDice(OracleTensor logits, OracleTensor targets, double epsilon,
                OracleTensor dlogits) {
            return result(LossOracle.sigmoidDice(logits.data(), targets.data(), epsilon), dlogits);
        }

        @Override
        protected float computeSigmoidCrossEntropy(OracleTensor logits, OracleTensor targets, OracleTensor dlogits) {
            return result(LossOracle.sigmoidCrossEntropy(logits.data(), targets.data()), dlogits);
        }

        @Override
        protected float computeMeanSquaredError(OracleTensor predictions, OracleTensor targets,
                OracleTensor dpredictions) {
            return result(LossOracle.meanSquaredError(predictions.data(), targets.data()), dpredictions);
        }

        /** The loss's value, after storing its gradient unless grad is null. */
        private static float result(LossOracle.Loss loss, OracleTensor grad) {
            if (grad != null) {
                grad.store(loss.gradient());
            }
            return (float) loss.value();
        }
    }

    private static final class Optimizers extends OptimizerOps<OracleTensor> {

        Optimizers(OracleBackend backend) {
            super(backend, OracleTensor.class);
        }

        @Override
        protected void computeSgd(OracleTensor param, OracleTensor grad, OracleTensor velocity, SgdSpec spec) {
            double[] p = AllClose.toDouble(param.data());
            double[] v = velocity == null ? null : AllClose.toDouble(velocity.data());
            OptimizerOracle.sgd(p, grad.data(), v, spec);
            param.store(p);
            if (v != null) {
                velocity.store(v);
            }
        }

        @Override
        protected void computeAdam(OracleTensor param, OracleTensor grad, OracleTensor m, OracleTensor v,
                AdamSpec spec, int step) {
            double[] p = AllClose.toDouble(param.data());
            double[] mm = AllClose.toDouble(m.data());
            double[] vv = AllClose.toDouble(v.data());
            OptimizerOracle.adam(p, grad.data(), mm, vv, spec, step);
            param.store(p);
            m.store(mm);
            v.store(vv);
        }

        @Override
        protected void computeAdamW(OracleTensor param, OracleTensor grad, OracleTensor m, OracleTensor v,
                AdamSpec spec, int step) {
            double[] p = AllClose.toDouble(param.data());
            double[] mm = AllClose.toDouble(m.data());
            double[] vv = AllClose.toDouble(v.data());
            OptimizerOracle.adamW(p, grad.data(), mm, vv, spec, step);
            param.store(p);
            m.store(mm);
            v.store(vv);
        }

        @Override
        protected void computeRmsProp(OracleTensor param, OracleTensor grad, OracleTensor squareAvg,
                OracleTensor gradAvg, OracleTensor momentumBuffer, RmsPropSpec spec) {
            double[] p = AllClose.toDouble(param.data());
            double[] s = AllClose.toDouble(squareAvg.data());
            double[] a = gradAvg == null ? null : AllClose.toDouble(gradAvg.data());
            double[] b = momentumBuffer == null ? null : AllClose.toDouble(momentumBuffer.data());
            OptimizerOracle.rmsProp(p, grad.data(), s, a, b, spec);
            param.store(p);
            squareAvg.store(s);
            if (a != null) {
                gradAvg.store(a);
            }
            if (b != null) {
                momentumBuffer.store(b);
            }
        }

        @Override
        protected double computeSquaredNorm(OracleTensor t) {
            double s = 0;
            for (float x : t.data()) {
                s += (double) x * x;
            }
            return s;
        }
    }
}
