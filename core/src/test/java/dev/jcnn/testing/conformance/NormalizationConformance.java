package dev.jcnn.testing.conformance;

import static dev.jcnn.testing.ExpectMessage.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.LrnSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import dev.jcnn.testing.TestData;
import dev.jcnn.testing.cases.NormalizationCases;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Batch normalization beyond the op table's comparison with the oracle
 * ({@link NormalizationCases}): finite differences of the training pass, one value per
 * channel refused, inference with a batch's own statistics giving what training gave; finite
 * differences of local response normalization, and its settings refused when out of range.
 */
public abstract class NormalizationConformance extends BackendConformance {

    private static final BatchNormSpec SPEC = NormalizationCases.SPEC;

    /** Images, flat features, one value per sample and channel (N = 2), a single sample with a spatial map. */
    static List<Shape> shapes() {
        return NormalizationCases.SMALL_SHAPES;
    }

    /** Inputs, with per-channel offsets and scales so the statistics differ by channel. */
    private static final class Case {
        final Shape xs;
        final Shape cs;
        final float[] x;
        final float[] gamma;
        final float[] beta;
        final float[] runningMean;
        final float[] runningVar;

        Case(Shape xs) {
            this.xs = xs;
            this.cs = Shape.of(xs.dim(1));
            TestData d = new TestData(xs.toString().hashCode());
            int inner = xs.sampleSize() / xs.dim(1);
            float[] v = d.gaussian(xs.size(), 1);
            for (int i = 0; i < v.length; i++) {
                int c = (i / inner) % xs.dim(1);
                v[i] = v[i] * (1 + c) + c - 1;
            }
            this.x = v;
            this.gamma = d.uniform(cs.size(), 0.5, 1.5);
            this.beta = d.gaussian(cs.size(), 0.5);
            this.runningMean = d.gaussian(cs.size(), 0.5);
            this.runningVar = d.uniform(cs.size(), 0.5, 2);
        }
    }

    /** Finite differences of the training forward pass with respect to x, gamma and beta. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void gradient(Shape xs) {
        assumeFiniteDifferences();
        Case k = new Case(xs);
        Tensor xt = upload(xs, k.x);
        Tensor gamma = upload(k.cs, k.gamma);
        Tensor beta = upload(k.cs, k.beta);
        Tensor rm = zeros(k.cs);
        Tensor rv = zeros(k.cs);
        Tensor y = zeros(xs);
        Tensor mean = zeros(k.cs);
        Tensor invStd = zeros(k.cs);
        Runnable forward = () -> backend().normalization().forwardTraining(xt, gamma, beta, SPEC, rm, rv, y, mean, invStd);
        forward.run();
        float[] r = new TestData(xs.toString().hashCode() + 2).gaussian(xs.size(), 1);
        Tensor dx = zeros(xs);
        Tensor dgamma = zeros(k.cs);
        Tensor dbeta = zeros(k.cs);
        backend().normalization().backward(xt, upload(xs, r), gamma, mean, invStd, dx, dgamma, dbeta);
        GradientChecker checker = gradientChecker();
        checker.assertGradient("batch norm dx on " + xs, k.x, read(dx), projection(xt, forward, y, r),
                GradientChecker.noKinks());
        backend().write(xt, k.x);
        checker.assertGradient("batch norm dgamma on " + xs, k.gamma, read(dgamma), projection(gamma, forward, y, r),
                GradientChecker.noKinks());
        backend().write(gamma, k.gamma);
        checker.assertGradient("batch norm dbeta on " + xs, k.beta, read(dbeta), projection(beta, forward, y, r),
                GradientChecker.noKinks());
    }

    /** One value per channel has no variance: training refuses it and says why. */
    @Test
    void trainingNeedsMoreThanOneValuePerChannel() {
        Shape xs = Shape.of(1, 3, 1, 1);
        Shape cs = Shape.of(3);
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().normalization().forwardTraining(zeros(xs),
                zeros(cs), zeros(cs), SPEC, zeros(cs), zeros(cs), zeros(xs), zeros(cs), zeros(cs)),
                "batchNormForwardTraining", "value per channel");
    }

    /** With running statistics equal to a batch's own, inference gives what training gave for it. */
    @Test
    void inferenceWithTheBatchStatisticsMatchesTraining() {
        Case k = new Case(Shape.of(5, 2, 3, 3));
        BatchNormSpec everything = new BatchNormSpec(1e-3f, 1f);
        Tensor xt = upload(k.xs, k.x);
        Tensor gamma = upload(k.cs, k.gamma);
        Tensor beta = upload(k.cs, k.beta);
        Tensor rm = zeros(k.cs);
        Tensor rv = zeros(k.cs);
        Tensor yTrain = zeros(k.xs);
        backend().normalization().forwardTraining(xt, gamma, beta, everything, rm, rv, yTrain, zeros(k.cs), zeros(k.cs));
        // the running variance is unbiased: rescale it to the biased one training normalised with
        int m = 5 * 9;
        float[] v = read(rv);
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] * (m - 1) / m;
        }
        Tensor yInfer = output(k.xs);
        backend().normalization().forwardInference(xt, gamma, beta, rm, upload(k.cs, v), everything, yInfer);
        float[] a = read(yTrain);
        float[] b = read(yInfer);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-4, "element " + i);
        }
    }

    static List<LrnSpec> lrnSpecs() {
        return NormalizationCases.LRN_SPECS;
    }

    /** Finite differences of local response normalization with respect to x. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lrnSpecs")
    void lrnGradient(LrnSpec spec) {
        assumeFiniteDifferences();
        for (Shape xs : NormalizationCases.LRN_SHAPES) {
            float[] x = new TestData(xs.toString().hashCode() + spec.size()).gaussian(xs.size(), 2);
            Tensor xt = upload(xs, x);
            Tensor y = zeros(xs);
            Runnable forward = () -> backend().normalization().lrnForward(xt, spec, y);
            forward.run();
            float[] r = new TestData(xs.toString().hashCode() + 3).gaussian(xs.size(), 1);
            Tensor dx = zeros(xs);
            backend().normalization().lrnBackward(xt, y, upload(xs, r), spec, dx);
            gradientChecker().assertGradient("lrn dx on " + xs + " " + spec, x, read(dx), projection(xt, forward, y, r),
                    GradientChecker.noKinks());
        }
    }

    /** Settings the op cannot mean are refused naming the value. */
    @Test
    void lrnSpecRefusesBadSettings() {
        assertThrowsMentioning(IllegalArgumentException.class, () -> new LrnSpec(4, 1e-4f, 0.75f, 2f), "size", "odd",
                "4");
        assertThrowsMentioning(IllegalArgumentException.class, () -> new LrnSpec(5, -1f, 0.75f, 2f), "alpha", "-1.0");
        assertThrowsMentioning(IllegalArgumentException.class, () -> new LrnSpec(5, 1e-4f, Float.NaN, 2f), "beta",
                "NaN");
        assertThrowsMentioning(IllegalArgumentException.class, () -> new LrnSpec(5, 1e-4f, 0.75f, 0f), "k", "0.0");
    }

    /** y written over x is refused: the backward pass needs both. */
    @Test
    void lrnRefusesOutputOverInput() {
        Tensor x = zeros(Shape.of(1, 3, 2, 2));
        assertThrowsMentioning(IllegalArgumentException.class, () -> backend().normalization().lrnForward(x,
                LrnSpec.ALEXNET, x), "lrnForward", "y");
    }
}
