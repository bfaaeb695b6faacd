package dev.jcnn.layers;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import dev.jcnn.testing.GradientChecker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Finite-difference gradient checks for layers with core's {@link GradientChecker}: central
 * differences of the objective Σ r·forward(...) with a fixed random r, summed in double,
 * against the layer's backward pass with dy = r. Step 1e-2 as Caffe uses in float; threshold
 * 2e-3 scaled by max(|analytic|, |numeric|, 1), a little above the standard 1e-3 because a
 * whole layer (a transposed convolution with its activation, a batch normalization) runs in
 * float32 between the probes.
 */
public final class GradientCheck {

    private static final GradientChecker CHECKER = new GradientChecker(1e-2, 2e-3, 200, 42);

    private GradientCheck() {
    }

    /**
     * Checks analytic ≈ d objective / d point; the objective writes its argument where the
     * forward pass reads it, and is called once more with point afterwards to put it back.
     */
    public static void check(String what, float[] point, float[] analytic, ToDoubleFunction<float[]> objective) {
        CHECKER.assertGradient(what, point, analytic, objective, GradientChecker.noKinks());
        objective.applyAsDouble(point);
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
