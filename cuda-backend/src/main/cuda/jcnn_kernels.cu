// The CUDA backend's own kernels: everything cuDNN and cuBLAS do not cover.
// Compiled to PTX by build-ptx.sh beside this file (committed as
// src/main/resources/dev/jcnn/cuda/jcnn_kernels.ptx) and loaded through the driver API;
// the Java side names each kernel and its parameters in dev.jcnn.cuda.Kernel.
//
// Conventions: every kernel takes its element count last but one or last, walks its range
// with a grid-stride loop (so any grid size is correct) and is launched on the default
// stream. Arithmetic follows the CPU reference (dev.jcnn.cpu) step by step; the build
// disables FMA contraction (-fmad=false) so that a·b + c rounds twice, as in Java.
// Reductions are deterministic: fixed grid, fixed order within a block, partial sums
// returned per block and added on the host in block order.

#include <math.h>

#define GRID_STRIDE(i, n) \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); \
         i += (long long)blockDim.x * gridDim.x)

// Block size of the reducing kernels; the launcher uses the same value.
#define REDUCE_THREADS 256

// Sums v over the block in a fixed tree order; thread 0 gets the result.
__device__ double block_sum(double v, double *shared) {
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int s = REDUCE_THREADS / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            shared[threadIdx.x] += shared[threadIdx.x + s];
        }
        __syncthreads();
    }
    return shared[0];
}

__device__ double sigmoid_d(double v) {
    if (v >= 0) {
        return 1.0 / (1.0 + exp(-v));
    }
    double e = exp(v);
    return e / (1.0 + e);
}

// ---- elementwise ----------------------------------------------------------------------

extern "C" __global__ void fill_f32(float *x, float value, int n) {
    GRID_STRIDE(i, n) { x[i] = value; }
}

extern "C" __global__ void scale_f32(const float *a, float s, float *out, int n) {
    GRID_STRIDE(i, n) { out[i] = a[i] * s; }
}

// y (planes, ph, pw) = x (planes, h, w) placed at (top, left), the border set to value
// (0 for zero padding, -inf before max pooling).
extern "C" __global__ void pad_f32(const float *x, float *y, int planes, int h, int w, int top, int left,
                                   int ph, int pw, float value) {
    long long total = (long long)planes * ph * pw;
    GRID_STRIDE(i, total) {
        int c = (int)(i % pw);
        long long rest = i / pw;
        int r = (int)(rest % ph);
        long long p = rest / ph;
        int sr = r - top;
        int sc = c - left;
        y[i] = (sr >= 0 && sr < h && sc >= 0 && sc < w) ? x[(p * h + sr) * w + sc] : value;
    }
}

// dx (planes, h, w) = the interior of dy (planes, ph, pw) at (top, left).
extern "C" __global__ void crop_f32(const float *dy, float *dx, int planes, int ph, int pw, int top, int left,
                                    int h, int w) {
    long long total = (long long)planes * h * w;
    GRID_STRIDE(i, total) {
        int c = (int)(i % w);
        long long rest = i / w;
        int r = (int)(rest % h);
        long long p = rest / h;
        dx[i] = dy[(p * ph + r + top) * pw + c + left];
    }
}

// y[p, q] *= factor[q]: one factor per position of a plane, the same for every plane.
extern "C" __global__ void scale_planes_f32(float *y, const float *factor, int planeSize, int n) {
    GRID_STRIDE(i, n) { y[i] *= factor[i % planeSize]; }
}

// out = a·b; out may be a or b (each thread reads its element before writing it).
extern "C" __global__ void multiply_f32(const float *a, const float *b, float *out, int n) {
    GRID_STRIDE(i, n) { out[i] = a[i] * b[i]; }
}

// ---- channels: per-channel bias, concatenation and split along axis 1 -------------------

// x (batch, channels, inner): y = x + b[c]; y may be x.
extern "C" __global__ void add_bias_f32(const float *x, const float *b, float *y, int channels, int inner, int n) {
    GRID_STRIDE(i, n) {
        int c = (int)((i / inner) % channels);
        y[i] = x[i] + b[c];
    }
}

// rows runs of run values: dst[r·dstPitch + dstOffset + j] = src[r·srcPitch + srcOffset + j].
// Concatenation copies input i's rows (one per sample, pitch C_i·inner) into y at its channel
// offset (pitch C·inner); the split copies them back.
extern "C" __global__ void copy_rows_f32(const float *src, float *dst, int rows, int run, int srcPitch,
                                         int srcOffset, int dstPitch, int dstOffset) {
    long long total = (long long)rows * run;
    GRID_STRIDE(i, total) {
        long long r = i / run;
        long long j = i % run;
        dst[r * dstPitch + dstOffset + j] = src[r * srcPitch + srcOffset + j];
    }
}

// ---- upsampling by whole factors (dev.jcnn.cpu.Resampling, step by step) -----------------

// Bilinear taps along one axis for output index o: the two sources lo, hi and the weight of hi.
// src = max(0, (o + 0.5)/factor − 0.5), clamped to the input; the CPU's Resampling.Taps.
__device__ void bilinear_tap(int o, int factor, int in, int *lo, int *hi, double *weight) {
    double src = fmax(0.0, (o + 0.5) / factor - 0.5);
    int i0 = min((int)src, in - 1);
    int i1 = min(i0 + 1, in - 1);
    *lo = i0;
    *hi = i1;
    *weight = i1 == i0 ? 0.0 : src - i0;
}

// x (planes, h, w) -> y (planes, h·fh, w·fw): y[oy, ox] = x[oy / fh, ox / fw].
extern "C" __global__ void upsample_nearest_fwd(const float *x, float *y, int planes, int h, int w, int fh, int fw) {
    int oh = h * fh;
    int ow = w * fw;
    long long total = (long long)planes * oh * ow;
    GRID_STRIDE(i, total) {
        int ox = (int)(i % ow);
        long long rest = i / ow;
        int oy = (int)(rest % oh);
        long long p = rest / oh;
        y[i] = x[(p * h + oy / fh) * w + ox / fw];
    }
}

// dx[iy, ix] = the sum, in double, of dy over the fh × fw block that copied it: one thread
// per input pixel gathers its block in the CPU's order, so the result is deterministic.
extern "C" __global__ void upsample_nearest_bwd(const float *dy, float *dx, int planes, int h, int w, int fh, int fw) {
    int oh = h * fh;
    int ow = w * fw;
    long long total = (long long)planes * h * w;
    GRID_STRIDE(i, total) {
        int ix = (int)(i % w);
        long long rest = i / w;
        int iy = (int)(rest % h);
        long long p = rest / h;
        double acc = 0.0;
        for (int a = 0; a < fh; a++) {
            const float *row = dy + (p * oh + (long long)iy * fh + a) * ow + (long long)ix * fw;
            for (int b = 0; b < fw; b++) {
                acc += row[b];
            }
        }
        dx[i] = (float)acc;
    }
}

// y[oy, ox] = (1 − wy)·((1 − wx)·x[lo_y, lo_x] + wx·x[lo_y, hi_x]) + wy·(... row hi_y), in double.
extern "C" __global__ void upsample_bilinear_fwd(const float *x, float *y, int planes, int h, int w, int fh, int fw) {
    int oh = h * fh;
    int ow = w * fw;
    long long total = (long long)planes * oh * ow;
    GRID_STRIDE(i, total) {
        int ox = (int)(i % ow);
        long long rest = i / ow;
        int oy = (int)(rest % oh);
        long long p = rest / oh;
        int y0, y1, x0, x1;
        double wy, wx;
        bilinear_tap(oy, fh, h, &y0, &y1, &wy);
        bilinear_tap(ox, fw, w, &x0, &x1, &wx);
        const float *plane = x + p * h * w;
        double top = (1 - wx) * plane[y0 * w + x0] + wx * plane[y0 * w + x1];
        double bottom = (1 - wx) * plane[y1 * w + x0] + wx * plane[y1 * w + x1];
        y[i] = (float)((1 - wy) * top + wy * bottom);
    }
}

// The adjoint of upsample_bilinear_fwd as a gather, without atomics: one thread per input
// pixel (iy, ix) visits the outputs whose taps can reach it (those within one input pixel,
// i.e. output rows [(iy − 1)·fh, (iy + 2)·fh), likewise columns) in increasing (oy, ox) order
// and adds the four weighted terms in the CPU's order, so each dx rounds once from the same
// double sum as the CPU's scatter.
extern "C" __global__ void upsample_bilinear_bwd(const float *dy, float *dx, int planes, int h, int w, int fh,
                                                 int fw) {
    int oh = h * fh;
    int ow = w * fw;
    long long total = (long long)planes * h * w;
    GRID_STRIDE(i, total) {
        int ix = (int)(i % w);
        long long rest = i / w;
        int iy = (int)(rest % h);
        long long p = rest / h;
        int oyFrom = max(0, (iy - 1) * fh);
        int oyTo = min(oh, (iy + 2) * fh);
        int oxFrom = max(0, (ix - 1) * fw);
        int oxTo = min(ow, (ix + 2) * fw);
        double acc = 0.0;
        for (int oy = oyFrom; oy < oyTo; oy++) {
            int y0, y1;
            double wy;
            bilinear_tap(oy, fh, h, &y0, &y1, &wy);
            if (y0 != iy && y1 != iy) {
                continue;
            }
            const float *row = dy + (p * oh + oy) * ow;
            for (int ox = oxFrom; ox < oxTo; ox++) {
                int x0, x1;
                double wx;
                bilinear_tap(ox, fw, w, &x0, &x1, &wx);
                if (x0 != ix && x1 != ix) {
                    continue;
                }
                double g = row[ox];
                if (y0 == iy && x0 == ix) {
                    acc += (1 - wy) * (1 - wx) * g;
                }
                if (y0 == iy && x1 == ix) {
                    acc += (1 - wy) * wx * g;
                }
                if (y1 == iy && x0 == ix) {
                    acc += wy * (1 - wx) * g;
                }
                if (y1 == iy && x1 == ix) {
                    acc += wy * wx * g;
                }
            }
        }
        dx[i] = (float)acc;
    }
}

// ---- activations cuDNN lacks or defines differently -----------------------------------
// One pair per ActivationKind that dev.jcnn.cuda.Activations routes to OWN_KERNELS, named
// after the kind (<kind>_fwd, <kind>_bwd) with one signature for all:
//   <kind>_fwd(x, y, alpha, n)          y = f(x); y may be x
//   <kind>_bwd(x, y, dy, dx, alpha, n)  dx = f'(x)·dy from the forward pass's x and y
// alpha is the ActivationSpec's parameter; kinds without one ignore it.

extern "C" __global__ void leaky_relu_fwd(const float *x, float *y, float slope, int n) {
    GRID_STRIDE(i, n) { y[i] = x[i] > 0.0f ? x[i] : slope * x[i]; }
}

extern "C" __global__ void leaky_relu_bwd(const float *x, const float *y, const float *dy, float *dx, float slope,
                                          int n) {
    GRID_STRIDE(i, n) { dx[i] = x[i] > 0.0f ? dy[i] : slope * dy[i]; }
}

extern "C" __global__ void elu_fwd(const float *x, float *y, float alpha, int n) {
    GRID_STRIDE(i, n) { y[i] = x[i] > 0.0f ? x[i] : (float)((double)alpha * expm1((double)x[i])); }
}

// d/dx alpha·(e^x − 1) = alpha·e^x = y + alpha on the negative side.
extern "C" __global__ void elu_bwd(const float *x, const float *y, const float *dy, float *dx, float alpha, int n) {
    GRID_STRIDE(i, n) { dx[i] = x[i] > 0.0f ? dy[i] : (float)(dy[i] * ((double)y[i] + alpha)); }
}

// GELU, x·Φ(x) with Φ(x) = erfc(−x/√2)/2 (erfc keeps the negative tail's relative precision).
#define SQRT1_2_F 0.70710678118654752f
#define INV_SQRT_2PI_F 0.39894228040143268f

extern "C" __global__ void gelu_fwd(const float *x, float *y, float alpha, int n) {
    GRID_STRIDE(i, n) {
        float v = x[i];
        y[i] = 0.5f * v * erfcf(-v * SQRT1_2_F);
    }
}

// Φ(x) + x·φ(x); φ underflows to 0 for large |x| (x² to inf), so x·φ stays 0 for every finite x.
extern "C" __global__ void gelu_bwd(const float *x, const float *y, const float *dy, float *dx, float alpha, int n) {
    GRID_STRIDE(i, n) {
        float v = x[i];
        float cdf = 0.5f * erfcf(-v * SQRT1_2_F);
        float pdf = expf(-0.5f * v * v) * INV_SQRT_2PI_F;
        dx[i] = dy[i] * (cdf + v * pdf);
    }
}

// GELU's tanh form, x/2·(1 + tanh(u)) with u = √(2/π)·(x + 0.044715·x³), as the equal x·σ(2u),
// which does not cancel where tanh(u) nears −1 (the CPU's ActivationKind.GELU_TANH).
#define SQRT_2_OVER_PI_F 0.79788456080286536f
#define GELU_TANH_CUBIC_F 0.044715f

__device__ float gelu_tanh_argument(float v) {
    return SQRT_2_OVER_PI_F * (v + GELU_TANH_CUBIC_F * v * v * v);
}

extern "C" __global__ void gelu_tanh_fwd(const float *x, float *y, float alpha, int n) {
    GRID_STRIDE(i, n) {
        float v = x[i];
        y[i] = v / (1.0f + expf(-2.0f * gelu_tanh_argument(v)));
    }
}

// σ(2u) + 2x·u'·σ(2u)·σ(−2u), u' = √(2/π)·(1 + 3·0.044715·x²). Beyond |x| = 20 the derivative is
// 1 or 0 to float precision; clamping x there keeps x² finite (no inf·0).
extern "C" __global__ void gelu_tanh_bwd(const float *x, const float *y, const float *dy, float *dx, float alpha,
                                         int n) {
    GRID_STRIDE(i, n) {
        float v = fminf(fmaxf(x[i], -20.0f), 20.0f);
        float u = gelu_tanh_argument(v);
        float s = 1.0f / (1.0f + expf(-2.0f * u));
        float sm = 1.0f / (1.0f + expf(2.0f * u));
        float du = SQRT_2_OVER_PI_F * (1.0f + 3.0f * GELU_TANH_CUBIC_F * v * v);
        dx[i] = dy[i] * (s + 2.0f * v * du * s * sm);
    }
}

// SiLU, x·σ(x).
extern "C" __global__ void silu_fwd(const float *x, float *y, float alpha, int n) {
    GRID_STRIDE(i, n) {
        float v = x[i];
        y[i] = v / (1.0f + expf(-v));
    }
}

// σ(x)·(1 + x·σ(−x)), with σ(−x) for 1 − σ(x), which would cancel for x ≫ 0.
extern "C" __global__ void silu_bwd(const float *x, const float *y, const float *dy, float *dx, float alpha, int n) {
    GRID_STRIDE(i, n) {
        float v = x[i];
        float s = 1.0f / (1.0f + expf(-v));
        float sm = 1.0f / (1.0f + expf(v));
        dx[i] = dy[i] * (s * (1.0f + v * sm));
    }
}

// ReLU6, min(max(x, 0), 6); NaN stays NaN.
extern "C" __global__ void relu6_fwd(const float *x, float *y, float alpha, int n) {
    GRID_STRIDE(i, n) {
        float v = x[i];
        y[i] = v <= 0.0f ? 0.0f : (v >= 6.0f ? 6.0f : v);
    }
}

// 1 strictly between 0 and 6, 0 at and beyond the kinks (PyTorch's hardtanh gradient).
extern "C" __global__ void relu6_bwd(const float *x, const float *y, const float *dy, float *dx, float alpha, int n) {
    GRID_STRIDE(i, n) {
        float v = x[i];
        dx[i] = v > 0.0f && v < 6.0f ? dy[i] : 0.0f;
    }
}

// Hard sigmoid, relu6(x + 3)/6.
extern "C" __global__ void hard_sigmoid_fwd(const float *x, float *y, float alpha, int n) {
    GRID_STRIDE(i, n) {
        float r = x[i] + 3.0f;
        r = r <= 0.0f ? 0.0f : (r >= 6.0f ? 6.0f : r);
        y[i] = r / 6.0f;
    }
}

// 1/6 strictly between −3 and 3, 0 at and beyond them, as PyTorch's.
extern "C" __global__ void hard_sigmoid_bwd(const float *x, const float *y, const float *dy, float *dx, float alpha,
                                            int n) {
    GRID_STRIDE(i, n) {
        float v = x[i];
        dx[i] = v > -3.0f && v < 3.0f ? dy[i] / 6.0f : 0.0f;
    }
}

// Hard swish, x·relu6(x + 3)/6.
extern "C" __global__ void hard_swish_fwd(const float *x, float *y, float alpha, int n) {
    GRID_STRIDE(i, n) {
        float v = x[i];
        float r = v + 3.0f;
        r = r <= 0.0f ? 0.0f : (r >= 6.0f ? 6.0f : r);
        y[i] = v * (r / 6.0f);
    }
}

// 0 below −3, x/3 + 1/2 on [−3, 3] (both ends included, as PyTorch's), 1 above.
extern "C" __global__ void hard_swish_bwd(const float *x, const float *y, const float *dy, float *dx, float alpha,
                                          int n) {
    GRID_STRIDE(i, n) {
        float v = x[i];
        dx[i] = v < -3.0f ? 0.0f : (v <= 3.0f ? dy[i] * (v / 3.0f + 0.5f) : dy[i]);
    }
}

// x (batch, channels, inner): y = x where x > 0, alpha[c]·x elsewhere.
extern "C" __global__ void prelu_fwd(const float *x, const float *alpha, float *y, int channels, int inner, int n) {
    GRID_STRIDE(i, n) {
        int c = (int)((i / inner) % channels);
        y[i] = x[i] > 0.0f ? x[i] : alpha[c] * x[i];
    }
}

extern "C" __global__ void prelu_bwd_data(const float *x, const float *alpha, const float *dy, float *dx,
                                          int channels, int inner, int n) {
    GRID_STRIDE(i, n) {
        int c = (int)((i / inner) % channels);
        dx[i] = x[i] > 0.0f ? dy[i] : alpha[c] * dy[i];
    }
}

// dalpha[c] = Σ over the batch and the inner positions of x·dy where x ≤ 0; one block per channel.
extern "C" __global__ void prelu_bwd_alpha(const float *x, const float *dy, float *dalpha, int batch, int channels,
                                           int inner) {
    __shared__ double shared[REDUCE_THREADS];
    int c = blockIdx.x;
    double acc = 0.0;
    long long count = (long long)batch * inner;
    for (long long j = threadIdx.x; j < count; j += blockDim.x) {
        long long s = j / inner;
        long long q = (s * channels + c) * inner + j % inner;
        if (!(x[q] > 0.0f)) {
            acc += (double)x[q] * dy[q];
        }
    }
    double sum = block_sum(acc, shared);
    if (threadIdx.x == 0) {
        dalpha[c] = (float)sum;
    }
}

// ---- losses: per-block partial sums of the per-item loss, in double --------------------

// log Σ_c exp(z_c) over the classes of one position of logits (n, classes, positions), shifted
// by the float max as the CPU reference's logSumExp.
__device__ double log_sum_exp(const float *z, long long base, int classes, int positions) {
    float mx = -INFINITY;
    for (int c = 0; c < classes; c++) {
        mx = fmaxf(mx, z[base + (long long)c * positions]);
    }
    double sum = 0.0;
    for (int c = 0; c < classes; c++) {
        sum += exp((double)z[base + (long long)c * positions] - mx);
    }
    return log(sum) + mx;
}

// Softmax cross-entropy over axis 1 of logits (n, classes, positions), one thread per (sample,
// position) j with label y = labels[j] (dev.jcnn.backend.CrossEntropySpec): the term
// onTarget·w_y·(s − z_y) + offTarget·Σ_c w_c (s − z_c) with s the log-sum-exp, w the class
// weights (all 1 when weights is null); gradient (p_c·(onTarget·w_y + smoothingWeight) −
// coefficient_c)/weightSum unless dlogits is null. A position labelled skipped adds nothing and
// gets a zero gradient.
extern "C" __global__ void softmax_xent(const float *logits, const int *labels, const float *weights, float *dlogits,
                                        double *partial, int n, int classes, int positions, double onTarget,
                                        double offTarget, double smoothingWeight, double weightSum, int skipped) {
    __shared__ double shared[REDUCE_THREADS];
    double acc = 0.0;
    long long count = (long long)n * positions;
    for (long long j = (long long)blockIdx.x * blockDim.x + threadIdx.x; j < count;
         j += (long long)blockDim.x * gridDim.x) {
        long long base = (j / positions) * classes * positions + j % positions;
        int y = labels[j];
        if (y == skipped) {
            if (dlogits != 0) {
                for (int c = 0; c < classes; c++) {
                    dlogits[base + (long long)c * positions] = 0.0f;
                }
            }
            continue;
        }
        double logSum = log_sum_exp(logits, base, classes, positions);
        double wy = weights != 0 ? (double)weights[y] : 1.0;
        double loss = onTarget * wy * (logSum - logits[base + (long long)y * positions]);
        if (offTarget != 0.0) {
            double smooth = 0.0;
            for (int c = 0; c < classes; c++) {
                smooth += (weights != 0 ? (double)weights[c] : 1.0) * (logSum - logits[base + (long long)c * positions]);
            }
            loss += offTarget * smooth;
        }
        acc += loss;
        if (dlogits != 0) {
            double coefficientSum = onTarget * wy + smoothingWeight;
            for (int c = 0; c < classes; c++) {
                double coefficient = offTarget * (weights != 0 ? (double)weights[c] : 1.0) + (c == y ? onTarget * wy : 0.0);
                double p = exp(logits[base + (long long)c * positions] - logSum);
                dlogits[base + (long long)c * positions] = (float)((p * coefficientSum - coefficient) / weightSum);
            }
        }
    }
    double total = block_sum(acc, shared);
    if (threadIdx.x == 0) {
        partial[blockIdx.x] = total;
    }
}

// logsum[j] = the log-sum-exp over the classes at each (sample, position) j of logits (n, classes, positions).
extern "C" __global__ void softmax_log_sum_exp(const float *logits, double *logsum, int n, int classes, int positions) {
    long long count = (long long)n * positions;
    GRID_STRIDE(j, count) {
        logsum[j] = log_sum_exp(logits, (j / positions) * classes * positions + j % positions, classes, positions);
    }
}

// Multi-class soft Dice, first pass: for each class c, with p = softmax (from logsum) and t the
// one-hot of labels, the block's Σ p_c t_c and Σ (p_c + t_c) go to partial[(c·blocks + block)·2]
// and the element after it.
extern "C" __global__ void softmax_dice_sums(const float *logits, const int *labels, const double *logsum,
                                             double *partial, int n, int classes, int positions) {
    __shared__ double shared[REDUCE_THREADS];
    long long count = (long long)n * positions;
    for (int c = 0; c < classes; c++) {
        double intersection = 0.0;
        double sum = 0.0;
        for (long long j = (long long)blockIdx.x * blockDim.x + threadIdx.x; j < count;
             j += (long long)blockDim.x * gridDim.x) {
            long long base = (j / positions) * classes * positions + j % positions;
            double p = exp(logits[base + (long long)c * positions] - logsum[j]);
            double t = labels[j] == c ? 1.0 : 0.0;
            intersection += p * t;
            sum += p + t;
        }
        // only thread 0 reads a block_sum's result, before it writes the next one's first element
        double blockIntersection = block_sum(intersection, shared);
        double blockSum = block_sum(sum, shared);
        if (threadIdx.x == 0) {
            partial[((long long)c * gridDim.x + blockIdx.x) * 2] = blockIntersection;
            partial[((long long)c * gridDim.x + blockIdx.x) * 2 + 1] = blockSum;
        }
    }
}

// Multi-class soft Dice, second pass: with d_c = dL/dp_c = coefficients[2c + t_c] (worked out on
// the host from the sums), dlogits_c = p_c (d_c − Σ_k d_k p_k) at each position.
extern "C" __global__ void softmax_dice_grad(const float *logits, const int *labels, const double *logsum,
                                             const double *coefficients, float *dlogits, int n, int classes,
                                             int positions) {
    long long count = (long long)n * positions;
    GRID_STRIDE(j, count) {
        long long base = (j / positions) * classes * positions + j % positions;
        int y = labels[j];
        double dot = 0.0;
        for (int c = 0; c < classes; c++) {
            dot += coefficients[2 * c + (c == y ? 1 : 0)] * exp(logits[base + (long long)c * positions] - logsum[j]);
        }
        for (int c = 0; c < classes; c++) {
            double p = exp(logits[base + (long long)c * positions] - logsum[j]);
            dlogits[base + (long long)c * positions] = (float)(p * (coefficients[2 * c + (c == y ? 1 : 0)] - dot));
        }
    }
}

// Binary soft Dice, first pass: with p = sigmoid(logits), the block's Σ p·t and Σ (p + t) go to
// partial[2·block] and partial[2·block + 1].
extern "C" __global__ void sigmoid_dice_sums(const float *logits, const float *targets, double *partial, int n) {
    __shared__ double shared[REDUCE_THREADS];
    double intersection = 0.0;
    double sum = 0.0;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n;
         i += (long long)blockDim.x * gridDim.x) {
        double p = sigmoid_d(logits[i]);
        intersection += p * targets[i];
        sum += p + targets[i];
    }
    double blockIntersection = block_sum(intersection, shared);
    double blockSum = block_sum(sum, shared);
    if (threadIdx.x == 0) {
        partial[2 * blockIdx.x] = blockIntersection;
        partial[2 * blockIdx.x + 1] = blockSum;
    }
}

// Binary soft Dice, second pass: dlogits = −(2t·D − N)/D² · p(1 − p) with N = 2 Σ p t + ε and
// D = Σ (p + t) + ε from the first pass.
extern "C" __global__ void sigmoid_dice_grad(const float *logits, const float *targets, float *dlogits,
                                             double numerator, double denominator, int n) {
    GRID_STRIDE(i, n) {
        double p = sigmoid_d(logits[i]);
        double dp = -(2 * targets[i] * denominator - numerator) / (denominator * denominator);
        dlogits[i] = (float)(dp * p * (1 - p));
    }
}

// Binary cross-entropy of sigmoid(x) against t, in the stable form
// max(x, 0) − x·t + log(1 + e^−|x|); gradient (sigmoid(x) − t)/n.
extern "C" __global__ void sigmoid_xent(const float *logits, const float *targets, float *dlogits, double *partial,
                                        int n) {
    __shared__ double shared[REDUCE_THREADS];
    double acc = 0.0;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n;
         i += (long long)blockDim.x * gridDim.x) {
        double x = logits[i];
        double t = targets[i];
        acc += fmax(x, 0.0) - x * t + log1p(exp(-fabs(x)));
        if (dlogits != 0) {
            dlogits[i] = (float)((sigmoid_d(x) - t) / n);
        }
    }
    double total = block_sum(acc, shared);
    if (threadIdx.x == 0) {
        partial[blockIdx.x] = total;
    }
}

// Mean squared error: (p − t)²; gradient 2·(p − t)/n.
extern "C" __global__ void squared_error(const float *pred, const float *targets, float *dpred, double *partial,
                                         int n) {
    __shared__ double shared[REDUCE_THREADS];
    double acc = 0.0;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n;
         i += (long long)blockDim.x * gridDim.x) {
        double diff = (double)pred[i] - targets[i];
        acc += diff * diff;
        if (dpred != 0) {
            dpred[i] = (float)(2.0 * diff / n);
        }
    }
    double total = block_sum(acc, shared);
    if (threadIdx.x == 0) {
        partial[blockIdx.x] = total;
    }
}

// ---- optimizers -------------------------------------------------------------------------

// SGD as PyTorch: g = grad + wd·w; v = momentum·v + g; w −= lr·(nesterov ? g + momentum·v : v).
// Without momentum (velocity null) w −= lr·g. Float arithmetic in the CPU reference's order.
extern "C" __global__ void sgd_update(float *w, const float *grad, float *velocity, float lr, float momentum,
                                      float weightDecay, int nesterov, int n) {
    GRID_STRIDE(i, n) {
        float g = weightDecay != 0.0f ? grad[i] + weightDecay * w[i] : grad[i];
        if (momentum != 0.0f) {
            float v = momentum * velocity[i] + g;
            velocity[i] = v;
            g = nesterov ? g + momentum * v : v;
        }
        w[i] = w[i] - lr * g;
    }
}

// Adam as PyTorch, in double per element like the CPU reference:
// m = b1·m + (1 − b1)·g; v = b2·v + (1 − b2)·g²; w −= stepSize·m / (sqrt(v)/correction2 + eps)
// with stepSize = lr/(1 − b1^t) and correction2 = sqrt(1 − b2^t) computed on the host.
extern "C" __global__ void adam_update(float *w, const float *grad, float *m, float *v, double beta1, double beta2,
                                       double eps, double weightDecay, double stepSize, double correction2, int n) {
    GRID_STRIDE(i, n) {
        double g = grad[i] + weightDecay * w[i];
        float mi = (float)(beta1 * m[i] + (1.0 - beta1) * g);
        float vi = (float)(beta2 * v[i] + (1.0 - beta2) * g * g);
        m[i] = mi;
        v[i] = vi;
        double denom = sqrt((double)vi) / correction2 + eps;
        w[i] = (float)(w[i] - stepSize * mi / denom);
    }
}

// AdamW as PyTorch: w = decay·w − stepSize·m / (sqrt(v)/correction2 + eps) with decay = 1 − lr·wd
// (decoupled weight decay) and the moments of the plain gradient; in double like the CPU reference.
extern "C" __global__ void adamw_update(float *w, const float *grad, float *m, float *v, double beta1, double beta2,
                                        double eps, double decay, double stepSize, double correction2, int n) {
    GRID_STRIDE(i, n) {
        double g = grad[i];
        float mi = (float)(beta1 * m[i] + (1.0 - beta1) * g);
        float vi = (float)(beta2 * v[i] + (1.0 - beta2) * g * g);
        m[i] = mi;
        v[i] = vi;
        double denom = sqrt((double)vi) / correction2 + eps;
        w[i] = (float)(decay * w[i] - stepSize * mi / denom);
    }
}

// RMSprop as PyTorch, in double per element like the CPU reference: g = grad + wd·w;
// s = alpha·s + (1 − alpha)·g²; centered: a = alpha·a + (1 − alpha)·g, d = sqrt(s − a²) + eps, else
// d = sqrt(s) + eps; momentum: b = momentum·b + g/d, w −= lr·b; else w −= lr·g/d. gradAvg is null
// unless centered, buffer null without momentum.
extern "C" __global__ void rmsprop_update(float *w, const float *grad, float *squareAvg, float *gradAvg, float *buffer,
                                          double lr, double alpha, double eps, double weightDecay, double momentum,
                                          int centered, int n) {
    GRID_STRIDE(i, n) {
        double g = grad[i] + weightDecay * w[i];
        float si = (float)(alpha * squareAvg[i] + (1.0 - alpha) * g * g);
        squareAvg[i] = si;
        double s = si;
        if (centered) {
            float ai = (float)(alpha * gradAvg[i] + (1.0 - alpha) * g);
            gradAvg[i] = ai;
            s -= (double)ai * ai;
        }
        double denom = sqrt(s) + eps;
        if (momentum != 0.0) {
            float bi = (float)(momentum * buffer[i] + g / denom);
            buffer[i] = bi;
            w[i] = (float)(w[i] - lr * bi);
        } else {
            w[i] = (float)(w[i] - lr * g / denom);
        }
    }
}

// Σ x², one double partial sum per block (gradient clipping's squared norm; the host adds them).
extern "C" __global__ void sum_squares(const float *x, double *partial, int n) {
    __shared__ double shared[REDUCE_THREADS];
    double acc = 0.0;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n;
         i += (long long)blockDim.x * gridDim.x) {
        acc += (double)x[i] * x[i];
    }
    double total = block_sum(acc, shared);
    if (threadIdx.x == 0) {
        partial[blockIdx.x] = total;
    }
}
