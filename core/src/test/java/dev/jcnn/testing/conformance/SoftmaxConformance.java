package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.cases.SoftmaxCases;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Softmax beyond the op table's comparison with the oracle ({@link SoftmaxCases}): finite
 * differences, probabilities that sum to one for logits in the thousands, the wording of
 * bad-input messages.
 */
public abstract class SoftmaxConformance extends BackendConformance {

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (boolean log : new boolean[] {false, true}) {
            for (Shape s : SoftmaxCases.SMALL_SHAPES) {
                all.add(Arguments.of(log ? "log-softmax" : "softmax", s));
            }
        }
        return all;
    }

    private static float[] input(Shape s) {
        return new TestData(s.toString().hashCode()).gaussian(s.size(), 3);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void gradient(String kind, Shape s) {
        assumeFiniteDifferences();
        boolean log = kind.startsWith("log");
        float[] x = input(s);
        float[] r = new TestData(s.toString().hashCode() + 1).gaussian(s.size(), 1);
        Tensor xt = upload(s, x);
        Tensor y = zeros(s);
        backend().softmax().forward(xt, log, y);
        Tensor dx = zeros(s);
        backend().softmax().backward(y, upload(s, r), log, dx);
        gradientChecker().assertGradient(kind + " dx on " + s, x, read(dx),
                projection(xt, () -> backend().softmax().forward(xt, log, y), y, r), GradientChecker.noKinks());
    }

    /** Logits in the thousands: no overflow, the probabilities sum to one, log-softmax stays finite. */
    @ParameterizedTest(name = "log = {0}")
    @ValueSource(booleans = {false, true})
    void largeLogits(boolean log) {
        Shape s = Shape.of(2, 4);
        float[] x = {1000, 999, -1000, 0, -5000, -5001, -5002, -4999};
        Tensor y = zeros(s);
        backend().softmax().forward(upload(s, x), log, y);
        float[] v = read(y);
        for (int n = 0; n < 2; n++) {
            double sum = 0;
            for (int c = 0; c < 4; c++) {
                float value = v[n * 4 + c];
                assertTrue(Float.isFinite(value), "softmax(" + x[n * 4 + c] + ") gave " + value);
                sum += log ? Math.exp(value) : value;
            }
            assertEquals(1.0, sum, 1e-5, "probabilities of sample " + n);
        }
    }

    @Test
    void wrongOutputShape() {
        Tensor x = zeros(Shape.of(2, 5));
        Tensor y = zeros(Shape.of(2, 4));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().softmax().forward(x, false, y),
                "(2, 4)", "(2, 5)");
    }
}
