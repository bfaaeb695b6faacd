package dev.jcnn.samples.mnist;

import java.io.IOException;

/** MNIST could not be fetched or a file is not the one expected; the message says what to do. */
public final class FetchException extends IOException {

    public FetchException(String message) {
        super(message);
    }

    public FetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
