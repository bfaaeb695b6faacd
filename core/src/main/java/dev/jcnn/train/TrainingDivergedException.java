package dev.jcnn.train;

/** The loss became NaN or infinite: training stopped; the message names the step and the first layer at fault. */
public class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}
