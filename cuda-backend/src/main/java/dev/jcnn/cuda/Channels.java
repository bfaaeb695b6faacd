package dev.jcnn.cuda;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.ChannelOps;
import dev.jcnn.tensor.Shape;
import java.util.List;

/**
 * Per-channel ops on (N, C, ...) tensors with the backend's kernels: a bias per channel, and
 * stacking inputs along the channel axis and back. Each sample's channels are one contiguous
 * row of C·inner values (inner = H·W), so input i of a concatenation is N rows of C_i·inner
 * values that land in y's rows of C·inner values after the inputs before it; the split copies
 * them back. The family checks the shapes; {@code dev.jcnn.cpu.Channels} is the same on the
 * CPU.
 */
final class Channels extends ChannelOps<CudaTensor> {

    private final KernelLauncher kernels;

    /** The per-channel ops of backend, launched through kernels (the host tests' launcher runs them on the CPU). */
    Channels(Backend backend, KernelLauncher kernels) {
        super(backend, CudaTensor.class);
        this.kernels = kernels;
    }

    /** y = x + b[c] over channel c of every sample; y may be x. */
    @Override
    protected void computeAddBias(CudaTensor x, CudaTensor b, CudaTensor y) {
        Shape s = x.shape();
        int n = s.size();
        int channels = s.dim(1);
        kernels.launch(Kernel.ADD_BIAS, n, x, b, y, channels, s.sampleSize() / channels, n);
    }

    /** y[s, offset_i + c, q] = xs[i][s, c, q]. */
    @Override
    protected void computeConcat(List<CudaTensor> xs, CudaTensor y) {
        int n = y.shape().dim(0);
        int pitch = y.shape().sampleSize();
        int offset = 0;
        for (CudaTensor x : xs) {
            int run = x.shape().sampleSize();
            kernels.launch(Kernel.COPY_ROWS, (long) n * run, x, y, n, run, run, 0, pitch, offset);
            offset += run;
        }
    }

    /** dxs[i][s, c, q] = dy[s, offset_i + c, q]. */
    @Override
    protected void computeSplit(CudaTensor dy, List<CudaTensor> dxs) {
        int n = dy.shape().dim(0);
        int pitch = dy.shape().sampleSize();
        int offset = 0;
        for (CudaTensor dx : dxs) {
            int run = dx.shape().sampleSize();
            kernels.launch(Kernel.COPY_ROWS, (long) n * run, dy, dx, n, run, pitch, offset, run, 0);
            offset += run;
        }
    }
}
