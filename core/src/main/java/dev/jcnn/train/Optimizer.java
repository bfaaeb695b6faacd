package dev.jcnn.train;

import dev.jcnn.backend.Tensor;
import dev.jcnn.layers.Parameter;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients. Its state (momentum buffers, moments, the step
 * count) is saved in checkpoints so that a resumed run continues exactly.
 */
public interface Optimizer extends AutoCloseable {

    /** One update of every parameter from its gradient. */
    void step(List<Parameter> parameters);

    float learningRate();

    void setLearningRate(float lr);

    /** Updates done so far. */
    long iterations();

    void setIterations(long n);

    /** The state tensors by "parameter name/slot", allocated (as zeros) if missing. */
    Map<String, Tensor> state(List<Parameter> parameters);

    /** A short description for logs, e.g. "SGD(lr=0.05, momentum=0.9)". */
    String describe();

    @Override
    void close();
}
