package dev.jcnn.cuda;

import dev.jcnn.backend.Backend;
import dev.jcnn.backend.ResamplingOps;
import dev.jcnn.backend.UpsampleSpec;
import dev.jcnn.tensor.Shape;

/**
 * Upsampling of NCHW images by whole factors, nearest or bilinear (half-pixel centres, edges
 * clamped), and the gradients of both, with the backend's kernels: one thread per output
 * pixel forward, one per input pixel backward. The backward passes gather (no atomics), in
 * double and in the CPU reference's order, so they are deterministic and round as
 * {@code dev.jcnn.cpu.Resampling} does. The family checks the shapes.
 */
final class Resampling extends ResamplingOps<CudaTensor> {

    private final KernelLauncher kernels;

    /** The upsampling ops of backend, launched through kernels (the host tests' launcher runs them on the CPU). */
    Resampling(Backend backend, KernelLauncher kernels) {
        super(backend, CudaTensor.class);
        this.kernels = kernels;
    }

    /** y = x upsampled; x (N, C, H, W), y (N, C, H·factorH, W·factorW). */
    @Override
    protected void computeForward(CudaTensor x, UpsampleSpec spec, CudaTensor y) {
        Kernel k = switch (spec.mode()) {
            case NEAREST -> Kernel.UPSAMPLE_NEAREST_FORWARD;
            case BILINEAR -> Kernel.UPSAMPLE_BILINEAR_FORWARD;
        };
        launch(k, y.shape().size(), x, y, x.shape(), spec);
    }

    /** dx = the gradient of upsampling; dx has the input's shape. */
    @Override
    protected void computeBackward(CudaTensor dy, UpsampleSpec spec, CudaTensor dx) {
        Kernel k = switch (spec.mode()) {
            case NEAREST -> Kernel.UPSAMPLE_NEAREST_BACKWARD;
            case BILINEAR -> Kernel.UPSAMPLE_BILINEAR_BACKWARD;
        };
        launch(k, dx.shape().size(), dy, dx, dx.shape(), spec);
    }

    private void launch(Kernel k, int work, CudaTensor from, CudaTensor to, Shape input, UpsampleSpec spec) {
        kernels.launch(k, work, from, to, input.dim(0) * input.dim(1), input.dim(2), input.dim(3), spec.factorH(),
                spec.factorW());
    }
}
