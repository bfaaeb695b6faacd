package dev.jcnn.testing.oracle;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.Checks;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;
import dev.jcnn.testing.AllClose;
import java.util.ArrayList;
import java.util.List;

/**
 * The test oracles behind the {@link Backend} interface, rounding their double results to
 * float. Slow and obviously correct; it exists so that the conformance suite, the gradient
 * checker and the golden runner can be checked themselves (core runs the suite against it,
 * cpu-reference runs every golden case on it), not to be compared with other backends.
 */
public final class OracleBackend implements Backend {

    @Override
    public String name() {
        return "oracle";
    }

    @Override
    public String device() {
        return "test oracle: nested loops in double on the host";
    }

    // ---- memory -------------------------------------------------------------------------

    @Override
    public Tensor allocate(Shape shape) {
        return new OracleTensor(shape, this);
    }

    @Override
    public Tensor upload(Shape shape, float[] data) {
        Checks.length("upload", data, shape.size());
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("upload: array holds " + data.length + " values, expected exactly "
                    + shape.size() + " for shape " + shape);
        }
        OracleTensor t = new OracleTensor(shape, this);
        System.arraycopy(data, 0, t.data(), 0, data.length);
        return t;
    }

    @Override
    public void read(Tensor t, float[] dst) {
        Checks.length("read", dst, t.shape().size());
        System.arraycopy(data(t), 0, dst, 0, t.shape().size());
    }

    @Override
    public void write(Tensor t, float[] src) {
        Checks.length("write", src, t.shape().size());
        System.arraycopy(src, 0, data(t), 0, t.shape().size());
    }

    @Override
    public void fill(Tensor t, float value) {
        java.util.Arrays.fill(data(t), value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        Checks.sameSize("copy", "src", src, "dst", dst);
        System.arraycopy(data(src), 0, data(dst), 0, src.shape().size());
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        Checks.shape("add", "b", b, a.shape());
        Checks.shape("add", "out", out, a.shape());
        float[] x = data(a);
        float[] y = data(b);
        double[] sum = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            sum[i] = (double) x[i] + y[i];
        }
        store(sum, out);
    }

    @Override
    public void scale(Tensor a, float s, Tensor out) {
        Checks.shape("scale", "out", out, a.shape());
        float[] x = data(a);
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = (double) x[i] * s;
        }
        store(r, out);
    }

    @Override
    public void zeroPad(Tensor x, Padding2D padding, Tensor y) {
        Checks.rank("zeroPad", "x", x, 4);
        Checks.shape("zeroPad", "y", y, PadOracle.paddedShape(x.shape(), padding));
        store(PadOracle.pad(data(x), x.shape(), padding), y);
    }

    @Override
    public void zeroPadBackward(Tensor dy, Padding2D padding, Tensor dx) {
        Checks.rank("zeroPadBackward", "dx", dx, 4);
        Checks.shape("zeroPadBackward", "dy", dy, PadOracle.paddedShape(dx.shape(), padding));
        store(PadOracle.unpad(data(dy), dx.shape(), padding), dx);
    }

    // ---- convolution --------------------------------------------------------------------

    @Override
    public void convForward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y) {
        int k = checkConv("convForward", x, w, spec);
        if (b != null) {
            Checks.shape("convForward", "b", b, Shape.of(k));
        }
        Checks.shape("convForward", "y", y, spec.outputShape(x.shape(), k));
        store(ConvOracle.forward(data(x), x.shape(), data(w), k, b == null ? null : data(b), spec), y);
    }

    @Override
    public void convBackwardData(Tensor dy, Tensor w, ConvSpec spec, Tensor dx) {
        int k = checkConv("convBackwardData", dx, w, spec);
        Checks.shape("convBackwardData", "dy", dy, spec.outputShape(dx.shape(), k));
        store(ConvOracle.backwardData(data(dy), data(w), dx.shape(), k, spec), dx);
    }

    @Override
    public void convBackwardFilter(Tensor x, Tensor dy, ConvSpec spec, Tensor dw) {
        int k = checkConv("convBackwardFilter", x, dw, spec);
        Checks.shape("convBackwardFilter", "dy", dy, spec.outputShape(x.shape(), k));
        store(ConvOracle.backwardFilter(data(x), x.shape(), data(dy), k, spec), dw);
    }

    private static int checkConv(String op, Tensor x, Tensor w, ConvSpec spec) {
        Checks.rank(op, "x", x, 4);
        Checks.rank(op, "w", w, 4);
        int k = w.shape().dim(0);
        Checks.shape(op, "w", w, spec.weightShape(x.shape().channels(), k));
        return k;
    }

    @Override
    public void biasBackward(Tensor dy, Tensor db) {
        if (dy.shape().rank() < 2) {
            throw new IllegalArgumentException("biasBackward: dy has shape " + dy.shape() + ", expected rank 2 or 4");
        }
        Checks.shape("biasBackward", "db", db, Shape.of(dy.shape().dim(1)));
        store(ConvOracle.biasBackward(data(dy), dy.shape()), db);
    }

    // ---- pooling ------------------------------------------------------------------------

    @Override
    public void poolForward(Tensor x, PoolSpec spec, Tensor y) {
        Checks.rank("poolForward", "x", x, 4);
        Checks.shape("poolForward", "y", y, spec.outputShape(x.shape()));
        store(PoolOracle.forward(data(x), x.shape(), spec), y);
    }

    @Override
    public void poolBackward(Tensor x, Tensor y, Tensor dy, PoolSpec spec, Tensor dx) {
        Checks.rank("poolBackward", "x", x, 4);
        Shape ys = spec.outputShape(x.shape());
        Checks.shape("poolBackward", "y", y, ys);
        Checks.shape("poolBackward", "dy", dy, ys);
        Checks.shape("poolBackward", "dx", dx, x.shape());
        store(PoolOracle.backward(data(x), x.shape(), data(dy), spec), dx);
    }

    // ---- dense --------------------------------------------------------------------------

    @Override
    public void denseForward(Tensor x, Tensor w, Tensor b, Tensor y) {
        int n = checkDense("denseForward", x, w);
        int out = w.shape().dim(0);
        if (b != null) {
            Checks.shape("denseForward", "b", b, Shape.of(out));
        }
        Checks.shape("denseForward", "y", y, Shape.of(n, out));
        store(DenseOracle.forward(data(x), n, w.shape().dim(1), data(w), out, b == null ? null : data(b)), y);
    }

    @Override
    public void denseBackwardData(Tensor dy, Tensor w, Tensor dx) {
        int n = checkDense("denseBackwardData", dx, w);
        Checks.shape("denseBackwardData", "dy", dy, Shape.of(n, w.shape().dim(0)));
        store(DenseOracle.backwardData(data(dy), data(w), n, w.shape().dim(1), w.shape().dim(0)), dx);
    }

    @Override
    public void denseBackwardWeights(Tensor x, Tensor dy, Tensor dw) {
        int n = checkDense("denseBackwardWeights", x, dw);
        Checks.shape("denseBackwardWeights", "dy", dy, Shape.of(n, dw.shape().dim(0)));
        store(DenseOracle.backwardWeights(data(x), data(dy), n, dw.shape().dim(1), dw.shape().dim(0)), dw);
    }

    private static int checkDense(String op, Tensor x, Tensor w) {
        Checks.rank(op, "w", w, 2);
        int n = x.shape().batch();
        if (x.shape().sampleSize() != w.shape().dim(1)) {
            throw new IllegalArgumentException(op + ": x " + x.shape() + " has " + x.shape().sampleSize()
                    + " features per sample, expected " + w.shape().dim(1) + " (w " + w.shape() + ")");
        }
        return n;
    }

    // ---- activations --------------------------------------------------------------------

    @Override
    public void activationForward(ActivationSpec f, Tensor x, Tensor y) {
        Checks.shape("activationForward", "y", y, x.shape());
        store(ActivationOracle.forward(f, data(x)), y);
    }

    @Override
    public void activationBackward(ActivationSpec f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        Checks.shape("activationBackward", "y", y, x.shape());
        Checks.shape("activationBackward", "dy", dy, x.shape());
        Checks.shape("activationBackward", "dx", dx, x.shape());
        store(ActivationOracle.backward(f, data(x), data(dy)), dx);
    }

    @Override
    public void preluForward(Tensor x, Tensor alpha, Tensor y) {
        checkPrelu("preluForward", x, alpha);
        Checks.shape("preluForward", "y", y, x.shape());
        store(ActivationOracle.preluForward(data(x), x.shape(), data(alpha)), y);
    }

    @Override
    public void preluBackward(Tensor x, Tensor alpha, Tensor dy, Tensor dx, Tensor dalpha) {
        checkPrelu("preluBackward", x, alpha);
        Checks.shape("preluBackward", "dy", dy, x.shape());
        Checks.shape("preluBackward", "dx", dx, x.shape());
        Checks.shape("preluBackward", "dalpha", dalpha, alpha.shape());
        double[] da = ActivationOracle.preluBackwardAlpha(data(x), x.shape(), data(dy));
        store(ActivationOracle.preluBackwardData(data(x), x.shape(), data(alpha), data(dy)), dx);
        store(da, dalpha);
    }

    private static void checkPrelu(String op, Tensor x, Tensor alpha) {
        if (x.shape().rank() < 2) {
            throw new IllegalArgumentException(op + ": x has shape " + x.shape() + ", expected rank 2 or more");
        }
        Checks.shape(op, "alpha", alpha, Shape.of(x.shape().dim(1)));
    }

    @Override
    public void softmaxForward(Tensor x, boolean log, Tensor y) {
        Checks.shape("softmaxForward", "y", y, x.shape());
        store(SoftmaxOracle.forward(data(x), x.shape(), log), y);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, boolean log, Tensor dx) {
        Checks.shape("softmaxBackward", "dy", dy, y.shape());
        Checks.shape("softmaxBackward", "dx", dx, y.shape());
        store(SoftmaxOracle.backward(data(y), data(dy), y.shape(), log), dx);
    }

    // ---- channels, resampling, normalization -------------------------------------------

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        Checks.shape("multiply", "b", b, a.shape());
        Checks.shape("multiply", "out", out, a.shape());
        float[] x = data(a);
        float[] y = data(b);
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = (double) x[i] * y[i];
        }
        store(r, out);
    }

    @Override
    public void addBias(Tensor x, Tensor b, Tensor y) {
        checkChannels("addBias", x);
        Checks.shape("addBias", "b", b, Shape.of(x.shape().dim(1)));
        Checks.shape("addBias", "y", y, x.shape());
        store(ChannelOracle.addBias(data(x), x.shape(), data(b)), y);
    }

    @Override
    public void concatChannels(List<Tensor> xs, Tensor y) {
        List<Shape> shapes = new ArrayList<>();
        List<float[]> parts = new ArrayList<>();
        for (Tensor t : xs) {
            shapes.add(t.shape());
            parts.add(data(t));
        }
        Checks.shape("concatChannels", "y", y, ChannelOracle.concatShape(shapes));
        store(ChannelOracle.concat(parts, shapes), y);
    }

    @Override
    public void splitChannels(Tensor dy, List<Tensor> dxs) {
        List<Shape> shapes = new ArrayList<>();
        for (Tensor t : dxs) {
            shapes.add(t.shape());
        }
        Checks.shape("splitChannels", "dy", dy, ChannelOracle.concatShape(shapes));
        List<double[]> parts = ChannelOracle.split(data(dy), shapes);
        for (int i = 0; i < parts.size(); i++) {
            store(parts.get(i), dxs.get(i));
        }
    }

    @Override
    public void upsampleForward(Tensor x, UpsampleSpec spec, Tensor y) {
        Checks.rank("upsampleForward", "x", x, 4);
        Checks.shape("upsampleForward", "y", y, spec.outputShape(x.shape()));
        store(ResampleOracle.forward(data(x), x.shape(), spec), y);
    }

    @Override
    public void upsampleBackward(Tensor dy, UpsampleSpec spec, Tensor dx) {
        Checks.rank("upsampleBackward", "dx", dx, 4);
        Checks.shape("upsampleBackward", "dy", dy, spec.outputShape(dx.shape()));
        store(ResampleOracle.backward(data(dy), dx.shape(), spec), dx);
    }

    @Override
    public void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, BatchNormSpec spec, Tensor runningMean,
            Tensor runningVar, Tensor y, Tensor savedMean, Tensor savedInvStd) {
        String op = "batchNormForwardTraining";
        Shape c = checkNorm(op, x, gamma, beta);
        Checks.shape(op, "runningMean", runningMean, c);
        Checks.shape(op, "runningVar", runningVar, c);
        Checks.shape(op, "savedMean", savedMean, c);
        Checks.shape(op, "savedInvStd", savedInvStd, c);
        Checks.shape(op, "y", y, x.shape());
        int perChannel = x.shape().size() / c.dim(0);
        if (perChannel < 2) {
            throw new IllegalArgumentException(op + ": x " + x.shape() + " has " + perChannel
                    + " value per channel, expected more than one to estimate a variance in training");
        }
        NormOracle.Training t = NormOracle.training(data(x), x.shape(), data(gamma), data(beta), spec,
                data(runningMean), data(runningVar));
        store(t.y(), y);
        store(t.mean(), savedMean);
        store(t.invStd(), savedInvStd);
        store(t.runningMean(), runningMean);
        store(t.runningVar(), runningVar);
    }

    @Override
    public void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            BatchNormSpec spec, Tensor y) {
        String op = "batchNormForwardInference";
        Shape c = checkNorm(op, x, gamma, beta);
        Checks.shape(op, "runningMean", runningMean, c);
        Checks.shape(op, "runningVar", runningVar, c);
        Checks.shape(op, "y", y, x.shape());
        store(NormOracle.inference(data(x), x.shape(), data(gamma), data(beta), data(runningMean), data(runningVar), spec), y);
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor savedMean, Tensor savedInvStd, Tensor dx,
            Tensor dgamma, Tensor dbeta) {
        String op = "batchNormBackward";
        Shape c = checkNorm(op, x, gamma, gamma);
        Checks.shape(op, "dy", dy, x.shape());
        Checks.shape(op, "dx", dx, x.shape());
        Checks.shape(op, "savedMean", savedMean, c);
        Checks.shape(op, "savedInvStd", savedInvStd, c);
        Checks.shape(op, "dgamma", dgamma, c);
        Checks.shape(op, "dbeta", dbeta, c);
        NormOracle.Gradients g = NormOracle.backward(data(x), x.shape(), data(dy), data(gamma), data(savedMean),
                data(savedInvStd));
        store(g.dx(), dx);
        store(g.dgamma(), dgamma);
        store(g.dbeta(), dbeta);
    }

    private static Shape checkNorm(String op, Tensor x, Tensor gamma, Tensor beta) {
        checkChannels(op, x);
        Shape c = Shape.of(x.shape().dim(1));
        Checks.shape(op, "gamma", gamma, c);
        Checks.shape(op, "beta", beta, c);
        return c;
    }

    private static void checkChannels(String op, Tensor x) {
        if (x.shape().rank() < 2) {
            throw new IllegalArgumentException(op + ": x has shape " + x.shape() + ", expected (N, C) or (N, C, H, W)");
        }
    }

    // ---- losses -------------------------------------------------------------------------

    @Override
    public float softmaxCrossEntropy(Tensor logits, int[] labels, Tensor dlogits) {
        Checks.rank("softmaxCrossEntropy", "logits", logits, 2);
        int n = logits.shape().dim(0);
        int classes = logits.shape().dim(1);
        Checks.labels("softmaxCrossEntropy", labels, n, classes);
        if (labels.length != n) {
            throw new IllegalArgumentException("softmaxCrossEntropy: expected " + n + " labels, got " + labels.length);
        }
        LossOracle.Loss loss = LossOracle.softmaxCrossEntropy(data(logits), n, classes, labels);
        return gradient("softmaxCrossEntropy", loss, logits, dlogits);
    }

    @Override
    public float sigmoidCrossEntropy(Tensor logits, Tensor targets, Tensor dlogits) {
        Checks.shape("sigmoidCrossEntropy", "targets", targets, logits.shape());
        return gradient("sigmoidCrossEntropy", LossOracle.sigmoidCrossEntropy(data(logits), data(targets)), logits, dlogits);
    }

    @Override
    public float meanSquaredError(Tensor predictions, Tensor targets, Tensor dpredictions) {
        Checks.shape("meanSquaredError", "targets", targets, predictions.shape());
        return gradient("meanSquaredError", LossOracle.meanSquaredError(data(predictions), data(targets)),
                predictions, dpredictions);
    }

    private float gradient(String op, LossOracle.Loss loss, Tensor input, Tensor grad) {
        if (grad != null) {
            Checks.shape(op, "gradient", grad, input.shape());
            store(loss.gradient(), grad);
        }
        return (float) loss.value();
    }

    // ---- optimizers ---------------------------------------------------------------------

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, SgdSpec spec) {
        Checks.shape("sgdUpdate", "grad", grad, param.shape());
        if (spec.momentum() > 0) {
            if (velocity == null) {
                throw new IllegalArgumentException("sgdUpdate: velocity is null, expected a buffer of shape "
                        + param.shape() + " for momentum " + spec.momentum());
            }
            Checks.shape("sgdUpdate", "velocity", velocity, param.shape());
        }
        double[] p = AllClose.toDouble(data(param));
        double[] v = spec.momentum() > 0 ? AllClose.toDouble(data(velocity)) : null;
        OptimizerOracle.sgd(p, data(grad), v, spec);
        store(p, param);
        if (v != null) {
            store(v, velocity);
        }
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamSpec spec, int step) {
        Checks.shape("adamUpdate", "grad", grad, param.shape());
        Checks.shape("adamUpdate", "m", m, param.shape());
        Checks.shape("adamUpdate", "v", v, param.shape());
        if (step < 1) {
            throw new IllegalArgumentException("adamUpdate: step is " + step + ", expected 1 or more");
        }
        double[] p = AllClose.toDouble(data(param));
        double[] mm = AllClose.toDouble(data(m));
        double[] vv = AllClose.toDouble(data(v));
        OptimizerOracle.adam(p, data(grad), mm, vv, spec, step);
        store(p, param);
        store(mm, m);
        store(vv, v);
    }

    @Override
    public void close() {
    }

    // ---- helpers ------------------------------------------------------------------------

    private float[] data(Tensor t) {
        if (!(t instanceof OracleTensor o) || t.backend() != this) {
            throw new IllegalArgumentException("tensor " + (t == null ? "null" : t.shape()) + " does not belong to this backend");
        }
        return o.data();
    }

    private void store(double[] values, Tensor t) {
        float[] d = data(t);
        for (int i = 0; i < values.length; i++) {
            d[i] = (float) values[i];
        }
    }
}
