package dev.jcnn.cuda;

/** The GPU had not enough free memory for an allocation; the message names the request and what was free. */
public class CudaOutOfMemoryException extends CudaException {

    private static final long serialVersionUID = 1L;

    public CudaOutOfMemoryException(String message) {
        super(message);
    }
}
