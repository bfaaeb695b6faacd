package dev.jcnn.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcnn.backend.Backend;
import dev.jcnn.tensor.Shape;
import dev.jcnn.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Finite-difference gradient checks for layers, as Caffe's GradientChecker: central
 * differences (f(v + h) − f(v − h)) / 2h of the objective Σ r·forward(...) with a fixed random
 * r, summed in double, against the layer's backward pass with dy = r; a coordinate passes when
 * |analytic − numeric| ≤ threshold · max(|analytic|, |numeric|, 1). The values are float32, so
 * v ± h is rounded to float and the difference divided by the step actually taken.
 *
 * <p>(The conformance suite's reusable GradientChecker will replace this once it is on main.)
 */
public final class GradientCheck {

    static final double STEP = 1e-2;
    static final double THRESHOLD = 2e-3;

    private GradientCheck() {
    }

    /** Checks analytic ≈ d objective / d point at every coordinate; point is restored afterwards. */
    public static void check(String what, float[] point, float[] analytic, ToDoubleFunction<float[]> objective) {
        int failures = 0;
        StringBuilder worst = new StringBuilder();
        double worstError = -1;
        for (int i = 0; i < point.length; i++) {
            float v = point[i];
            float up = (float) (v + STEP);
            float down = (float) (v - STEP);
            point[i] = up;
            double fUp = objective.applyAsDouble(point);
            point[i] = down;
            double fDown = objective.applyAsDouble(point);
            point[i] = v;
            double numeric = (fUp - fDown) / ((double) up - down);
            double a = analytic[i];
            double error = Math.abs(a - numeric) / Math.max(1.0, Math.max(Math.abs(a), Math.abs(numeric)));
            if (error > THRESHOLD) {
                failures++;
            }
            if (error > worstError) {
                worstError = error;
                worst.setLength(0);
                worst.append(String.format("index %d: analytic %.7g, numeric %.7g, scaled error %.3e", i, a, numeric, error));
            }
        }
        objective.applyAsDouble(point);
        assertTrue(failures == 0, what + ": " + failures + " of " + point.length + " coordinates differ by more than "
                + THRESHOLD + "; worst at " + worst);
    }

    /** Σ r·y in double. */
    public static double dot(float[] r, Tensor y) {
        float[] v = y.toArray();
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += (double) r[i] * v[i];
        }
        return s;
    }

    public static float[] random(Random random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }

    /**
     * Builds a single-input layer for batch input shape x on the backend (in training mode) and
     * checks the gradient of its input and of every parameter.
     */
    static void checkLayer(Backend backend, Layer layer, Shape x, long seed) {
        Random random = new Random(seed);
        layer.named(layer.name() == null ? "layer" : layer.name());
        layer.build(x.withoutBatch(), backend, random);
        randomizeParameters(backend, layer, random);
        float[] xv = random(random, x.size(), 1.0);
        try (Tensor input = backend.upload(x, xv)) {
            Tensor y0 = layer.forward(input, true);
            float[] r = random(random, y0.shape().size(), 1.0);
            try (Tensor dy = backend.upload(y0.shape(), r)) {
                float[] dx = layer.backward(dy).toArray();
                List<float[]> grads = new ArrayList<>();
                for (Parameter p : layer.parameters()) {
                    grads.add(p.grad().toArray());
                }
                check(layer.name() + " input " + x, xv, dx, v -> {
                    backend.write(input, v);
                    return dot(r, layer.forward(input, true));
                });
                backend.write(input, xv);
                for (int k = 0; k < grads.size(); k++) {
                    Parameter p = layer.parameters().get(k);
                    float[] pv = p.value().toArray();
                    check(p.name() + " for input " + x, pv, grads.get(k), v -> {
                        backend.write(p.value(), v);
                        return dot(r, layer.forward(input, true));
                    });
                }
            }
        } finally {
            layer.close();
        }
    }

    /** Gives every parameter random values (a bias of zeros or a scale of ones checks little). */
    static void randomizeParameters(Backend backend, Layer layer, Random random) {
        for (Parameter p : layer.parameters()) {
            float[] v = random(random, p.value().shape().size(), 0.5);
            backend.write(p.value(), v);
        }
    }

    /** Builds a merge for these batch input shapes and checks the gradient of each input. */
    static void checkMerge(Backend backend, MergeLayer layer, List<Shape> xs, long seed) {
        Random random = new Random(seed);
        layer.named("merge");
        List<Shape> perSample = new ArrayList<>();
        for (Shape s : xs) {
            perSample.add(s.withoutBatch());
        }
        layer.build(perSample, backend, random);
        List<Tensor> inputs = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        try {
            for (Shape s : xs) {
                float[] v = random(random, s.size(), 1.0);
                values.add(v);
                inputs.add(backend.upload(s, v));
            }
            Tensor y0 = layer.forward(inputs, true);
            float[] r = random(random, y0.shape().size(), 1.0);
            try (Tensor dy = backend.upload(y0.shape(), r)) {
                List<float[]> dxs = new ArrayList<>();
                for (Tensor d : layer.backwardInputs(dy)) {
                    dxs.add(d.toArray());
                }
                for (int k = 0; k < xs.size(); k++) {
                    Tensor in = inputs.get(k);
                    check(layer.type() + " input " + k + " " + xs.get(k), values.get(k), dxs.get(k), v -> {
                        backend.write(in, v);
                        return dot(r, layer.forward(inputs, true));
                    });
                }
            }
        } finally {
            inputs.forEach(Tensor::close);
            layer.close();
        }
    }
}
