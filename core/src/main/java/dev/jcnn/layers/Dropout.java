package dev.jcnn.layers;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.Random;

/**
 * Keras' {@code Dropout(rate, seed)}: in training each value is zeroed with probability
 * {@code rate} and the survivors are scaled by 1/(1 − rate), so the expected output equals
 * the input; in inference the layer passes its input through unchanged.
 *
 * <p>The masks are drawn on the host from a {@link Random} seeded with the layer's seed (or,
 * without one, from the model's seed when it is built), so a run repeats exactly and every
 * backend applies the same masks.
 */
public class Dropout extends Layer {

    private final float rate;
    private Long seed;
    private Random random;
    private float[] hostMask = new float[0];
    private Tensor mask;
    private boolean masked;

    /** Drops each value with probability rate, in [0, 1). */
    public Dropout(double rate) {
        super(null);
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout: rate must lie in [0, 1), got " + rate);
        }
        this.rate = (float) rate;
    }

    /** Seeds the masks; without a seed they come from the model's seed. */
    public Dropout seed(long s) {
        this.seed = s;
        return this;
    }

    /** The seed given to {@link #seed}, or null. */
    Long seedOrNull() {
        return seed;
    }

    public float rate() {
        return rate;
    }

    @Override
    public boolean keepsValues() {
        return true;
    }

    @Override
    public Shape outputShape(Shape input) {
        return input;
    }

    @Override
    public Shape build(Shape input, Backend backend, Random modelRandom) {
        Shape out = super.build(input, backend, modelRandom);
        random = new Random(seed != null ? seed : modelRandom.nextLong());
        return out;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkChannels(x);
        masked = training && rate > 0f;
        if (!masked) {
            return x;
        }
        int n = x.shape().size();
        if (hostMask.length != n) {
            hostMask = new float[n];
        }
        float keep = 1f / (1f - rate);
        for (int i = 0; i < n; i++) {
            hostMask[i] = random.nextFloat() < rate ? 0f : keep;
        }
        mask = buffer("mask", x.shape());
        backend().write(mask, hostMask);
        Tensor y = buffer("y", x.shape());
        backend().elementwise().multiply(x, mask, y);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (!masked) {
            return dy;
        }
        Tensor dx = buffer("dx", dy.shape());
        backend().elementwise().multiply(dy, mask, dx);
        return dx;
    }
}
