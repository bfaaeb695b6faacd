package dev.jcnn.layers;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.BatchNormSpec;
import dev.jcnn.backend.Tensor;
import dev.jcnn.data.SampleSource;
import dev.jcnn.tensor.Shape;
import java.util.List;
import java.util.Random;

/**
 * Per-channel standardisation, Keras' {@code layers.Normalization}: y = (x − mean[c]) / std[c]
 * over the channel axis (the features of a flat input). The mean and standard deviation are
 * given, or measured on a training set by {@link #adapt}, and kept as non-trainable state
 * ("mean" and "variance", as Keras names them), saved and loaded with the weights, so that a
 * saved model applies the normalisation it was trained with. Backward scales the gradient by
 * 1/std, so the layer may sit anywhere in a model.
 *
 * <p>It runs on the backend's batch-normalisation inference op with a unit scale and no
 * shift, so it needs no op of its own.
 */
public class Normalization extends Layer {

    /** Added to the variance before the root: the smallest normal float, so y is (x − mean)/std to rounding. */
    private static final float EPSILON = Float.MIN_NORMAL;

    private final float[] mean;
    private final float[] std;
    private Tensor ones;
    private Tensor zeros;

    /**
     * Normalisation by these per-channel means and standard deviations.
     *
     * @throws IllegalArgumentException naming the channel when the arrays differ in length, are
     *     empty, or a mean is not finite or a standard deviation is not positive and finite
     */
    public Normalization(float[] mean, float[] std) {
        super(null);
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalization: expected one mean and one standard deviation per channel,"
                    + " got " + (mean == null ? "no" : mean.length) + " means and " + (std == null ? "no" : std.length)
                    + " standard deviations");
        }
        check("Normalization", mean, std);
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * Checks per-channel statistics: every mean finite, every standard deviation positive and
     * finite with a normal float square.
     *
     * @param layer the layer's name, for the message
     * @throws IllegalArgumentException naming the layer and the channel
     */
    static void check(String layer, float[] mean, float[] std) {
        for (int c = 0; c < mean.length; c++) {
            if (!Float.isFinite(mean[c])) {
                throw new IllegalArgumentException(layer + ": the mean of channel " + c + " is " + mean[c]
                        + ", expected a finite number");
            }
            float s = std[c];
            float variance = s * s;
            if (!(s > 0) || !Float.isFinite(variance) || variance < Float.MIN_NORMAL) {
                throw new IllegalArgumentException(layer + ": the standard deviation of channel " + c + " is " + s
                        + ", expected a positive finite number from 1.1e-19 to 1.8e19 (a constant channel cannot be"
                        + " standardised; give its standard deviation, e.g. 1)");
            }
        }
    }

    /**
     * Measures the per-channel mean and standard deviation (the population's, as Keras'
     * {@code adapt}) of every sample of the source, streaming over it one sample at a time,
     * in double precision with Chan's pairwise update, so a set larger than memory works.
     *
     * @throws IllegalArgumentException when the source is empty, its samples are not (C, H, W)
     *     or (features), a value is not finite, or a channel is constant
     */
    public static Normalization adapt(SampleSource source) {
        Shape shape = source.sampleShape();
        if (shape.rank() != 1 && shape.rank() != 3) {
            throw new IllegalArgumentException("Normalization.adapt: samples of shape " + shape
                    + ", expected (channels, height, width) or (features)");
        }
        if (source.size() == 0) {
            throw new IllegalArgumentException("Normalization.adapt: the source holds no samples");
        }
        int channels = shape.dim(0);
        int inner = shape.size() / channels;
        double[] runMean = new double[channels];
        double[] runM2 = new double[channels];
        long count = 0;
        float[] sample = new float[shape.size()];
        for (int i = 0; i < source.size(); i++) {
            source.copySample(i, sample, 0);
            for (int c = 0; c < channels; c++) {
                double sum = 0;
                for (int k = c * inner; k < (c + 1) * inner; k++) {
                    if (!Float.isFinite(sample[k])) {
                        throw new IllegalArgumentException("Normalization.adapt: sample " + i + " holds " + sample[k]
                                + " at index " + k + ", expected finite values");
                    }
                    sum += sample[k];
                }
                double m = sum / inner;
                double m2 = 0;
                for (int k = c * inner; k < (c + 1) * inner; k++) {
                    double d = sample[k] - m;
                    m2 += d * d;
                }
                double delta = m - runMean[c];
                long total = count + inner;
                runMean[c] += delta * inner / total;
                runM2[c] += m2 + delta * delta * ((double) count * inner / total);
            }
            count += inner;
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = (float) runMean[c];
            std[c] = (float) Math.sqrt(runM2[c] / count);
            if (!(std[c] > 0)) {
                throw new IllegalArgumentException("Normalization.adapt: channel " + c + " is constant (" + mean[c]
                        + ") over all " + source.size() + " samples, so it has no standard deviation to divide by;"
                        + " construct the layer with given statistics instead");
            }
        }
        return new Normalization(mean, std);
    }

    /** {@link #adapt(SampleSource)} over whole samples of this shape, row-major in one array. */
    public static Normalization adapt(Shape sampleShape, float[] x) {
        return adapt(SampleSource.of(sampleShape, x));
    }

    /** The per-channel means: those it was made with, or once built those it holds (loaded ones included). */
    public float[] mean() {
        return state().isEmpty() ? mean.clone() : stateTensor("mean").toArray();
    }

    /** The per-channel standard deviations: those it was made with, or once built those it holds. */
    public float[] std() {
        if (state().isEmpty()) {
            return std.clone();
        }
        float[] s = stateTensor("variance").toArray();
        for (int c = 0; c < s.length; c++) {
            s[c] = (float) Math.sqrt(s[c]);
        }
        return s;
    }

    @Override
    public Shape outputShape(Shape input) {
        if (input.rank() != 1 && input.rank() != 3) {
            throw new IllegalArgumentException(name() + ": expects (channels, height, width) or (features) input, got "
                    + input);
        }
        if (input.dim(0) != mean.length) {
            throw new IllegalArgumentException(name() + ": input " + input + " has " + input.dim(0) + " channels, the"
                    + " layer holds statistics for " + mean.length);
        }
        return input;
    }

    @Override
    public List<ParamSpec> stateSpecs(Shape input) {
        Shape c = Shape.of(input.dim(0));
        return List.of(new ParamSpec("mean", c, ParamSpec.Init.ZEROS, 1, 1),
                new ParamSpec("variance", c, ParamSpec.Init.ONES, 1, 1));
    }

    /** A loaded variance must be a positive standard deviation squared, as the constructor demands. */
    @Override
    public void checkState(String shortName, float[] values) {
        if (shortName.equals("variance")) {
            float[] s = new float[values.length];
            for (int c = 0; c < values.length; c++) {
                s[c] = values[c] > 0 ? (float) Math.sqrt(values[c]) : values[c];
            }
            check(name() + " (state 'variance')", new float[values.length], s);
        }
    }

    @Override
    public Shape build(Shape input, Backend on, Random random) {
        Shape out = super.build(input, on, random);
        float[] variance = new float[std.length];
        for (int c = 0; c < std.length; c++) {
            variance[c] = std[c] * std[c];
        }
        on.write(stateTensor("mean"), mean);
        on.write(stateTensor("variance"), variance);
        Shape c = Shape.of(mean.length);
        ones = buffer("ones", c);
        zeros = buffer("zeros", c);
        on.elementwise().fill(ones, 1f);
        on.elementwise().fill(zeros, 0f);
        return out;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkChannels(x);
        Tensor y = buffer("y", x.shape());
        backend().normalization().forwardInference(x, ones, zeros, stateTensor("mean"), stateTensor("variance"),
                new BatchNormSpec(EPSILON, 0f), y);
        return y;
    }

    /** dx = dy / std[c]: the same op with a zero mean. */
    @Override
    public Tensor backward(Tensor dy) {
        Tensor dx = buffer("dx", dy.shape());
        backend().normalization().forwardInference(dy, ones, zeros, zeros, stateTensor("variance"),
                new BatchNormSpec(EPSILON, 0f), dx);
        return dx;
    }
}
