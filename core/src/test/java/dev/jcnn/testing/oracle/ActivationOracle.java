package dev.jcnn.testing.oracle;

import dev.jcnn.backend.ActivationSpec;
import dev.jcnn.tensor.Shape;

/** Activations and their derivatives, one value at a time, in double; PReLU per channel. */
public final class ActivationOracle {

    private ActivationOracle() {
    }

    /** f(x), from {@link dev.jcnn.backend.ActivationKind}'s math. */
    public static double apply(ActivationSpec f, double x) {
        return f.kind().value(x, f.alpha());
    }

    /** f'(x); at a kink, the right-hand derivative for x &gt; 0 and the left-hand one otherwise. */
    public static double derivative(ActivationSpec f, double x) {
        return f.kind().derivative(x, apply(f, x), f.alpha());
    }

    public static double[] forward(ActivationSpec f, float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = apply(f, x[i]);
        }
        return y;
    }

    public static double[] backward(ActivationSpec f, float[] x, float[] dy) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = derivative(f, x[i]) * dy[i];
        }
        return dx;
    }

    /** Channel of flat index i in a tensor of shape (N, C, ...). */
    private static int channel(Shape s, int i) {
        int inner = s.size() / (s.dim(0) * s.dim(1));
        return (i / inner) % s.dim(1);
    }

    public static double[] preluForward(float[] x, Shape xs, float[] alpha) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] > 0 ? x[i] : (double) alpha[channel(xs, i)] * x[i];
        }
        return y;
    }

    public static double[] preluBackwardData(float[] x, Shape xs, float[] alpha, float[] dy) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = x[i] > 0 ? dy[i] : (double) alpha[channel(xs, i)] * dy[i];
        }
        return dx;
    }

    /** dalpha[c] = Σ dy·x over the cells of channel c where x ≤ 0. */
    public static double[] preluBackwardAlpha(float[] x, Shape xs, float[] dy) {
        double[] da = new double[xs.dim(1)];
        for (int i = 0; i < x.length; i++) {
            if (x[i] <= 0) {
                da[channel(xs, i)] += (double) dy[i] * x[i];
            }
        }
        return da;
    }
}
