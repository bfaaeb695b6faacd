package dev.jcnn.testing.oracle;

import dev.jcnn.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/** Per-channel ops on (N, C, ...) tensors by loops over (sample, channel, position): bias, concatenation and its split. */
public final class ChannelOracle {

    private ChannelOracle() {
    }

    /** y[s, c, q] = x[s, c, q] + b[c]. */
    public static double[] addBias(float[] x, Shape xs, float[] b) {
        int n = xs.dim(0);
        int c = xs.dim(1);
        int inner = xs.sampleSize() / c;
        double[] y = new double[x.length];
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                for (int q = 0; q < inner; q++) {
                    int i = (s * c + ch) * inner + q;
                    y[i] = (double) x[i] + b[ch];
                }
            }
        }
        return y;
    }

    /** The shape of the parts stacked along axis 1; throws unless every other axis agrees. */
    public static Shape concatShape(List<Shape> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concatChannels: no parts, expected at least one tensor");
        }
        int[] dims = parts.get(0).dims();
        dims[1] = 0;
        for (Shape s : parts) {
            for (int a = 0; a < dims.length; a++) {
                if (s.rank() != dims.length || (a != 1 && s.dim(a) != dims[a])) {
                    throw new IllegalArgumentException("concatChannels: part " + s + " does not match "
                            + parts.get(0) + " on every axis but 1");
                }
            }
            dims[1] += s.dim(1);
        }
        return Shape.of(dims);
    }

    /** y[s, offset_i + c, q] = parts[i][s, c, q]. */
    public static double[] concat(List<float[]> parts, List<Shape> shapes) {
        Shape ys = concatShape(shapes);
        int inner = ys.sampleSize() / ys.dim(1);
        double[] y = new double[ys.size()];
        int offset = 0;
        for (int i = 0; i < parts.size(); i++) {
            int ci = shapes.get(i).dim(1);
            for (int s = 0; s < ys.dim(0); s++) {
                for (int c = 0; c < ci; c++) {
                    for (int q = 0; q < inner; q++) {
                        y[(s * ys.dim(1) + offset + c) * inner + q] = parts.get(i)[(s * ci + c) * inner + q];
                    }
                }
            }
            offset += ci;
        }
        return y;
    }

    /** dxs[i][s, c, q] = dy[s, offset_i + c, q]. */
    public static List<double[]> split(float[] dy, List<Shape> shapes) {
        Shape ys = concatShape(shapes);
        int inner = ys.sampleSize() / ys.dim(1);
        List<double[]> out = new ArrayList<>();
        int offset = 0;
        for (Shape shape : shapes) {
            int ci = shape.dim(1);
            double[] dx = new double[shape.size()];
            for (int s = 0; s < ys.dim(0); s++) {
                for (int c = 0; c < ci; c++) {
                    for (int q = 0; q < inner; q++) {
                        dx[(s * ci + c) * inner + q] = dy[(s * ys.dim(1) + offset + c) * inner + q];
                    }
                }
            }
            out.add(dx);
            offset += ci;
        }
        return out;
    }
}
