package dev.jcnn.layers;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;

/** Maps a layer's {@link Activation} onto the backend's ops, forward and backward. */
final class ActivationMath {

    private ActivationMath() {
    }

    static void forward(Backend b, Activation a, Tensor x, Tensor y) {
        ActivationSpec f = a.elementwise();
        if (f != null) {
            b.activations().forward(f, x, y);
        } else {
            b.softmax().forward(x, a == Activation.LOG_SOFTMAX, y);
        }
    }

    static void backward(Backend b, Activation a, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        ActivationSpec f = a.elementwise();
        if (f != null) {
            b.activations().backward(f, x, y, dy, dx);
        } else {
            b.softmax().backward(y, dy, a == Activation.LOG_SOFTMAX, dx);
        }
    }
}
