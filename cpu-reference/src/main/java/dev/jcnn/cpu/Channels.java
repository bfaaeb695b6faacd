package dev.jcnn.cpu;

import dev.jcnn.backend.ChannelOps;
import java.util.List;

/**
 * Per-channel ops on (N, C, ...) tensors: stacking inputs along the channel axis and back,
 * and adding a bias per channel. Each sample's channel c is the contiguous run of
 * {@code inner} = H·W values at (n·C + c)·inner. The family checks the shapes.
 */
final class Channels extends ChannelOps<CpuTensor> {

    private final Parallel parallel;

    Channels(CpuBackend backend, Parallel parallel) {
        super(backend, CpuTensor.class);
        this.parallel = parallel;
    }

    @Override
    protected void computeAddBias(CpuTensor x, CpuTensor b, CpuTensor y) {
        int channels = x.shape().dim(1);
        addBias(x.data(), b.data(), y.data(), x.shape().batch(), channels, x.shape().sampleSize() / channels, parallel);
    }

    @Override
    protected void computeConcat(List<CpuTensor> xs, CpuTensor y) {
        concat(arrays(xs), channels(xs), y.data(), y.shape().batch(), y.shape().sampleSize() / y.shape().dim(1));
    }

    @Override
    protected void computeSplit(CpuTensor dy, List<CpuTensor> dxs) {
        split(dy.data(), arrays(dxs), channels(dxs), dy.shape().batch(), dy.shape().sampleSize() / dy.shape().dim(1));
    }

    private static float[][] arrays(List<CpuTensor> parts) {
        float[][] a = new float[parts.size()][];
        for (int i = 0; i < a.length; i++) {
            a[i] = parts.get(i).data();
        }
        return a;
    }

    private static int[] channels(List<CpuTensor> parts) {
        int[] c = new int[parts.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = parts.get(i).shape().dim(1);
        }
        return c;
    }

    /**
     * y[s, offset_i + c, q] = xs[i][s, c, q]: input i's channels land after those of the inputs before it.
     *
     * @param channels C_i of each input; y has their sum
     */
    static void concat(float[][] xs, int[] channels, float[] y, int n, int inner) {
        int total = sum(channels);
        for (int s = 0; s < n; s++) {
            int offset = 0;
            for (int i = 0; i < xs.length; i++) {
                int run = channels[i] * inner;
                System.arraycopy(xs[i], s * run, y, (s * total + offset) * inner, run);
                offset += channels[i];
            }
        }
    }

    /** The inverse of {@link #concat}: dxs[i][s, c, q] = dy[s, offset_i + c, q]. */
    static void split(float[] dy, float[][] dxs, int[] channels, int n, int inner) {
        int total = sum(channels);
        for (int s = 0; s < n; s++) {
            int offset = 0;
            for (int i = 0; i < dxs.length; i++) {
                int run = channels[i] * inner;
                System.arraycopy(dy, (s * total + offset) * inner, dxs[i], s * run, run);
                offset += channels[i];
            }
        }
    }

    /** y = x + b[c] over channel c of every sample; y may be x. */
    static void addBias(float[] x, float[] b, float[] y, int n, int c, int inner, Parallel par) {
        par.forRange(n * c, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                float bias = b[plane % c];
                int base = plane * inner;
                for (int q = 0; q < inner; q++) {
                    y[base + q] = x[base + q] + bias;
                }
            }
        });
    }

    private static int sum(int[] v) {
        int s = 0;
        for (int x : v) {
            s += x;
        }
        return s;
    }
}
