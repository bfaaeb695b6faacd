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

// ---- activations cuDNN lacks or defines differently -----------------------------------

extern "C" __global__ void leaky_relu_fwd(const float *x, float *y, float slope, int n) {
    GRID_STRIDE(i, n) { y[i] = x[i] > 0.0f ? x[i] : slope * x[i]; }
}

extern "C" __global__ void leaky_relu_bwd(const float *x, const float *dy, float *dx, float slope, int n) {
    GRID_STRIDE(i, n) { dx[i] = x[i] > 0.0f ? dy[i] : slope * dy[i]; }
}

extern "C" __global__ void elu_fwd(const float *x, float *y, float alpha, int n) {
    GRID_STRIDE(i, n) { y[i] = x[i] > 0.0f ? x[i] : (float)((double)alpha * expm1((double)x[i])); }
}

// d/dx alpha·(e^x − 1) = alpha·e^x = y + alpha on the negative side.
extern "C" __global__ void elu_bwd(const float *x, const float *y, const float *dy, float *dx, float alpha, int n) {
    GRID_STRIDE(i, n) { dx[i] = x[i] > 0.0f ? dy[i] : (float)(dy[i] * ((double)y[i] + alpha)); }
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

// logits (n, classes), one thread per sample: −log softmax(logits)[label]; gradient
// (softmax − onehot)/n unless dlogits is null.
extern "C" __global__ void softmax_xent(const float *logits, const int *labels, float *dlogits, double *partial,
                                        int n, int classes) {
    __shared__ double shared[REDUCE_THREADS];
    double acc = 0.0;
    for (long long s = (long long)blockIdx.x * blockDim.x + threadIdx.x; s < n;
         s += (long long)blockDim.x * gridDim.x) {
        const float *row = logits + s * classes;
        float mx = -INFINITY;
        for (int c = 0; c < classes; c++) {
            mx = fmaxf(mx, row[c]);
        }
        double sum = 0.0;
        for (int c = 0; c < classes; c++) {
            sum += exp((double)row[c] - mx);
        }
        double logSum = log(sum) + mx;
        int label = labels[s];
        acc += logSum - row[label];
        if (dlogits != 0) {
            float *drow = dlogits + s * classes;
            for (int c = 0; c < classes; c++) {
                double p = exp(row[c] - logSum);
                drow[c] = (float)((p - (c == label ? 1.0 : 0.0)) / n);
            }
        }
    }
    double total = block_sum(acc, shared);
    if (threadIdx.x == 0) {
        partial[blockIdx.x] = total;
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
