package dev.jcnn.cuda;

import jcuda.driver.CUresult;
import jcuda.jcublas.cublasStatus;
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

    /** Throws unless a cuDNN call returned CUDNN_STATUS_SUCCESS. */
    static void cudnn(int status, String call) {
        if (status != cudnnStatus.CUDNN_STATUS_SUCCESS) {
            throw new CudaException(call + " failed: " + cudnnStatus.stringFor(status) + " (" + status + ")");
        }
    }

    /** Throws unless a cuBLAS call returned CUBLAS_STATUS_SUCCESS. */
    static void cublas(int status, String call) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(call + " failed: " + cublasStatus.stringFor(status) + " (" + status + ")");
        }
    }
}
