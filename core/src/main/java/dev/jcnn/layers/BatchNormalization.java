package dev.jcnn.layers;

import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.tensor.Shape;
import java.util.List;

/**
 * Keras' {@code BatchNormalization(momentum=0.99, epsilon=1e-3)} over the channel axis (the
 * features of a flat input). In training it normalizes with the batch's mean and variance per
 * channel and updates the moving averages, moving = momentum·moving + (1 − momentum)·batch
 * (the variance unbiased, as cuDNN and PyTorch keep it); in inference it uses the moving
 * averages. Learns "gamma" (scale, from 1) and "beta" (shift, from 0); "moving_mean" and
 * "moving_variance" are non-trainable state, saved with the weights.
 */
public class BatchNormalization extends Layer {

    private float momentum = 0.99f;
    private float epsilon = 1e-3f;
    private Tensor x;
    private Tensor savedMean;
    private Tensor savedInvStd;
    private boolean trained;

    public BatchNormalization() {
        super(null);
    }

    /** The weight of the old moving averages at each training step, in [0, 1]; Keras' default 0.99. */
    public BatchNormalization momentum(double m) {
        if (!(m >= 0 && m <= 1)) {
            throw new IllegalArgumentException(name() + ": momentum must lie in [0, 1], got " + m);
        }
        this.momentum = (float) m;
        return this;
    }

    /** Added to the variance before the square root; Keras' default 1e-3. */
    public BatchNormalization epsilon(double e) {
        if (!(e > 0) || !Double.isFinite(e)) {
            throw new IllegalArgumentException(name() + ": epsilon must be positive and finite, got " + e);
        }
        this.epsilon = (float) e;
        return this;
    }

    /** Keras' momentum: the weight of the old moving averages. */
    public float momentum() {
        return momentum;
    }

    public float epsilon() {
        return epsilon;
    }

    public BatchNormSpec spec() {
        return new BatchNormSpec(epsilon, 1f - momentum);
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 1 && input.rank() != 3) {
            throw new IllegalArgumentException(name() + ": expects (channels, height, width) or (features) input, got "
                    + input);
        }
        return input;
    }

    @Override
    public List<ParamSpec> parameterSpecs(Shape input) {
        Shape c = Shape.of(input.dim(0));
        return List.of(new ParamSpec("gamma", c, ParamSpec.Init.ONES, 1, 1),
                new ParamSpec("beta", c, ParamSpec.Init.ZEROS, 1, 1));
    }

    @Override
    public List<ParamSpec> stateSpecs(Shape input) {
        Shape c = Shape.of(input.dim(0));
        return List.of(new ParamSpec("moving_mean", c, ParamSpec.Init.ZEROS, 1, 1),
                new ParamSpec("moving_variance", c, ParamSpec.Init.ONES, 1, 1));
    }

    @Override
    public Tensor forward(Tensor input, boolean training) {
        checkChannels(input);
        x = input;
        trained = training;
        Tensor y = buffer("y", input.shape());
        Tensor gamma = parameter("gamma").value();
        Tensor beta = parameter("beta").value();
        if (!training) {
            backend().normalization().forwardInference(x, gamma, beta, stateTensor("moving_mean"),
                    stateTensor("moving_variance"), spec(), y);
            return y;
        }
        int perChannel = input.shape().size() / input.shape().dim(1);
        if (perChannel < 2) {
            throw new IllegalArgumentException(name() + ": a training batch of shape " + input.shape() + " has "
                    + perChannel + " value per channel, expected more than one to estimate a variance");
        }
        Shape c = Shape.of(input.shape().dim(1));
        savedMean = buffer("savedMean", c);
        savedInvStd = buffer("savedInvStd", c);
        backend().normalization().forwardTraining(x, gamma, beta, spec(), stateTensor("moving_mean"),
                stateTensor("moving_variance"), y, savedMean, savedInvStd);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (!trained) {
            throw new IllegalStateException(name() + ": backward needs a training forward pass first (the last was inference)");
        }
        Parameter gamma = parameter("gamma");
        Parameter beta = parameter("beta");
        Tensor dx = buffer("dx", x.shape());
        backend().normalization().backward(x, dy, gamma.value(), savedMean, savedInvStd, dx, gamma.grad(), beta.grad());
        return dx;
    }
}
