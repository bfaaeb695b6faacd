package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * The optimizers' bad-input messages; their steps are compared with the oracle in the op
 * table ({@code cases.OptimizerCases}).
 */
public abstract class OptimizerConformance extends BackendConformance {

    @Test
    void sgdGradientOfAnotherShape() {
        Tensor param = zeros(Shape.of(4, 3));
        Tensor grad = zeros(Shape.of(3, 4));
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().optimizers().sgd(param, grad, null, new SgdSpec(0.1f, 0f, false, 0f)), "grad", "(3, 4)", "(4, 3)");
    }

    @Test
    void momentumWithoutVelocity() {
        Tensor param = zeros(Shape.of(4, 3));
        Tensor grad = zeros(Shape.of(4, 3));
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().optimizers().sgd(param, grad, null, new SgdSpec(0.1f, 0.9f, false, 0f)), "velocity");
    }

    @Test
    void adamMomentOfAnotherShape() {
        Tensor param = zeros(Shape.of(4, 3));
        Tensor grad = zeros(Shape.of(4, 3));
        Tensor m = zeros(Shape.of(12));
        Tensor v = zeros(Shape.of(4, 3));
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().optimizers().adam(param, grad, m, v, AdamSpec.of(0.1f), 1), "m", "(12)", "(4, 3)");
    }
}
