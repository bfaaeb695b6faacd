package dev.jcnn.cuda;

/**
 * A CUDA driver, cuBLAS or cuDNN call failed; the message names the call, what it was doing
 * and the status the library returned.
 */
public class CudaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CudaException(String message) {
        super(message);
    }
}
