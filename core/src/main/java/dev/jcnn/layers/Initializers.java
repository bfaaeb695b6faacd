package dev.jcnn.layers;

import java.util.Arrays;
import java.util.Random;

/** Initial parameter values: He normal for the ReLU family, Glorot uniform otherwise, from a seed. */
public final class Initializers {

    private Initializers() {
    }

    /** Values for one parameter, drawn from {@code random}. */
    public static float[] values(ParamSpec spec, Random random) {
        float[] v = new float[spec.shape().size()];
        switch (spec.init()) {
            case HE_NORMAL -> {
                double std = Math.sqrt(2.0 / spec.fanIn());
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (random.nextGaussian() * std);
                }
            }
            case GLOROT_UNIFORM -> {
                double limit = Math.sqrt(6.0 / (spec.fanIn() + spec.fanOut()));
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
                }
            }
            case ZEROS -> Arrays.fill(v, 0f);
            case ONES -> Arrays.fill(v, 1f);
            case QUARTER -> Arrays.fill(v, 0.25f);
        }
        return v;
    }

    /** The initialiser that suits a layer followed by this activation. */
    static ParamSpec.Init forActivation(Activation a) {
        return a == Activation.RELU ? ParamSpec.Init.HE_NORMAL : ParamSpec.Init.GLOROT_UNIFORM;
    }
}
