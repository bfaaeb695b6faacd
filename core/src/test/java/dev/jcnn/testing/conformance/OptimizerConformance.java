package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.RmsPropSpec;
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

    @Test
    void adamWStepCountsFromOne() {
        Tensor param = zeros(Shape.of(4, 3));
        Tensor grad = zeros(Shape.of(4, 3));
        Tensor m = zeros(Shape.of(4, 3));
        Tensor v = zeros(Shape.of(4, 3));
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().optimizers().adamW(param, grad, m, v, AdamSpec.of(0.1f), 0), "adamWUpdate", "step 0");
    }

    @Test
    void centeredRmsPropWithoutGradientAverage() {
        Tensor param = zeros(Shape.of(4, 3));
        Tensor grad = zeros(Shape.of(4, 3));
        Tensor squareAvg = zeros(Shape.of(4, 3));
        RmsPropSpec centered = new RmsPropSpec(0.01f, 0.99f, 1e-8f, 0f, 0f, true);
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().optimizers().rmsProp(param, grad, squareAvg, null, null, centered), "centered", "gradAvg");
    }

    @Test
    void rmsPropMomentumBufferOfAnotherShape() {
        Tensor param = zeros(Shape.of(4, 3));
        Tensor grad = zeros(Shape.of(4, 3));
        Tensor squareAvg = zeros(Shape.of(4, 3));
        Tensor buffer = zeros(Shape.of(3, 4));
        RmsPropSpec momentum = new RmsPropSpec(0.01f, 0.99f, 1e-8f, 0f, 0.9f, false);
        assertThrowsMentioning(IllegalArgumentException.class,
                () -> backend().optimizers().rmsProp(param, grad, squareAvg, null, buffer, momentum), "momentumBuffer",
                "(3, 4)", "(4, 3)");
    }

    @Test
    void squaredNormSumsEverySquare() {
        Shape s = Shape.of(3, 5, 7, 11);
        float[] values = new float[s.size()];
        double expected = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 13 - 6) * 0.25f;
            expected += (double) values[i] * values[i];
        }
        assertEquals(expected, backend().optimizers().squaredNorm(upload(s, values)), expected * 1e-12);
    }
}
