package dev.jcnn.cpu;

import dev.jcnn.backend.ActivationOps;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BackendOptions;
import dev.jcnn.backend.ChannelOps;
import dev.jcnn.backend.ConvolutionOps;
import dev.jcnn.backend.DenseOps;
import dev.jcnn.backend.ElementwiseOps;
import dev.jcnn.backend.LossOps;
import dev.jcnn.backend.NormalizationOps;
import dev.jcnn.backend.Numerics;
import dev.jcnn.backend.OptimizerOps;
import dev.jcnn.backend.PoolingOps;
import dev.jcnn.backend.ResamplingOps;
import dev.jcnn.backend.SoftmaxOps;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The CPU backend, in plain Java over {@code float[]} on {@link BackendOptions#threads()}
 * threads. Convolutions and dense layers are float matrix products on {@link Kernels}: the
 * JDK's Vector API when the JVM runs with {@code --add-modules jdk.incubator.vector}, plain
 * loops otherwise ({@link Vectorization} says which, once, in the log); the other ops sum in
 * double. Every sum runs in a fixed order, so results do not depend on the thread count; the
 * tests hold every op to naive loops summed in double. This class holds the memory, the
 * threads and one class per op family ({@link Convolution}, {@link Pooling}, …), whose kernels
 * get arrays whose tensors the family in core has checked.
 */
public final class CpuBackend extends Backend {

    private static final Logger LOG = LogManager.getLogger(CpuBackend.class);

    private final Parallel parallel;
    private final Kernels kernels;
    private final AtomicInteger liveTensors = new AtomicInteger();
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

    /**
     * A backend on the options' thread count. With {@link Numerics#FAST} the 3 × 3 stride-1
     * convolutions of 32 or more channels in and out run by Winograd's F(2×2, 3×3), which needs
     * 2.25× fewer multiplies and rounds differently from the direct sum; with
     * {@link Numerics#EXACT} every op computes one way (float matrix products with a fixed
     * summation order for convolution and dense layers, double sums for the rest). Both are
     * deterministic: results do not depend on the thread count.
     */
    public CpuBackend(BackendOptions options) {
        this(options, Vectorization.kernels());
    }

    /** A backend on the given kernels: the tests run every op on both implementations. */
    CpuBackend(BackendOptions options, Kernels kernels) {
        this.parallel = new Parallel(options.threads());
        this.kernels = kernels;
        elementwise = new Elementwise(this);
        convolution = new Convolution(this, parallel, kernels, options.numerics() == Numerics.FAST);
        pooling = new Pooling(this, parallel);
        dense = new Dense(this, parallel, kernels);
        activations = new Activations(this, parallel, kernels);
        softmax = new Softmax(this, parallel);
        channels = new Channels(this, parallel);
        resampling = new Resampling(this, parallel);
        normalization = new Normalization(this, parallel);
        losses = new Losses(this, parallel);
        optimizers = new Optimizers(this);
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

    /**
     * True: the ops keep no state between calls but the calling thread's scratch arrays, and a
     * loop that finds the worker threads busy with another caller's runs on its own thread.
     */
    @Override
    public boolean supportsConcurrentCalls() {
        return true;
    }

    /** The number of threads the ops run on. */
    public int threads() {
        return parallel.threads();
    }

    /**
     * The processor's peak rate of fused multiply-adds on this backend's kernels, in GFLOP/s (2 per multiply-add
     * and lane), on {@link #threads()} threads at once: each runs a loop of independent FMAs for about
     * {@code seconds} and counts its fastest stretch of a few milliseconds, so that a busy machine lowers it less
     * (give it a second or more: the first stretches run before the JIT has compiled the loop). Benchmarks divide a convolution's rate by it. With the scalar kernels it is the scalar peak.
     */
    public double fmaPeakGflops(double seconds) {
        if (!(seconds > 0 && seconds <= 60)) {
            throw new IllegalArgumentException("fmaPeakGflops: seconds " + seconds + ", expected more than 0, at most 60");
        }
        int n = threads();
        double[] best = new double[n];
        Thread[] runners = new Thread[n];
        long until = System.nanoTime() + (long) (seconds * 1e9);
        for (int t = 0; t < n; t++) {
            int slot = t;
            runners[t] = new Thread(() -> best[slot] = bestFmaRate(until), "jcnn-fma-peak-" + t);
            runners[t].start();
        }
        double sum = 0;
        for (int t = 0; t < n; t++) {
            try {
                runners[t].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("fmaPeakGflops: interrupted", e);
            }
            sum += best[t];
        }
        return sum;
    }

    private double bestFmaRate(long until) {
        long iterations = 1 << 10; // short calls first: the JIT compiles the loop sooner by their count
        double flopsPerIteration = 2.0 * Kernels.FMA_CHAINS * kernels.fmaLanes();
        double best = 0;
        float sink = 0;
        do {
            long start = System.nanoTime();
            sink += kernels.fmaLoop(iterations);
            long nanos = System.nanoTime() - start;
            best = Math.max(best, iterations * flopsPerIteration / Math.max(nanos, 1));
            if (nanos < 2_000_000) {
                iterations *= 2; // stretches of at least 2 ms, so that the clock's own cost does not count
            }
        } while (System.nanoTime() < until);
        return Float.isNaN(sink) ? 0 : best;
    }

    // ---- memory -------------------------------------------------------------------------

    @Override
    protected Tensor newTensor(Shape shape, float[] source) {
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
    protected void copyToHost(Tensor t, float[] dst) {
        float[] src = ((CpuTensor) t).data();
        System.arraycopy(src, 0, dst, 0, src.length);
    }

    @Override
    protected void copyFromHost(float[] src, Tensor t) {
        float[] dst = ((CpuTensor) t).data();
        System.arraycopy(src, 0, dst, 0, dst.length);
    }

    // ---- op families ------------------------------------------------------------------------

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

    // ---- lifecycle ------------------------------------------------------------------------

    /** Stops the worker threads; tensors still open are reported, and no op runs afterwards. */
    @Override
    protected void release() {
        parallel.close();
        int open = liveTensors.get();
        if (open > 0) {
            LOG.warn("cpu backend closed with {} tensor(s) still open; close tensors before their backend", open);
        }
    }
}
