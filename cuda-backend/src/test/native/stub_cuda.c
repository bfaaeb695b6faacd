/* A stand-in for the NVIDIA driver's libcuda.so.1 on a machine without a GPU: enough for
 * JCuda's JNI library to load and for cuInit to answer that there is no device. */
int cuInit(unsigned int flags) { (void) flags; return 100; /* CUDA_ERROR_NO_DEVICE */ }
int cuDriverGetVersion(int *version) { *version = 13000; return 0; }
int cuDeviceGetCount(int *count) { *count = 0; return 0; }
