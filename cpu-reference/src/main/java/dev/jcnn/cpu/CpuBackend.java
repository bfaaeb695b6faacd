package dev.jcnn.cpu;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.Checks;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.OpChecks;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The CPU backend, in plain Java over {@code float[]} on {@link BackendOptions#threads()}
 * threads. Convolutions and dense layers are float matrix products on {@link Kernels}: the
 * JDK's Vector API when the JVM runs with {@code --add-modules jdk.incubator.vector}, plain
 * loops otherwise ({@link Vectorization} says which, once, in the log); the other ops sum in
 * double. Every sum runs in a fixed order, so results do not depend on the thread count; the
 * tests hold every op to naive loops summed in double. This class checks that tensors are open
 * and its own, leaves the other argument checks to {@link OpChecks} and hands the arrays to one
 * class per op family.
 */
public final class CpuBackend implements Backend {

    private static final Logger LOG = LogManager.getLogger(CpuBackend.class);

    private final Parallel parallel;
    private final Kernels kernels;
    private final AtomicInteger liveTensors = new AtomicInteger();
    private volatile boolean closed;

    /** A backend with the given options; numerics do not matter here, every op is exact. */
    public CpuBackend(BackendOptions options) {
        this(options, Vectorization.kernels());
    }

    /** A backend on the given kernels: the tests run every op on both implementations. */
    CpuBackend(BackendOptions options, Kernels kernels) {
        this.parallel = new Parallel(options.threads());
        this.kernels = kernels;
    }

    /** A backend on every available processor. */
    public CpuBackend() {
        this(BackendOptions.exact());
    }

    @Override
    public String name() {
        return CpuBackendProvider.NAME;
    }

    @Override
    public String device() {
        return "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.arch") + ", "
                + parallel.threads() + (parallel.threads() == 1 ? " thread" : " threads") + ", " + kernels.describe()
                + " kernels";
    }

    /** The number of threads the ops run on. */
    public int threads() {
        return parallel.threads();
    }

    // ---- memory -------------------------------------------------------------------------

    @Override
    public Tensor allocate(Shape shape) {
        return newTensor("allocate", shape, null);
    }

    @Override
    public Tensor upload(Shape shape, float[] data) {
        return newTensor("upload", shape, data);
    }

    private CpuTensor newTensor(String op, Shape shape, float[] source) {
        requireOpen(op);
        OpChecks.newTensor(op, shape, source);
        float[] data = new float[shape.size()];
        if (source != null) {
            System.arraycopy(source, 0, data, 0, data.length);
        }
        liveTensors.incrementAndGet();
        return new CpuTensor(this, shape, data);
    }

    /** Called once by each tensor when it is closed. */
    void released() {
        liveTensors.decrementAndGet();
    }

    @Override
    public void read(Tensor t, float[] dst) {
        float[] src = data("read", "t", t);
        Checks.length("read", dst, src.length);
        System.arraycopy(src, 0, dst, 0, src.length);
    }

    @Override
    public void write(Tensor t, float[] src) {
        float[] dst = data("write", "t", t);
        Checks.length("write", src, dst.length);
        System.arraycopy(src, 0, dst, 0, dst.length);
    }

    @Override
    public void fill(Tensor t, float value) {
        float[] d = data("fill", "t", t);
        Elementwise.fill(d, d.length, value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        String op = "copy";
        float[] s = data(op, "src", src);
        float[] d = data(op, "dst", dst);
        OpChecks.copy(src, dst);
        System.arraycopy(s, 0, d, 0, s.length);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        String op = "add";
        float[] da = data(op, "a", a);
        float[] db = data(op, "b", b);
        float[] dout = data(op, "out", out);
        OpChecks.add(a, b, out);
        Elementwise.add(da, db, dout, da.length);
    }

    @Override
    public void scale(Tensor a, float s, Tensor out) {
        String op = "scale";
        float[] da = data(op, "a", a);
        float[] dout = data(op, "out", out);
        OpChecks.scale(a, out);
        Elementwise.scale(da, s, dout, da.length);
    }

    @Override
    public void zeroPad(Tensor x, Padding2D padding, Tensor y) {
        String op = "zeroPad";
        float[] dx = data(op, "x", x);
        float[] dy = data(op, "y", y);
        OpChecks.zeroPad(x, padding, y);
        Shape s = x.shape();
        Elementwise.zeroPad(dx, s.dim(0) * s.dim(1), s.dim(2), s.dim(3), padding.top(), padding.left(), dy,
                y.shape().dim(2), y.shape().dim(3));
    }

    @Override
    public void zeroPadBackward(Tensor dy, Padding2D padding, Tensor dx) {
        String op = "zeroPadBackward";
        float[] ddy = data(op, "dy", dy);
        float[] ddx = data(op, "dx", dx);
        OpChecks.zeroPadBackward(dy, padding, dx);
        Shape s = dx.shape();
        Elementwise.zeroPadBackward(ddy, s.dim(0) * s.dim(1), dy.shape().dim(2), dy.shape().dim(3), padding.top(),
                padding.left(), ddx, s.dim(2), s.dim(3));
    }

    // ---- convolution --------------------------------------------------------------------

    @Override
    public void convForward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y) {
        String op = "convForward";
        float[] dx = data(op, "x", x);
        float[] dw = data(op, "w", w);
        float[] db = b == null ? null : data(op, "b", b);
        float[] dy = data(op, "y", y);
        OpChecks.convForward(x, w, b, spec, y);
        Convolution.forward(dx, dw, db, dy, Convolution.Dims.of(x.shape(), w.shape().dim(0), spec), parallel,
                kernels);
    }

    @Override
    public void convBackwardData(Tensor dy, Tensor w, ConvSpec spec, Tensor dx) {
        String op = "convBackwardData";
        float[] ddy = data(op, "dy", dy);
        float[] dw = data(op, "w", w);
        float[] ddx = data(op, "dx", dx);
        OpChecks.convBackwardData(dy, w, spec, dx);
        Convolution.backwardData(ddy, dw, ddx, Convolution.Dims.of(dx.shape(), w.shape().dim(0), spec), parallel,
                kernels);
    }

    @Override
    public void convBackwardFilter(Tensor x, Tensor dy, ConvSpec spec, Tensor dw) {
        String op = "convBackwardFilter";
        float[] dx = data(op, "x", x);
        float[] ddy = data(op, "dy", dy);
        float[] ddw = data(op, "dw", dw);
        OpChecks.convBackwardFilter(x, dy, spec, dw);
        Convolution.backwardFilter(dx, ddy, ddw, Convolution.Dims.of(x.shape(), dw.shape().dim(0), spec), parallel,
                kernels);
    }

    @Override
    public void biasBackward(Tensor dy, Tensor db) {
        String op = "biasBackward";
        float[] ddy = data(op, "dy", dy);
        float[] ddb = data(op, "db", db);
        OpChecks.biasBackward(dy, db);
        Shape s = dy.shape();
        Convolution.biasBackward(ddy, s.dim(0), s.dim(1), s.sampleSize() / s.dim(1), ddb, parallel, kernels);
    }

    // ---- pooling ------------------------------------------------------------------------

    @Override
    public void poolForward(Tensor x, PoolSpec spec, Tensor y) {
        String op = "poolForward";
        float[] dx = data(op, "x", x);
        float[] dy = data(op, "y", y);
        OpChecks.poolForward(x, spec, y);
        Pooling.forward(dx, spec.mode(), dy, Pooling.Dims.of(x.shape(), spec), parallel);
    }

    @Override
    public void poolBackward(Tensor x, Tensor y, Tensor dy, PoolSpec spec, Tensor dx) {
        String op = "poolBackward";
        float[] xd = data(op, "x", x);
        data(op, "y", y);
        float[] dyd = data(op, "dy", dy);
        float[] dxd = data(op, "dx", dx);
        OpChecks.poolBackward(x, y, dy, spec, dx);
        // The maximum's position is found again from x, so y is only checked.
        Pooling.backward(xd, dyd, spec.mode(), dxd, Pooling.Dims.of(x.shape(), spec), parallel);
    }

    // ---- dense --------------------------------------------------------------------------

    @Override
    public void denseForward(Tensor x, Tensor w, Tensor b, Tensor y) {
        String op = "denseForward";
        float[] dx = data(op, "x", x);
        float[] dw = data(op, "w", w);
        float[] db = b == null ? null : data(op, "b", b);
        float[] dy = data(op, "y", y);
        OpChecks.DenseSizes d = OpChecks.denseForward(x, w, b, y);
        Dense.forward(dx, dw, db, dy, d.n(), d.in(), d.out(), parallel, kernels);
    }

    @Override
    public void denseBackwardData(Tensor dy, Tensor w, Tensor dx) {
        String op = "denseBackwardData";
        float[] ddy = data(op, "dy", dy);
        float[] dw = data(op, "w", w);
        float[] ddx = data(op, "dx", dx);
        OpChecks.DenseSizes d = OpChecks.denseBackwardData(dy, w, dx);
        Dense.backwardData(ddy, dw, ddx, d.n(), d.in(), d.out(), parallel, kernels);
    }

    @Override
    public void denseBackwardWeights(Tensor x, Tensor dy, Tensor dw) {
        String op = "denseBackwardWeights";
        float[] dx = data(op, "x", x);
        float[] ddy = data(op, "dy", dy);
        float[] ddw = data(op, "dw", dw);
        OpChecks.DenseSizes d = OpChecks.denseBackwardWeights(x, dy, dw);
        Dense.backwardWeights(dx, ddy, ddw, d.n(), d.in(), d.out(), parallel, kernels);
    }

    // ---- activations --------------------------------------------------------------------

    @Override
    public void activationForward(ActivationSpec f, Tensor x, Tensor y) {
        String op = "activationForward";
        float[] dx = data(op, "x", x);
        float[] dy = data(op, "y", y);
        OpChecks.activationForward(f, x, y);
        Activations.forward(f, dx, dy, dx.length, parallel, kernels);
    }

    @Override
    public void activationBackward(ActivationSpec f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        String op = "activationBackward";
        float[] xd = data(op, "x", x);
        float[] yd = data(op, "y", y);
        float[] dyd = data(op, "dy", dy);
        float[] dxd = data(op, "dx", dx);
        OpChecks.activationBackward(f, x, y, dy, dx);
        Activations.backward(f, xd, yd, dyd, dxd, xd.length, parallel, kernels);
    }

    @Override
    public void preluForward(Tensor x, Tensor alpha, Tensor y) {
        String op = "preluForward";
        float[] dx = data(op, "x", x);
        float[] da = data(op, "alpha", alpha);
        float[] dy = data(op, "y", y);
        int channels = OpChecks.preluForward(x, alpha, y);
        Activations.preluForward(dx, da, dy, x.shape().batch(), channels, x.shape().sampleSize() / channels);
    }

    @Override
    public void preluBackward(Tensor x, Tensor alpha, Tensor dy, Tensor dx, Tensor dalpha) {
        String op = "preluBackward";
        float[] xd = data(op, "x", x);
        float[] ad = data(op, "alpha", alpha);
        float[] dyd = data(op, "dy", dy);
        float[] dxd = data(op, "dx", dx);
        float[] dad = data(op, "dalpha", dalpha);
        int channels = OpChecks.preluBackward(x, alpha, dy, dx, dalpha);
        Activations.preluBackward(xd, ad, dyd, dxd, dad, x.shape().batch(), channels,
                x.shape().sampleSize() / channels, parallel);
    }

    @Override
    public void softmaxForward(Tensor x, boolean log, Tensor y) {
        String op = OpChecks.softmaxForwardName(log);
        float[] dx = data(op, "x", x);
        float[] dy = data(op, "y", y);
        int classes = OpChecks.softmaxForward(x, log, y);
        Softmax.forward(dx, log, dy, x.shape().batch(), classes, x.shape().sampleSize() / classes, parallel);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, boolean log, Tensor dx) {
        String op = OpChecks.softmaxBackwardName(log);
        float[] yd = data(op, "y", y);
        float[] dyd = data(op, "dy", dy);
        float[] dxd = data(op, "dx", dx);
        int classes = OpChecks.softmaxBackward(y, dy, log, dx);
        Softmax.backward(yd, dyd, log, dxd, y.shape().batch(), classes, y.shape().sampleSize() / classes, parallel);
    }

    // ---- channels, resampling, normalization -------------------------------------------

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        String op = "multiply";
        float[] da = data(op, "a", a);
        float[] db = data(op, "b", b);
        float[] dout = data(op, "out", out);
        OpChecks.multiply(a, b, out);
        Elementwise.multiply(da, db, dout, da.length);
    }

    @Override
    public void addBias(Tensor x, Tensor b, Tensor y) {
        String op = "addBias";
        float[] dx = data(op, "x", x);
        float[] db = data(op, "b", b);
        float[] dy = data(op, "y", y);
        int channels = OpChecks.addBias(x, b, y);
        Channels.addBias(dx, db, dy, x.shape().batch(), channels, x.shape().sampleSize() / channels, parallel);
    }

    @Override
    public void concatChannels(List<Tensor> xs, Tensor y) {
        String op = "concatChannels";
        float[] dy = data(op, "y", y);
        List<float[]> parts = new ArrayList<>();
        int[] channels = OpChecks.concatChannels(xs, y, (name, part) -> parts.add(data(op, name, part)));
        Channels.concat(parts.toArray(float[][]::new), channels, dy, y.shape().batch(),
                y.shape().sampleSize() / y.shape().dim(1));
    }

    @Override
    public void splitChannels(Tensor dy, List<Tensor> dxs) {
        String op = "splitChannels";
        float[] ddy = data(op, "dy", dy);
        List<float[]> parts = new ArrayList<>();
        int[] channels = OpChecks.splitChannels(dy, dxs, (name, part) -> parts.add(data(op, name, part)));
        Channels.split(ddy, parts.toArray(float[][]::new), channels, dy.shape().batch(),
                dy.shape().sampleSize() / dy.shape().dim(1));
    }

    @Override
    public void upsampleForward(Tensor x, UpsampleSpec spec, Tensor y) {
        String op = "upsampleForward";
        float[] dx = data(op, "x", x);
        float[] dy = data(op, "y", y);
        OpChecks.upsampleForward(x, spec, y);
        Resampling.Dims d = Resampling.Dims.of(x.shape(), spec);
        if (spec.mode() == Interpolation.NEAREST) {
            Resampling.nearestForward(dx, dy, d, parallel);
        } else {
            Resampling.bilinearForward(dx, dy, d, parallel);
        }
    }

    @Override
    public void upsampleBackward(Tensor dy, UpsampleSpec spec, Tensor dx) {
        String op = "upsampleBackward";
        float[] ddy = data(op, "dy", dy);
        float[] ddx = data(op, "dx", dx);
        OpChecks.upsampleBackward(dy, spec, dx);
        Resampling.Dims d = Resampling.Dims.of(dx.shape(), spec);
        if (spec.mode() == Interpolation.NEAREST) {
            Resampling.nearestBackward(ddy, ddx, d, parallel);
        } else {
            Resampling.bilinearBackward(ddy, ddx, d, parallel);
        }
    }

    @Override
    public void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, BatchNormSpec spec, Tensor runningMean,
            Tensor runningVar, Tensor y, Tensor savedMean, Tensor savedInvStd) {
        String op = "batchNormForwardTraining";
        float[] dx = data(op, "x", x);
        float[] dg = data(op, "gamma", gamma);
        float[] db = data(op, "beta", beta);
        float[] drm = data(op, "runningMean", runningMean);
        float[] drv = data(op, "runningVar", runningVar);
        float[] dy = data(op, "y", y);
        float[] dsm = data(op, "savedMean", savedMean);
        float[] dsi = data(op, "savedInvStd", savedInvStd);
        int c = OpChecks.batchNormForwardTraining(x, gamma, beta, spec, runningMean, runningVar, y, savedMean,
                savedInvStd);
        Normalization.forwardTraining(dx, dg, db, spec.epsilon(), spec.averageFactor(), drm, drv, dy, dsm, dsi,
                normDims(x, c), parallel);
    }

    @Override
    public void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            BatchNormSpec spec, Tensor y) {
        String op = "batchNormForwardInference";
        float[] dx = data(op, "x", x);
        float[] dg = data(op, "gamma", gamma);
        float[] db = data(op, "beta", beta);
        float[] drm = data(op, "runningMean", runningMean);
        float[] drv = data(op, "runningVar", runningVar);
        float[] dy = data(op, "y", y);
        int c = OpChecks.batchNormForwardInference(x, gamma, beta, runningMean, runningVar, spec, y);
        Normalization.forwardInference(dx, dg, db, drm, drv, spec.epsilon(), dy, normDims(x, c), parallel);
    }

    @Override
    public void batchNormBackward(Tensor x, Tensor dy, Tensor gamma, Tensor savedMean, Tensor savedInvStd, Tensor dx,
            Tensor dgamma, Tensor dbeta) {
        String op = "batchNormBackward";
        float[] xd = data(op, "x", x);
        float[] dyd = data(op, "dy", dy);
        float[] gd = data(op, "gamma", gamma);
        float[] smd = data(op, "savedMean", savedMean);
        float[] sid = data(op, "savedInvStd", savedInvStd);
        float[] dxd = data(op, "dx", dx);
        float[] dgd = data(op, "dgamma", dgamma);
        float[] dbd = data(op, "dbeta", dbeta);
        int c = OpChecks.batchNormBackward(x, dy, gamma, savedMean, savedInvStd, dx, dgamma, dbeta);
        Normalization.backward(xd, dyd, gd, smd, sid, dxd, dgd, dbd, normDims(x, c), parallel);
    }

    private static Normalization.Dims normDims(Tensor x, int channels) {
        return new Normalization.Dims(x.shape().batch(), channels, x.shape().sampleSize() / channels);
    }

    // ---- losses -------------------------------------------------------------------------

    @Override
    public float softmaxCrossEntropy(Tensor logits, int[] labels, Tensor dlogits) {
        String op = "softmaxCrossEntropy";
        float[] dl = data(op, "logits", logits);
        float[] dd = dlogits == null ? null : data(op, "dlogits", dlogits);
        OpChecks.softmaxCrossEntropy(logits, labels, dlogits);
        return Losses.softmaxCrossEntropy(dl, labels, dd, logits.shape().dim(0), logits.shape().dim(1), parallel);
    }

    @Override
    public float sigmoidCrossEntropy(Tensor logits, Tensor targets, Tensor dlogits) {
        String op = "sigmoidCrossEntropy";
        float[] dl = data(op, "logits", logits);
        float[] dt = data(op, "targets", targets);
        float[] dd = dlogits == null ? null : data(op, "dlogits", dlogits);
        OpChecks.sigmoidCrossEntropy(logits, targets, dt, dlogits);
        return Losses.sigmoidCrossEntropy(dl, dt, dd, dl.length);
    }

    @Override
    public float meanSquaredError(Tensor predictions, Tensor targets, Tensor dpredictions) {
        String op = "meanSquaredError";
        float[] dp = data(op, "predictions", predictions);
        float[] dt = data(op, "targets", targets);
        float[] dd = dpredictions == null ? null : data(op, "dpredictions", dpredictions);
        OpChecks.meanSquaredError(predictions, targets, dpredictions);
        return Losses.meanSquaredError(dp, dt, dd, dp.length);
    }

    // ---- optimizers ---------------------------------------------------------------------

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, SgdSpec spec) {
        String op = "sgdUpdate";
        float[] dp = data(op, "param", param);
        float[] dg = data(op, "grad", grad);
        float[] dv = OpChecks.sgdUpdate(param, grad, velocity, spec) ? data(op, "velocity", velocity) : null;
        Optimizers.sgd(dp, dg, dv, spec, dp.length);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamSpec spec, int step) {
        String op = "adamUpdate";
        float[] dp = data(op, "param", param);
        float[] dg = data(op, "grad", grad);
        float[] dm = data(op, "m", m);
        float[] dv = data(op, "v", v);
        OpChecks.adamUpdate(param, grad, m, v, spec, step);
        Optimizers.adam(dp, dg, dm, dv, spec, step, dp.length);
    }

    // ---- lifecycle and checks -----------------------------------------------------------

    /** Stops the worker threads; tensors still open are reported, and no op runs afterwards. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        parallel.close();
        int open = liveTensors.get();
        if (open > 0) {
            LOG.warn("cpu backend closed with {} tensor(s) still open; close tensors before their backend", open);
        }
    }

    private void requireOpen(String op) {
        if (closed) {
            throw new IllegalStateException(op + ": the cpu backend is closed");
        }
    }

    /** The storage of t after checking that it is an open tensor of this backend. */
    private float[] data(String op, String name, Tensor t) {
        requireOpen(op);
        if (t == null) {
            throw new IllegalArgumentException(op + ": tensor " + name + " is null");
        }
        if (!(t instanceof CpuTensor c) || c.backend() != this) {
            String owner = t instanceof CpuTensor ? "another cpu backend" : "backend '" + t.backend().name() + "'";
            throw new IllegalArgumentException(op + ": tensor " + name + " " + t.shape() + " belongs to " + owner
                    + ", not to this cpu backend");
        }
        return c.data(op, name);
    }
}
