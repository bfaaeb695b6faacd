package dev.jcnn.cpu;

/**
 * Per-channel ops on (N, C, ...) tensors: stacking inputs along the channel axis and back,
 * and adding a bias per channel. Each sample's channel c is the contiguous run of
 * {@code inner} = H·W values at (n·C + c)·inner. Shapes are checked by {@link CpuBackend}.
 */
final class Channels {

    private Channels() {
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
