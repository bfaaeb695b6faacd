package dev.jcnn.cpu;

import dev.jcnn.backend.ConvSpec;
import dev.jcnn.backend.ConvolutionOps;
import dev.jcnn.tensor.Shape;
import java.util.Arrays;

/**
 * 2-D convolution (cross-correlation) on the CPU: forward, gradient with respect to the
 * input, to the weights and to the bias. Depthwise convolutions (groups = channels, dilated
 * or not) go to {@link DepthwiseConvolution}, the other dilated and grouped ones to
 * {@link LoopConvolution}. With {@code Numerics.FAST}, 3 × 3 stride-1 convolutions of 32 or more
 * channels in and out go to {@link WinogradConvolution} (forward and input gradient). Other
 * stride-1 convolutions, and those with {@code Numerics.EXACT}, go to {@link ShiftedConvolution};
 * the others are computed as Caffe computes them: each sample's receptive fields are copied into
 * a patch matrix ({@link Im2col}) and the convolution becomes a matrix product on the
 * {@link Kernels} ({@link Gemm}). Sums are in float, each in a fixed
 * order, so results do not depend on the thread count. The tests hold every pass to a
 * plain-loop convolution summed in double.
 */
final class Convolution extends ConvolutionOps<CpuTensor> {

    /** Floats of patch matrix per group of samples in the im2col weight gradient: about half a megabyte. */
    private static final long GROUP_FLOATS = 128 * 1024;

    private final Parallel parallel;
    private final Kernels kernels;
    private final boolean winograd;

    /** winograd: 3 × 3 stride-1 convolutions may take {@link WinogradConvolution} (Numerics.FAST). */
    Convolution(CpuBackend backend, Parallel parallel, Kernels kernels, boolean winograd) {
        super(backend, CpuTensor.class);
        this.parallel = parallel;
        this.kernels = kernels;
        this.winograd = winograd;
    }

    @Override
    protected void computeForward(CpuTensor x, CpuTensor w, CpuTensor b, ConvSpec spec, CpuTensor y) {
        if (!spec.isPlain() && DepthwiseConvolution.applies(x.shape(), w.shape().dim(0), spec)) {
            DepthwiseConvolution.forward(x.data(), x.shape(), w.data(), w.shape().dim(0), b == null ? null : b.data(),
                    spec, y.data(), parallel, kernels);
            return;
        }
        if (!spec.isPlain()) {
            LoopConvolution.forward(x.data(), x.shape(), w.data(), w.shape().dim(0), b == null ? null : b.data(), spec,
                    y.data(), parallel);
            return;
        }
        Dims d = Dims.of(x.shape(), w.shape().dim(0), spec);
        if (winograd && WinogradConvolution.applies(d)) {
            WinogradConvolution.forward(x.data(), w.data(), b == null ? null : b.data(), y.data(), d, parallel, kernels);
            return;
        }
        forward(x.data(), w.data(), b == null ? null : b.data(), y.data(), d, parallel, kernels);
    }

    @Override
    protected void computeBackwardData(CpuTensor dy, CpuTensor w, ConvSpec spec, CpuTensor dx) {
        if (!spec.isPlain() && DepthwiseConvolution.applies(dx.shape(), w.shape().dim(0), spec)) {
            DepthwiseConvolution.backwardData(dy.data(), w.data(), dx.shape(), w.shape().dim(0), spec, dx.data(),
                    parallel, kernels);
            return;
        }
        if (!spec.isPlain()) {
            LoopConvolution.backwardData(dy.data(), w.data(), dx.shape(), w.shape().dim(0), spec, dx.data(), parallel);
            return;
        }
        Dims d = Dims.of(dx.shape(), w.shape().dim(0), spec);
        if (winograd && WinogradConvolution.applies(d)) {
            WinogradConvolution.backwardData(dy.data(), w.data(), dx.data(), d, parallel, kernels);
            return;
        }
        backwardData(dy.data(), w.data(), dx.data(), d, parallel, kernels);
    }

    @Override
    protected void computeBackwardFilter(CpuTensor x, CpuTensor dy, ConvSpec spec, CpuTensor dw) {
        if (!spec.isPlain() && DepthwiseConvolution.applies(x.shape(), dw.shape().dim(0), spec)) {
            DepthwiseConvolution.backwardFilter(x.data(), x.shape(), dy.data(), dw.shape().dim(0), spec, dw.data(),
                    parallel, kernels);
            return;
        }
        if (!spec.isPlain()) {
            LoopConvolution.backwardFilter(x.data(), x.shape(), dy.data(), dw.shape().dim(0), spec, dw.data(), parallel);
            return;
        }
        backwardFilter(x.data(), dy.data(), dw.data(), Dims.of(x.shape(), dw.shape().dim(0), spec), parallel, kernels);
    }

    @Override
    protected void computeBiasBackward(CpuTensor dy, CpuTensor db) {
        Shape s = dy.shape();
        biasBackward(dy.data(), s.dim(0), s.dim(1), s.sampleSize() / s.dim(1), db.data(), parallel, kernels);
    }

    /** Sizes of one convolution: input (n, c, h, w), k filters of kh × kw, strides, leading padding, output oh × ow. */
    record Dims(int n, int c, int h, int w, int k, int kh, int kw, int sh, int sw, int padTop, int padLeft,
            int oh, int ow) {

        static Dims of(Shape x, int filters, ConvSpec spec) {
            Shape y = spec.outputShape(x, filters);
            return new Dims(x.dim(0), x.dim(1), x.dim(2), x.dim(3), filters, spec.kernelH(), spec.kernelW(),
                    spec.strideH(), spec.strideW(), spec.padding().top(), spec.padding().left(), y.dim(2), y.dim(3));
        }

        /** Values in one receptive field: c · kh · kw. */
        int patch() {
            return c * kh * kw;
        }

        /** Output pixels per filter: oh · ow. */
        int pixels() {
            return oh * ow;
        }
    }

    /** y = x ⋆ w + b; b may be null. Per sample: y_s (K × P) = [w | b] · [patches; 1]. */
    static void forward(float[] x, float[] w, float[] b, float[] y, Dims d, Parallel par, Kernels kr) {
        if (ShiftedConvolution.applies(d)) {
            ShiftedConvolution.forward(x, w, b, y, d, par, kr);
            return;
        }
        int patch = d.patch();
        int pixels = d.pixels();
        int steps = b == null ? patch : patch + 1;
        float[] packedW = par.scratch().get(Scratch.Slot.SHARED_A, Gemm.packedSize(d.k(), steps));
        Gemm.packA(w, 0, patch, false, d.k(), patch, b, packedW);
        par.forRange(d.n(), (from, to) -> {
            Scratch scratch = par.scratch();
            float[] cols = scratch.get(Scratch.Slot.COLS, steps * pixels);
            int[] rows = scratch.strided(Scratch.Rows.TASK, steps, pixels);
            if (b != null) {
                // The bias's row of ones below the patches.
                Arrays.fill(cols, patch * pixels, steps * pixels, 1f);
            }
            for (int s = from; s < to; s++) {
                Im2col.fill(x, s, d, cols, 0, pixels);
                Gemm.multiply(kr, d.k(), pixels, steps, packedW, cols, 0, rows, y, s * d.k() * pixels, pixels, false,
                        scratch);
            }
        });
    }

    /** dx = the adjoint of the convolution applied to dy: per sample, patches' gradient wᵀ · dy_s, then col2im. */
    static void backwardData(float[] dy, float[] w, float[] dx, Dims d, Parallel par, Kernels kr) {
        if (ShiftedConvolution.appliesToInputGradient(d)) {
            ShiftedConvolution.backwardData(dy, w, dx, d, par, kr);
            return;
        }
        int patch = d.patch();
        int pixels = d.pixels();
        float[] packedWt = par.scratch().get(Scratch.Slot.SHARED_A, Gemm.packedSize(patch, d.k()));
        Gemm.packA(w, 0, patch, true, patch, d.k(), null, packedWt);
        par.forRange(d.n(), (from, to) -> {
            Scratch scratch = par.scratch();
            float[] dcols = scratch.get(Scratch.Slot.DCOLS, patch * pixels);
            int[] rows = scratch.strided(Scratch.Rows.TASK, d.k(), pixels);
            for (int s = from; s < to; s++) {
                Gemm.multiply(kr, patch, pixels, d.k(), packedWt, dy, s * d.k() * pixels, rows, dcols, 0, pixels, false,
                        scratch);
                Im2col.accumulate(dcols, pixels, d, dx, s, kr);
            }
        });
    }

    /**
     * dw = Σ over samples of dy_s · patches_sᵀ. Samples are taken in fixed groups (their
     * size depends only on the shapes), each group's sum is formed by dot products along its
     * pixels, and the groups' sums are added in order: the result does not depend on the
     * thread count.
     */
    static void backwardFilter(float[] x, float[] dy, float[] dw, Dims d, Parallel par, Kernels kr) {
        if (ShiftedConvolution.applies(d)) {
            ShiftedConvolution.backwardFilter(x, dy, dw, d, par, kr);
            return;
        }
        int patch = d.patch();
        int pixels = d.pixels();
        int k = d.k();
        int group = groupSize(d);
        int groups = Gemm.blocks(d.n(), group);
        int size = k * patch;
        float[] partials = par.scratch().get(Scratch.Slot.SHARED_B, groups * size);
        par.forRange(groups, (from, to) -> {
            Scratch scratch = par.scratch();
            for (int g = from; g < to; g++) {
                int first = g * group;
                int count = Math.min(d.n(), first + group) - first;
                int len = count * pixels;
                float[] cols = scratch.get(Scratch.Slot.COLS, patch * len);
                float[] dyg = scratch.get(Scratch.Slot.DCOLS, k * len);
                for (int t = 0; t < count; t++) {
                    Im2col.fill(x, first + t, d, cols, t * pixels, len);
                    for (int kk = 0; kk < k; kk++) {
                        System.arraycopy(dy, ((first + t) * k + kk) * pixels, dyg, kk * len + t * pixels, pixels);
                    }
                }
                int part = g * size;
                Arrays.fill(partials, part, part + size, 0f);
                int[] rows = scratch.strided(Scratch.Rows.TASK, patch, len);
                for (int q = 0; q < patch; q += Kernels.DOTS) {
                    for (int kk = 0; kk < k; kk += Kernels.DOTS) {
                        kr.dots(len, dyg, kk * len, len, cols, 0, rows, q, Math.min(Kernels.DOTS, k - kk),
                                Math.min(Kernels.DOTS, patch - q), partials, part + kk * patch + q, patch);
                    }
                }
            }
        });
        System.arraycopy(partials, 0, dw, 0, size);
        for (int g = 1; g < groups; g++) {
            kr.addTo(partials, g * size, dw, 0, size);
        }
    }

    /**
     * Samples per group of {@link #backwardFilter}: as many as keep a group's patch matrix
     * within about half a megabyte, so that it stays in the core's cache while the dot
     * products pass over it.
     */
    static int groupSize(Dims d) {
        long perSample = (long) d.patch() * d.pixels();
        return (int) Math.max(1, Math.min(d.n(), GROUP_FLOATS / perSample));
    }

    /**
     * db[c] = Σ of dy over every axis but 1.
     *
     * @param n the batch size, channels the size of axis 1, inner the product of the remaining axes
     */
    static void biasBackward(float[] dy, int n, int channels, int inner, float[] db, Parallel par, Kernels kr) {
        if (inner < 64) {
            // Dense layers (inner = 1) and small images: plain loops, sample by sample, beat a kernel call per value.
            double[] acc = new double[channels];
            for (int s = 0; s < n; s++) {
                for (int c = 0; c < channels; c++) {
                    int base = (s * channels + c) * inner;
                    for (int q = base; q < base + inner; q++) {
                        acc[c] += dy[q];
                    }
                }
            }
            for (int c = 0; c < channels; c++) {
                db[c] = (float) acc[c];
            }
            return;
        }
        par.forRange(channels, (long) n * channels * inner, (from, to) -> {
            for (int c = from; c < to; c++) {
                double acc = 0.0;
                for (int s = 0; s < n; s++) {
                    int base = (s * channels + c) * inner;
                    acc += kr.sum(dy, base, base + inner);
                }
                db[c] = (float) acc;
            }
        });
    }
}
