package dev.jcnn.cuda;

import jcuda.driver.CUresult;
import jcuda.jcublas.cublasStatus;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnStatus;

/** Turns the status codes of the driver, cuBLAS and cuDNN into exceptions naming the call. */
final class Status {

    private Status() {
    }

    /** Throws unless a driver API call returned CUDA_SUCCESS. */
    static void cu(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaException(call + " failed: " + CUresult.stringFor(result) + " (" + result + ")");
        }
    }

    /**
     * Throws unless a cuDNN call returned CUDNN_STATUS_SUCCESS. The name comes from the loaded
     * cuDNN itself: cuDNN 9 renumbered the errors (CUDNN_STATUS_BAD_PARAM is 2000 where cuDNN 8's
     * was 3), and JCudnn's table of names is cuDNN 8's ("INVALID cudnnStatus: 2000").
     */
    static void cudnn(int status, String call) {
        if (status != cudnnStatus.CUDNN_STATUS_SUCCESS) {
            throw new CudaException(call + " failed: " + JCudnn.cudnnGetErrorString(status) + " (" + status + ")");
        }
    }

    /** Throws unless a cuBLAS call returned CUBLAS_STATUS_SUCCESS. */
    static void cublas(int status, String call) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(call + " failed: " + cublasStatus.stringFor(status) + " (" + status + ")");
        }
    }
}
