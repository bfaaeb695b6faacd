/* A stand-in for cuBLAS (built as libcublas.so.N with the symbol version libcublas.so.N, as
 * NVIDIA's is): answers the calls the retargeting test makes through JCublas2. */
#ifndef STUB_VERSION
#define STUB_VERSION 130100
#endif
typedef struct stub_handle { int version; } stub_handle;
static stub_handle the_handle = { STUB_VERSION };
int cublasCreate_v2(stub_handle **handle) { *handle = &the_handle; return 0; }
int cublasDestroy_v2(stub_handle *handle) { (void) handle; return 0; }
int cublasGetVersion_v2(stub_handle *handle, int *version) { *version = handle->version; return 0; }
