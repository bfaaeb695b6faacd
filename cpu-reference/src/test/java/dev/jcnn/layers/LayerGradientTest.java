package dev.jcnn.layers;

import dev.jcnn.backend.BackendOptions;
import dev.jcnn.cpu.CpuBackend;
import dev.jcnn.tensor.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference gradient checks of the LeNet/AlexNet-era layers as layers (their settings,
 * fused activations and parameters together), over several configurations each. The ops
 * underneath are checked one by one in core's conformance suites.
 */
class LayerGradientTest {

    private final CpuBackend cpu = new CpuBackend(BackendOptions.exact());

    @AfterEach
    void close() {
        cpu.close();
    }

    @Test
    void conv2d() {
        GradientCheck.checkLayer(cpu, new Conv2D(3, 3), Shape.of(2, 2, 6, 5), 1);
        GradientCheck.checkLayer(cpu, new Conv2D(2, 5).padding(Padding.SAME).activation(Activation.TANH), Shape.of(1, 3, 7, 7), 2);
        GradientCheck.checkLayer(cpu, new Conv2D(4, 2).padding(Padding.SAME).strides(2), Shape.of(2, 1, 5, 6), 3);
        GradientCheck.checkLayer(cpu, new Conv2D(2, 3, 1).strides(3, 1).padding(Padding.of(1)).useBias(false)
                .activation(Activation.SIGMOID), Shape.of(1, 2, 7, 4), 4);
        // Conv2D + ReLU is left out: a probe of 1e-2 on one input moves many pre-activations, and
        // one crossing zero is a kink, not an error. ReLU's gradient is checked where the kinks
        // can be seen and skipped: on its own input (activationsAndFlatten, and the op suites).
        GradientCheck.checkLayer(cpu, new Conv2D(2, 3).activation(Activation.LINEAR), Shape.of(2, 2, 5, 5), 5);
    }

    @Test
    void dense() {
        GradientCheck.checkLayer(cpu, new Dense(4), Shape.of(3, 7), 6);
        GradientCheck.checkLayer(cpu, new Dense(5, Activation.TANH), Shape.of(2, 6), 7);
        GradientCheck.checkLayer(cpu, new Dense(3, Activation.SOFTMAX).useBias(false), Shape.of(4, 5), 8);
        GradientCheck.checkLayer(cpu, new Dense(3, Activation.LOG_SOFTMAX), Shape.of(2, 4), 9);
    }

    @Test
    void pooling() {
        GradientCheck.checkLayer(cpu, new MaxPool2D(2), Shape.of(2, 2, 6, 6), 10);
        GradientCheck.checkLayer(cpu, new MaxPool2D(3).strides(2), Shape.of(1, 2, 7, 7), 11);
        GradientCheck.checkLayer(cpu, new AvgPool2D(3).strides(2).padding(Padding.SAME), Shape.of(2, 1, 6, 5), 12);
        GradientCheck.checkLayer(cpu, new AvgPool2D(3).strides(2).padding(Padding.of(1)).countIncludePad(true),
                Shape.of(1, 2, 5, 5), 13);
        GradientCheck.checkLayer(cpu, new SumPool2D(2, 3).strides(1, 2), Shape.of(2, 2, 5, 7), 14);
    }

    @Test
    void activationsAndFlatten() {
        for (Activation a : Activation.values()) {
            GradientCheck.checkLayer(cpu, new ActivationLayer(a), Shape.of(2, 3, 2, 2), 20 + a.ordinal());
        }
        GradientCheck.checkLayer(cpu, new Softmax(), Shape.of(3, 5), 30);
        GradientCheck.checkLayer(cpu, new LeakyReLU(0.1f), Shape.of(2, 2, 3, 3), 31);
        GradientCheck.checkLayer(cpu, new ELU(0.7f), Shape.of(2, 2, 3, 3), 32);
        GradientCheck.checkLayer(cpu, new PReLU(), Shape.of(2, 3, 3, 3), 33);
        GradientCheck.checkLayer(cpu, new PReLU(), Shape.of(4, 5), 34);
        GradientCheck.checkLayer(cpu, new Flatten(), Shape.of(2, 2, 3, 3), 35);
    }
}
