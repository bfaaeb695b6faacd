package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;

import dev.jcnn.backend.AdamSpec;
import dev.jcnn.backend.SgdSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.AllClose;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.oracle.OptimizerOracle;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Several steps of SGD (plain, momentum, Nesterov, weight decay) and Adam against {@link OptimizerOracle}. */
public abstract class OptimizerConformance extends BackendConformance {

    private static final Shape PARAM = Shape.of(3, 2, 3, 2);
    private static final int STEPS = 5;

    static List<SgdSpec> sgdSpecs() {
        return List.of(new SgdSpec(0.1f, 0f, false, 0f), new SgdSpec(0.05f, 0.9f, false, 0f),
                new SgdSpec(0.05f, 0.9f, true, 0f), new SgdSpec(0.1f, 0f, false, 0.01f),
                new SgdSpec(0.03f, 0.8f, true, 5e-3f), new SgdSpec(0.2f, 0.5f, false, 1e-3f));
    }

    static List<AdamSpec> adamSpecs() {
        return List.of(AdamSpec.of(1e-3f), new AdamSpec(0.01f, 0.8f, 0.99f, 1e-6f, 0.01f),
                new AdamSpec(0.1f, 0f, 0.5f, 1e-3f, 0f));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sgdSpecs")
    void sgd(SgdSpec spec) {
        TestData data = new TestData(spec.toString().hashCode());
        float[] w0 = data.gaussian(PARAM.size(), 1);
        double[] w = AllClose.toDouble(w0);
        double[] v = spec.momentum() > 0 ? new double[w.length] : null;
        Tensor param = upload(PARAM, w0);
        Tensor velocity = spec.momentum() > 0 ? zeros(PARAM) : null;
        Tensor grad = zeros(PARAM);
        for (int step = 1; step <= STEPS; step++) {
            float[] g = data.gaussian(PARAM.size(), 1);
            backend().write(grad, g);
            backend().optimizers().sgd(param, grad, velocity, spec);
            OptimizerOracle.sgd(w, g, v, spec);
            assertClose("sgdUpdate", "param after step " + step + " of " + spec, param, w);
            if (velocity != null) {
                assertClose("sgdUpdate", "velocity after step " + step + " of " + spec, velocity, v);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adamSpecs")
    void adam(AdamSpec spec) {
        TestData data = new TestData(spec.toString().hashCode());
        float[] w0 = data.gaussian(PARAM.size(), 1);
        double[] w = AllClose.toDouble(w0);
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        Tensor param = upload(PARAM, w0);
        Tensor mt = zeros(PARAM);
        Tensor vt = zeros(PARAM);
        Tensor grad = zeros(PARAM);
        for (int step = 1; step <= STEPS; step++) {
            float[] g = data.gaussian(PARAM.size(), 1);
            backend().write(grad, g);
            backend().optimizers().adam(param, grad, mt, vt, spec, step);
            OptimizerOracle.adam(w, g, m, v, spec, step);
            assertClose("adamUpdate", "param after step " + step + " of " + spec, param, w);
            assertClose("adamUpdate", "m after step " + step + " of " + spec, mt, m);
            assertClose("adamUpdate", "v after step " + step + " of " + spec, vt, v);
        }
    }

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
