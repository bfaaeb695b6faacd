package dev.jcnn.cpu;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.Checks;
import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.Padding2D;
import dev.jcnn.backend.Interpolation;
import dev.jcnn.backend.PoolSpec;
import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The plain-Java reference backend: every op in ordinary loops over {@code float[]}, sums in
 * double, parallel over the batch on {@link BackendOptions#threads()} threads. Results do not
 * depend on the thread count. This class checks the arguments (ownership, open tensors,
 * shapes, aliasing) and hands the arrays to one class per op family.
 */
public final class CpuBackend implements Backend {

    private static final Logger LOG = LogManager.getLogger(CpuBackend.class);

    private final Parallel parallel;
    private final AtomicInteger liveTensors = new AtomicInteger();
    private volatile boolean closed;

    /** A backend with the given options; numerics do not matter here, every op is exact. */
    public CpuBackend(BackendOptions options) {
        this.parallel = new Parallel(options.threads());
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
        return "plain Java " + System.getProperty("java.version") + " on " + System.getProperty("os.arch") + ", "
                + parallel.threads() + (parallel.threads() == 1 ? " thread" : " threads");
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
        if (shape == null) {
            throw new IllegalArgumentException(op + ": shape is null");
        }
        float[] data = new float[shape.size()];
        if (source != null) {
            if (source.length != data.length) {
                throw new IllegalArgumentException(op + ": array holds " + source.length + " values, shape " + shape
                        + " needs exactly " + data.length);
            }
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
        Checks.sameSize(op, "src", src, "dst", dst);
        System.arraycopy(s, 0, d, 0, s.length);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        String op = "add";
        float[] da = data(op, "a", a);
        float[] db = data(op, "b", b);
        float[] dout = data(op, "out", out);
        Checks.shape(op, "b", b, a.shape());
        Checks.shape(op, "out", out, a.shape());
        Elementwise.add(da, db, dout, da.length);
    }

    @Override
    public void scale(Tensor a, float s, Tensor out) {
        String op = "scale";
        float[] da = data(op, "a", a);
        float[] dout = data(op, "out", out);
        Checks.shape(op, "out", out, a.shape());
        Elementwise.scale(da, s, dout, da.length);
    }

    @Override
    public void zeroPad(Tensor x, Padding2D padding, Tensor y) {
        String op = "zeroPad";
        float[] dx = data(op, "x", x);
        float[] dy = data(op, "y", y);
        Checks.rank(op, "x", x, 4);
        requireNonNull(op, "padding", padding);
        Shape s = x.shape();
        Checks.shape(op, "y", y, padded(s, padding));
        distinct(op, "y", y, "x", x);
        Elementwise.zeroPad(dx, s.dim(0) * s.dim(1), s.dim(2), s.dim(3), padding.top(), padding.left(), dy,
                y.shape().dim(2), y.shape().dim(3));
    }

    @Override
    public void zeroPadBackward(Tensor dy, Padding2D padding, Tensor dx) {
        String op = "zeroPadBackward";
        float[] ddy = data(op, "dy", dy);
        float[] ddx = data(op, "dx", dx);
        Checks.rank(op, "dx", dx, 4);
        requireNonNull(op, "padding", padding);
        Shape s = dx.shape();
        Checks.shape(op, "dy", dy, padded(s, padding));
        distinct(op, "dx", dx, "dy", dy);
        Elementwise.zeroPadBackward(ddy, s.dim(0) * s.dim(1), dy.shape().dim(2), dy.shape().dim(3), padding.top(),
                padding.left(), ddx, s.dim(2), s.dim(3));
    }

    private static Shape padded(Shape s, Padding2D p) {
        return Shape.of(s.dim(0), s.dim(1), s.dim(2) + p.top() + p.bottom(), s.dim(3) + p.left() + p.right());
    }

    // ---- convolution --------------------------------------------------------------------

    @Override
    public void convForward(Tensor x, Tensor w, Tensor b, ConvSpec spec, Tensor y) {
        String op = "convForward";
        float[] dx = data(op, "x", x);
        float[] dw = data(op, "w", w);
        float[] db = b == null ? null : data(op, "b", b);
        float[] dy = data(op, "y", y);
        Convolution.Dims d = convDims(op, x, w, spec);
        if (b != null) {
            Checks.shape(op, "b", b, Shape.of(d.k()));
        }
        Checks.shape(op, "y", y, Shape.of(d.n(), d.k(), d.oh(), d.ow()));
        distinct(op, "y", y, "x", x, "w", w, "b", b);
        Convolution.forward(dx, dw, db, dy, d, parallel);
    }

    @Override
    public void convBackwardData(Tensor dy, Tensor w, ConvSpec spec, Tensor dx) {
        String op = "convBackwardData";
        float[] ddy = data(op, "dy", dy);
        float[] dw = data(op, "w", w);
        float[] ddx = data(op, "dx", dx);
        Convolution.Dims d = convDims(op, dx, w, spec);
        Checks.shape(op, "dy", dy, Shape.of(d.n(), d.k(), d.oh(), d.ow()));
        distinct(op, "dx", dx, "dy", dy, "w", w);
        Convolution.backwardData(ddy, dw, ddx, d, parallel);
    }

    @Override
    public void convBackwardFilter(Tensor x, Tensor dy, ConvSpec spec, Tensor dw) {
        String op = "convBackwardFilter";
        float[] dx = data(op, "x", x);
        float[] ddy = data(op, "dy", dy);
        float[] ddw = data(op, "dw", dw);
        Convolution.Dims d = convDims(op, x, dw, spec);
        Checks.shape(op, "dy", dy, Shape.of(d.n(), d.k(), d.oh(), d.ow()));
        distinct(op, "dw", dw, "x", x, "dy", dy);
        Convolution.backwardFilter(dx, ddy, ddw, d, parallel);
    }

    /** Checks an image x against weights w (named "w" or "dw" by the caller's op) and the spec. */
    private static Convolution.Dims convDims(String op, Tensor x, Tensor w, ConvSpec spec) {
        requireNonNull(op, "spec", spec);
        Checks.rank(op, "x", x, 4);
        Checks.rank(op, "w", w, 4);
        int channels = x.shape().dim(1);
        int filters = w.shape().dim(0);
        if (w.shape().dim(1) != channels) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " has " + channels
                    + " channels but the weights " + w.shape() + " expect " + w.shape().dim(1));
        }
        Checks.shape(op, "w", w, spec.weightShape(channels, filters));
        try {
            return Convolution.Dims.of(x.shape(), filters, spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void biasBackward(Tensor dy, Tensor db) {
        String op = "biasBackward";
        float[] ddy = data(op, "dy", dy);
        float[] ddb = data(op, "db", db);
        Shape s = dy.shape();
        if (s.rank() < 2) {
            throw new IllegalArgumentException(op + ": dy has shape " + s + ", expected (N, C) or (N, C, H, W)");
        }
        Checks.shape(op, "db", db, Shape.of(s.dim(1)));
        distinct(op, "db", db, "dy", dy);
        Convolution.biasBackward(ddy, s.dim(0), s.dim(1), s.sampleSize() / s.dim(1), ddb, parallel);
    }

    // ---- pooling ------------------------------------------------------------------------

    @Override
    public void poolForward(Tensor x, PoolSpec spec, Tensor y) {
        String op = "poolForward";
        float[] dx = data(op, "x", x);
        float[] dy = data(op, "y", y);
        Pooling.Dims d = poolDims(op, x, spec);
        Checks.shape(op, "y", y, spec.outputShape(x.shape()));
        distinct(op, "y", y, "x", x);
        Pooling.forward(dx, spec.mode(), dy, d, parallel);
    }

    @Override
    public void poolBackward(Tensor x, Tensor y, Tensor dy, PoolSpec spec, Tensor dx) {
        String op = "poolBackward";
        float[] xd = data(op, "x", x);
        data(op, "y", y);
        float[] dyd = data(op, "dy", dy);
        float[] dxd = data(op, "dx", dx);
        Pooling.Dims d = poolDims(op, x, spec);
        Shape out = spec.outputShape(x.shape());
        Checks.shape(op, "y", y, out);
        Checks.shape(op, "dy", dy, out);
        Checks.shape(op, "dx", dx, x.shape());
        distinct(op, "dx", dx, "x", x, "y", y, "dy", dy);
        // The maximum's position is found again from x, so y is only checked.
        Pooling.backward(xd, dyd, spec.mode(), dxd, d, parallel);
    }

    private static Pooling.Dims poolDims(String op, Tensor x, PoolSpec spec) {
        requireNonNull(op, "spec", spec);
        Checks.rank(op, "x", x, 4);
        try {
            return Pooling.Dims.of(x.shape(), spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    // ---- dense --------------------------------------------------------------------------

    @Override
    public void denseForward(Tensor x, Tensor w, Tensor b, Tensor y) {
        String op = "denseForward";
        float[] dx = data(op, "x", x);
        float[] dw = data(op, "w", w);
        float[] db = b == null ? null : data(op, "b", b);
        float[] dy = data(op, "y", y);
        int[] io = denseSizes(op, "x", x, w);
        int n = x.shape().batch();
        if (b != null) {
            Checks.shape(op, "b", b, Shape.of(io[1]));
        }
        Checks.shape(op, "y", y, Shape.of(n, io[1]));
        distinct(op, "y", y, "x", x, "w", w, "b", b);
        Dense.forward(dx, dw, db, dy, n, io[0], io[1], parallel);
    }

    @Override
    public void denseBackwardData(Tensor dy, Tensor w, Tensor dx) {
        String op = "denseBackwardData";
        float[] ddy = data(op, "dy", dy);
        float[] dw = data(op, "w", w);
        float[] ddx = data(op, "dx", dx);
        int[] io = denseSizes(op, "dx", dx, w);
        int n = dx.shape().batch();
        Checks.shape(op, "dy", dy, Shape.of(n, io[1]));
        distinct(op, "dx", dx, "dy", dy, "w", w);
        Dense.backwardData(ddy, dw, ddx, n, io[0], io[1], parallel);
    }

    @Override
    public void denseBackwardWeights(Tensor x, Tensor dy, Tensor dw) {
        String op = "denseBackwardWeights";
        float[] dx = data(op, "x", x);
        float[] ddy = data(op, "dy", dy);
        float[] ddw = data(op, "dw", dw);
        int[] io = denseSizes(op, "x", x, dw);
        int n = x.shape().batch();
        Checks.shape(op, "dy", dy, Shape.of(n, io[1]));
        distinct(op, "dw", dw, "x", x, "dy", dy);
        Dense.backwardWeights(dx, ddy, ddw, n, io[0], io[1], parallel);
    }

    /** {in, out} of weights (out, in), after checking that x holds in values per sample. */
    private static int[] denseSizes(String op, String xName, Tensor x, Tensor w) {
        Checks.rank(op, "w", w, 2);
        int out = w.shape().dim(0);
        int in = w.shape().dim(1);
        if (x.shape().rank() < 2) {
            throw new IllegalArgumentException(op + ": " + xName + " has shape " + x.shape() + ", expected (N, " + in
                    + ") or a batch of N samples of " + in + " values");
        }
        int perSample = x.shape().sampleSize();
        if (perSample != in) {
            throw new IllegalArgumentException(op + ": " + xName + " has shape " + x.shape() + " with " + perSample
                    + " values per sample, expected " + in + " to match the weights " + w.shape());
        }
        return new int[] {in, out};
    }

    // ---- activations --------------------------------------------------------------------

    @Override
    public void activationForward(ActivationSpec f, Tensor x, Tensor y) {
        String op = "activationForward";
        requireNonNull(op, "activation", f);
        float[] dx = data(op, "x", x);
        float[] dy = data(op, "y", y);
        Checks.shape(op, "y", y, x.shape());
        Activations.forward(f, dx, dy, dx.length);
    }

    @Override
    public void activationBackward(ActivationSpec f, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        String op = "activationBackward";
        requireNonNull(op, "activation", f);
        float[] xd = data(op, "x", x);
        float[] yd = data(op, "y", y);
        float[] dyd = data(op, "dy", dy);
        float[] dxd = data(op, "dx", dx);
        Checks.shape(op, "y", y, x.shape());
        Checks.shape(op, "dy", dy, x.shape());
        Checks.shape(op, "dx", dx, x.shape());
        distinct(op, "dx", dx, "x", x, "y", y, "dy", dy);
        Activations.backward(f, xd, yd, dyd, dxd, xd.length);
    }

    @Override
    public void preluForward(Tensor x, Tensor alpha, Tensor y) {
        String op = "preluForward";
        float[] dx = data(op, "x", x);
        float[] da = data(op, "alpha", alpha);
        float[] dy = data(op, "y", y);
        int channels = channelsOf(op, x);
        Checks.shape(op, "alpha", alpha, Shape.of(channels));
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "x", x, "alpha", alpha);
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
        int channels = channelsOf(op, x);
        Checks.shape(op, "alpha", alpha, Shape.of(channels));
        Checks.shape(op, "dy", dy, x.shape());
        Checks.shape(op, "dx", dx, x.shape());
        Checks.shape(op, "dalpha", dalpha, Shape.of(channels));
        distinct(op, "dx", dx, "x", x, "alpha", alpha, "dy", dy, "dalpha", dalpha);
        distinct(op, "dalpha", dalpha, "x", x, "alpha", alpha, "dy", dy);
        Activations.preluBackward(xd, ad, dyd, dxd, dad, x.shape().batch(), channels,
                x.shape().sampleSize() / channels, parallel);
    }

    @Override
    public void softmaxForward(Tensor x, boolean log, Tensor y) {
        String op = log ? "logSoftmaxForward" : "softmaxForward";
        float[] dx = data(op, "x", x);
        float[] dy = data(op, "y", y);
        int classes = channelsOf(op, x);
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "x", x);
        Softmax.forward(dx, log, dy, x.shape().batch(), classes, x.shape().sampleSize() / classes, parallel);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, boolean log, Tensor dx) {
        String op = log ? "logSoftmaxBackward" : "softmaxBackward";
        float[] yd = data(op, "y", y);
        float[] dyd = data(op, "dy", dy);
        float[] dxd = data(op, "dx", dx);
        int classes = channelsOf(op, y);
        Checks.shape(op, "dy", dy, y.shape());
        Checks.shape(op, "dx", dx, y.shape());
        distinct(op, "dx", dx, "y", y, "dy", dy);
        Softmax.backward(yd, dyd, log, dxd, y.shape().batch(), classes, y.shape().sampleSize() / classes, parallel);
    }

    /** The size of axis 1, the channels of (N, C, ...) or the features of (N, F). */
    private static int channelsOf(String op, Tensor x) {
        if (x.shape().rank() < 2) {
            throw new IllegalArgumentException(op + ": x has shape " + x.shape()
                    + ", expected (N, C) or (N, C, H, W) with channels on axis 1");
        }
        return x.shape().dim(1);
    }

    // ---- channels, resampling, normalization -------------------------------------------

    @Override
    public void multiply(Tensor a, Tensor b, Tensor out) {
        String op = "multiply";
        float[] da = data(op, "a", a);
        float[] db = data(op, "b", b);
        float[] dout = data(op, "out", out);
        Checks.shape(op, "b", b, a.shape());
        Checks.shape(op, "out", out, a.shape());
        Elementwise.multiply(da, db, dout, da.length);
    }

    @Override
    public void addBias(Tensor x, Tensor b, Tensor y) {
        String op = "addBias";
        float[] dx = data(op, "x", x);
        float[] db = data(op, "b", b);
        float[] dy = data(op, "y", y);
        int channels = channelsOf(op, x);
        Checks.shape(op, "b", b, Shape.of(channels));
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "b", b);
        Channels.addBias(dx, db, dy, x.shape().batch(), channels, x.shape().sampleSize() / channels, parallel);
    }

    @Override
    public void concatChannels(List<Tensor> xs, Tensor y) {
        String op = "concatChannels";
        float[] dy = data(op, "y", y);
        float[][] parts = new float[xs == null ? 0 : xs.size()][];
        int[] channels = stackedChannels(op, "xs", xs, "y", y, parts);
        for (int i = 0; i < parts.length; i++) {
            distinct(op, "y", y, "xs[" + i + "]", xs.get(i));
        }
        Channels.concat(parts, channels, dy, y.shape().batch(), y.shape().sampleSize() / y.shape().dim(1));
    }

    @Override
    public void splitChannels(Tensor dy, List<Tensor> dxs) {
        String op = "splitChannels";
        float[] ddy = data(op, "dy", dy);
        float[][] parts = new float[dxs == null ? 0 : dxs.size()][];
        int[] channels = stackedChannels(op, "dxs", dxs, "dy", dy, parts);
        for (int i = 0; i < parts.length; i++) {
            distinct(op, "dxs[" + i + "]", dxs.get(i), "dy", dy);
            for (int j = 0; j < i; j++) {
                distinct(op, "dxs[" + i + "]", dxs.get(i), "dxs[" + j + "]", dxs.get(j));
            }
        }
        Channels.split(ddy, parts, channels, dy.shape().batch(), dy.shape().sampleSize() / dy.shape().dim(1));
    }

    /**
     * Checks that the parts stack along axis 1 into whole (same rank, same other axes, channels
     * adding up), fills their storage into {@code data} and returns their channel counts.
     */
    private int[] stackedChannels(String op, String partsName, List<Tensor> parts, String wholeName, Tensor whole,
            float[][] data) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException(op + ": " + partsName + " is " + (parts == null ? "null" : "empty")
                    + ", expected at least one tensor");
        }
        channelsOf(op, whole);
        Shape w = whole.shape();
        int[] channels = new int[parts.size()];
        int total = 0;
        for (int i = 0; i < parts.size(); i++) {
            String name = partsName + "[" + i + "]";
            data[i] = data(op, name, parts.get(i));
            Shape s = parts.get(i).shape();
            boolean fits = s.rank() == w.rank() && s.dim(0) == w.dim(0);
            for (int a = 2; fits && a < s.rank(); a++) {
                fits = s.dim(a) == w.dim(a);
            }
            if (!fits) {
                throw new IllegalArgumentException(op + ": " + name + " has shape " + s + ", expected the axes of "
                        + wholeName + " " + w + " except axis 1");
            }
            channels[i] = s.dim(1);
            total += channels[i];
        }
        if (total != w.dim(1)) {
            throw new IllegalArgumentException(op + ": the channels of " + partsName + " add up to " + total + ", but "
                    + wholeName + " " + w + " has " + w.dim(1));
        }
        return channels;
    }

    @Override
    public void upsampleForward(Tensor x, UpsampleSpec spec, Tensor y) {
        String op = "upsampleForward";
        float[] dx = data(op, "x", x);
        float[] dy = data(op, "y", y);
        Resampling.Dims d = upsampleDims(op, "x", x, spec);
        Checks.shape(op, "y", y, spec.outputShape(x.shape()));
        distinct(op, "y", y, "x", x);
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
        Resampling.Dims d = upsampleDims(op, "dx", dx, spec);
        Checks.shape(op, "dy", dy, spec.outputShape(dx.shape()));
        distinct(op, "dx", dx, "dy", dy);
        if (spec.mode() == Interpolation.NEAREST) {
            Resampling.nearestBackward(ddy, ddx, d, parallel);
        } else {
            Resampling.bilinearBackward(ddy, ddx, d, parallel);
        }
    }

    /** Checks the image (x, or dx for the backward pass) and the spec. */
    private static Resampling.Dims upsampleDims(String op, String name, Tensor x, UpsampleSpec spec) {
        requireNonNull(op, "spec", spec);
        Checks.rank(op, name, x, 4);
        try {
            return Resampling.Dims.of(x.shape(), spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void batchNormForwardTraining(Tensor x, Tensor gamma, Tensor beta, BatchNormSpec spec, Tensor runningMean,
            Tensor runningVar, Tensor y, Tensor savedMean, Tensor savedInvStd) {
        String op = "batchNormForwardTraining";
        requireNonNull(op, "spec", spec);
        float[] dx = data(op, "x", x);
        float[] dg = data(op, "gamma", gamma);
        float[] db = data(op, "beta", beta);
        float[] drm = data(op, "runningMean", runningMean);
        float[] drv = data(op, "runningVar", runningVar);
        float[] dy = data(op, "y", y);
        float[] dsm = data(op, "savedMean", savedMean);
        float[] dsi = data(op, "savedInvStd", savedInvStd);
        Normalization.Dims d = normDims(op, x);
        Shape perChannel = Shape.of(d.c());
        Checks.shape(op, "gamma", gamma, perChannel);
        Checks.shape(op, "beta", beta, perChannel);
        Checks.shape(op, "runningMean", runningMean, perChannel);
        Checks.shape(op, "runningVar", runningVar, perChannel);
        Checks.shape(op, "savedMean", savedMean, perChannel);
        Checks.shape(op, "savedInvStd", savedInvStd, perChannel);
        Checks.shape(op, "y", y, x.shape());
        if (d.count() < 2) {
            throw new IllegalArgumentException(op + ": x " + x.shape() + " has " + d.count()
                    + " value per channel, expected more than one to estimate a variance in training");
        }
        distinct(op, "y", y, "x", x, "gamma", gamma, "beta", beta, "runningMean", runningMean, "runningVar", runningVar);
        distinct(op, "savedMean", savedMean, "x", x, "y", y, "savedInvStd", savedInvStd, "runningMean", runningMean);
        distinct(op, "savedInvStd", savedInvStd, "x", x, "y", y, "runningVar", runningVar);
        Normalization.forwardTraining(dx, dg, db, spec.epsilon(), spec.averageFactor(), drm, drv, dy, dsm, dsi, d,
                parallel);
    }

    @Override
    public void batchNormForwardInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
            BatchNormSpec spec, Tensor y) {
        String op = "batchNormForwardInference";
        requireNonNull(op, "spec", spec);
        float[] dx = data(op, "x", x);
        float[] dg = data(op, "gamma", gamma);
        float[] db = data(op, "beta", beta);
        float[] drm = data(op, "runningMean", runningMean);
        float[] drv = data(op, "runningVar", runningVar);
        float[] dy = data(op, "y", y);
        Normalization.Dims d = normDims(op, x);
        Shape perChannel = Shape.of(d.c());
        Checks.shape(op, "gamma", gamma, perChannel);
        Checks.shape(op, "beta", beta, perChannel);
        Checks.shape(op, "runningMean", runningMean, perChannel);
        Checks.shape(op, "runningVar", runningVar, perChannel);
        Checks.shape(op, "y", y, x.shape());
        distinct(op, "y", y, "gamma", gamma, "beta", beta, "runningMean", runningMean, "runningVar", runningVar);
        Normalization.forwardInference(dx, dg, db, drm, drv, spec.epsilon(), dy, d, parallel);
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
        Normalization.Dims d = normDims(op, x);
        Shape perChannel = Shape.of(d.c());
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
        Normalization.backward(xd, dyd, gd, smd, sid, dxd, dgd, dbd, d, parallel);
    }

    private static Normalization.Dims normDims(String op, Tensor x) {
        int channels = channelsOf(op, x);
        return new Normalization.Dims(x.shape().batch(), channels, x.shape().sampleSize() / channels);
    }

    // ---- losses -------------------------------------------------------------------------

    @Override
    public float softmaxCrossEntropy(Tensor logits, int[] labels, Tensor dlogits) {
        String op = "softmaxCrossEntropy";
        float[] dl = data(op, "logits", logits);
        float[] dd = dlogits == null ? null : data(op, "dlogits", dlogits);
        Checks.rank(op, "logits", logits, 2);
        int n = logits.shape().dim(0);
        int classes = logits.shape().dim(1);
        Checks.labels(op, labels, n, classes);
        if (dlogits != null) {
            Checks.shape(op, "dlogits", dlogits, logits.shape());
            distinct(op, "dlogits", dlogits, "logits", logits);
        }
        return Losses.softmaxCrossEntropy(dl, labels, dd, n, classes, parallel);
    }

    @Override
    public float sigmoidCrossEntropy(Tensor logits, Tensor targets, Tensor dlogits) {
        String op = "sigmoidCrossEntropy";
        float[] dl = data(op, "logits", logits);
        float[] dt = data(op, "targets", targets);
        float[] dd = dlogits == null ? null : data(op, "dlogits", dlogits);
        Checks.shape(op, "targets", targets, logits.shape());
        for (int i = 0; i < dt.length; i++) {
            if (!(dt[i] >= 0f && dt[i] <= 1f)) {
                throw new IllegalArgumentException(op + ": target " + dt[i] + " at index " + i + " of targets "
                        + targets.shape() + " is outside [0, 1]");
            }
        }
        if (dlogits != null) {
            Checks.shape(op, "dlogits", dlogits, logits.shape());
            distinct(op, "dlogits", dlogits, "logits", logits, "targets", targets);
        }
        return Losses.sigmoidCrossEntropy(dl, dt, dd, dl.length);
    }

    @Override
    public float meanSquaredError(Tensor predictions, Tensor targets, Tensor dpredictions) {
        String op = "meanSquaredError";
        float[] dp = data(op, "predictions", predictions);
        float[] dt = data(op, "targets", targets);
        float[] dd = dpredictions == null ? null : data(op, "dpredictions", dpredictions);
        Checks.shape(op, "targets", targets, predictions.shape());
        if (dpredictions != null) {
            Checks.shape(op, "dpredictions", dpredictions, predictions.shape());
            distinct(op, "dpredictions", dpredictions, "predictions", predictions, "targets", targets);
        }
        return Losses.meanSquaredError(dp, dt, dd, dp.length);
    }

    // ---- optimizers ---------------------------------------------------------------------

    @Override
    public void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, SgdSpec spec) {
        String op = "sgdUpdate";
        requireNonNull(op, "spec", spec);
        float[] dp = data(op, "param", param);
        float[] dg = data(op, "grad", grad);
        Checks.shape(op, "grad", grad, param.shape());
        float[] dv = null;
        if (spec.momentum() != 0f) {
            if (velocity == null) {
                throw new IllegalArgumentException(op + ": momentum " + spec.momentum()
                        + " needs a velocity tensor of shape " + param.shape() + ", got null");
            }
            dv = data(op, "velocity", velocity);
            Checks.shape(op, "velocity", velocity, param.shape());
            distinct(op, "velocity", velocity, "param", param, "grad", grad);
        }
        distinct(op, "param", param, "grad", grad);
        Optimizers.sgd(dp, dg, dv, spec, dp.length);
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamSpec spec, int step) {
        String op = "adamUpdate";
        requireNonNull(op, "spec", spec);
        if (step < 1) {
            throw new IllegalArgumentException(op + ": step " + step + " is not a valid step, steps count from 1");
        }
        float[] dp = data(op, "param", param);
        float[] dg = data(op, "grad", grad);
        float[] dm = data(op, "m", m);
        float[] dv = data(op, "v", v);
        Checks.shape(op, "grad", grad, param.shape());
        Checks.shape(op, "m", m, param.shape());
        Checks.shape(op, "v", v, param.shape());
        distinct(op, "param", param, "grad", grad, "m", m, "v", v);
        distinct(op, "m", m, "grad", grad, "v", v);
        distinct(op, "v", v, "grad", grad);
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

    private static void requireNonNull(String op, String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
    }

    /**
     * Throws when the output is the same tensor as one of the inputs, which the op does not allow.
     *
     * @param namesAndInputs pairs of (name, tensor); null tensors are skipped
     */
    private static void distinct(String op, String outName, Tensor out, Object... namesAndInputs) {
        for (int i = 0; i < namesAndInputs.length; i += 2) {
            if (namesAndInputs[i + 1] == out) {
                throw new IllegalArgumentException(op + ": output " + outName + " must not be the same tensor as input "
                        + namesAndInputs[i]);
            }
        }
    }
}
