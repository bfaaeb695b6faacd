// Lets src/main/cuda/jcnn_kernels.cu compile as host C++ so that tests can run its
// grid-stride kernels on the CPU (dev.jcnn.cuda.HostKernels): a launch becomes one thread of
// one block, which walks the whole range in order. A reducing kernel runs too: its block_sum
// over one thread returns that thread's value, since the static "shared" array is zero past
// element 0. Kernels that give each block its own slice (one block per channel) are compiled
// but not run this way.
#include <math.h>

struct HostIndex {
    unsigned int x;
};
static HostIndex blockIdx = {0}, threadIdx = {0}, blockDim = {1}, gridDim = {1};

#define __global__
#define __device__
#define __shared__ static
#define __syncthreads()

static inline int min(int a, int b) { return a < b ? a : b; }
static inline int max(int a, int b) { return a > b ? a : b; }
