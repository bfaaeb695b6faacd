// Lets src/main/cuda/jcnn_kernels.cu compile as host C++ so that tests can run its
// grid-stride kernels on the CPU (dev.jcnn.cuda.HostKernels): a launch becomes one thread of
// one block, which walks the whole range in order. Kernels that cooperate within a block
// (__syncthreads, shared memory, one block per channel) are compiled but not run this way.
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
