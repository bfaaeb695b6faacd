package dev.jcnn.io;

/** A weights or checkpoint file that is truncated, corrupted or does not fit the model. */
public class WeightsFileException extends RuntimeException {

    public WeightsFileException(String message) {
        super(message);
    }
}
