package dev.jcnn.layers;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.tensor.Tensor;

/** Maps a layer's {@link Activation} onto the backend's ops, forward and backward. */
final class ActivationMath {

    private ActivationMath() {
    }

    static void forward(Backend b, Activation a, Tensor x, Tensor y) {
        switch (a) {
            case SOFTMAX -> b.softmaxForward(x, false, y);
            case LOG_SOFTMAX -> b.softmaxForward(x, true, y);
            default -> b.activationForward(spec(a), x, y);
        }
    }

    static void backward(Backend b, Activation a, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        switch (a) {
            case SOFTMAX -> b.softmaxBackward(y, dy, false, dx);
            case LOG_SOFTMAX -> b.softmaxBackward(y, dy, true, dx);
            default -> b.activationBackward(spec(a), x, y, dy, dx);
        }
    }

    private static ActivationSpec spec(Activation a) {
        return switch (a) {
            case LINEAR -> ActivationSpec.LINEAR;
            case RELU -> ActivationSpec.RELU;
            case TANH -> ActivationSpec.TANH;
            case SIGMOID -> ActivationSpec.SIGMOID;
            default -> throw new IllegalArgumentException("not an elementwise activation: " + a);
        };
    }
}
